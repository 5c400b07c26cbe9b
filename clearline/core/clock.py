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


def clock_label(value: datetime, zone: ZoneInfo, *, today: datetime | None = None) -> str:
    """A clock time for prose: "14:30 CET (13:30 UTC)", with the day when it is not `today`.

    A zone known only by its offset is written "UTC+03", so readers and the checks see a zone.
    """
    local = value.astimezone(zone)
    name = local.tzname() or ""
    if name.startswith(("+", "-")):
        name = f"UTC{name}"
    label = f"{local:%H:%M} {name}"
    if local.utcoffset() != value.astimezone(UTC).utcoffset():
        label += f" ({value.astimezone(UTC):%H:%M} UTC)"
    if today is not None and local.date() != today.astimezone(zone).date():
        label += f" on {local:%A} {local.day} {local:%B}"
    return label
