from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def when(value: datetime | None, zone: ZoneInfo) -> str:
    """A time in the organisation's zone, always with the zone named; a script adds the reader's."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    utc = value.astimezone(ZoneInfo("UTC"))
    label = f"{local:%d %b %Y, %H:%M} {local.tzname()}"
    if local.utcoffset() != utc.utcoffset():
        label += f" ({utc:%H:%M} UTC)"
    return format_html(
        '<time datetime="{}" data-local>{}</time>', utc.isoformat(timespec="seconds"), label
    )


@register.filter
def status_class(value: str) -> str:
    return f"s-{value}"
