from django import template

from clearline.accounts.models import Organisation
from clearline.promises import selectors

register = template.Library()


@register.inclusion_tag("promises/_notices.html", takes_context=True)
def promise_notices(context) -> dict:
    """The signed-in person's reminders about updates they owe, as a banner on every desk page."""
    request = context["request"]
    org = getattr(request, "org", None) or Organisation.current()
    return {
        "reminders": selectors.reminders_for(request.user),
        "zone": org.zone,
        "can_write": request.user.has_perm("updates.add_update"),
    }


@register.filter
def lateness(seconds: int | None) -> str:
    """How an update kept the promise before it: "on time", "7 min late", "2 h 5 min late"."""
    if seconds is None:
        return ""
    if seconds == 0:
        return "on time"
    if seconds < 60:
        return "under a minute late"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h {minutes} min late" if hours else f"{minutes} min late"
