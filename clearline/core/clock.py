from datetime import datetime
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")


def time_label(value: datetime, zone: ZoneInfo) -> str:
    """A time in the organisation's zone with the zone named, and in UTC when that differs."""
    local = value.astimezone(zone)
    utc = value.astimezone(UTC)
    label = f"{local:%d %b %Y, %H:%M} {local.tzname()}"
    if local.utcoffset() != utc.utcoffset():
        label += f" ({utc:%H:%M} UTC)"
    return label
