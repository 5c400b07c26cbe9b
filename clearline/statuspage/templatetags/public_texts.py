"""An incident's published texts as the public page shows them: the stream of updates apart
from the reports written after it (one query, split here rather than read twice)."""

from django import template
from django.utils.safestring import SafeString

from clearline.reviews.reports.rendering import to_html
from clearline.updates.models import Update, UpdateKind

register = template.Library()


@register.filter
def stream(updates: list[Update]) -> list[Update]:
    """The updates written while the incident ran, newest first."""
    return [u for u in updates if u.kind == UpdateKind.UPDATE]


@register.filter
def preliminary_report(updates: list[Update]) -> Update | None:
    """The published preliminary report among an incident's public texts, if there is one."""
    return next((u for u in updates if u.kind == UpdateKind.PRELIMINARY), None)


@register.filter
def incident_report(updates: list[Update]) -> Update | None:
    """The published external incident report among an incident's public texts, if any."""
    return next((u for u in updates if u.kind == UpdateKind.REPORT), None)


@register.filter
def report_html(update: Update) -> SafeString:
    """The report's text as HTML under the page's "Incident report" heading: its own title
    left out (the page's two headings say it), its sections one level down."""
    return to_html(update.body, shift=1, untitled=True)


@register.filter
def addenda(updates: list[Update]) -> list[Update]:
    """The published answers to questions asked after the resolution, oldest first."""
    return sorted(
        (u for u in updates if u.kind == UpdateKind.ADDENDUM), key=lambda u: (u.published_at, u.pk)
    )
