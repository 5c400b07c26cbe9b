from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils.html import format_html

from clearline.core.clock import UTC, in_zone, time_label

register = template.Library()


@register.simple_tag
def when(value: datetime | None, zone: ZoneInfo) -> str:
    """A time in the organisation's zone, always with the zone named; a script adds the reader's."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" data-local>{}</time>',
        in_zone(value, UTC).isoformat(timespec="seconds"),
        time_label(value, zone),
    )


@register.filter
def status_class(value: str) -> str:
    return f"s-{value}"
