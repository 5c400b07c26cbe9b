from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from clearline.accounts.models import Organisation
from clearline.accounts.roles import role_of
from clearline.accounts.selectors import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    return display_name(user) if user else "—"


@register.simple_tag
def role_label(user) -> str:
    role = role_of(user)
    return role.capitalize() if role else "No role"


@register.simple_tag
def countdown(due: datetime | None) -> str:
    """How long until a promised update, or how late it is."""
    if due is None:
        return ""
    now = timezone.now()
    if due >= now:
        return format_html('<span class="due">in {}</span>', timesince(now, due, depth=1))
    return format_html('<span class="overdue">overdue by {}</span>', timesince(due, now, depth=1))


@register.simple_tag
def answer_refusal(answer, user) -> str:
    """Why `user` may not approve this answer's words, or "" when they may."""
    from clearline.brief.services import approval_refusal

    return approval_refusal(user, answer)


@register.inclusion_tag("desk/_snapshot_notice.html", takes_context=True)
def snapshot_notice(context) -> dict:
    """For admins, on every desk page: the status page files cannot be written, since when, why."""
    from clearline.statuspage.snapshot_state import write_failure

    request = context["request"]
    if not request.user.has_perm("accounts.change_organisation"):
        return {"failure": None}
    org = getattr(request, "org", None) or Organisation.current()
    return {"failure": write_failure(), "zone": org.zone}
