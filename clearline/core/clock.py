"""Times: which ones can be real, and how to show any stored one without failing.

A plausible time is one clearline can believe and draw: not before the earliest date it accepts,
and not further ahead than the kind of time allows. Every service that stores a time asks
`implausible()`; every public surface converts with `in_zone()`, which never raises, so a value
written some other way (an old release, a raw UPDATE) still renders.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from clearline.core.errors import ClearlineError

UTC = ZoneInfo("UTC")

# No organisation ran its status page on clearline, or on anything whose history it imports,
# before 2000: hosted status pages began in the late 2000s. The floor also keeps every stored
# time a full year clear of datetime's year 1, so converting it to any zone (offsets reach
# ±14 hours) can never leave the calendar.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# What happened cannot be in the future; another machine's clock may run a little ahead.
CLOCK_SKEW = timedelta(minutes=5)
# A promise of the next update or a maintenance window may be ahead, but not by years: a year
# is room for any maintenance plan, and the farthest any page has to draw.
PLAN_AHEAD = timedelta(days=366)


def implausible(value: datetime, *, now: datetime, ahead: timedelta = CLOCK_SKEW) -> str | None:
    """Why `value` cannot be a real time for the record, or None when it can.

    `ahead` is how far past `now` the kind of time may lie: CLOCK_SKEW for what has happened
    (a start, a detection, a timeline entry), PLAN_AHEAD for what is planned.
    """
    if value < EARLIEST:
        return f"Pick a time on or after {EARLIEST.day} {EARLIEST:%B %Y}."
    if value > now + ahead:
        if ahead <= CLOCK_SKEW:
            return "That time is in the future; give the time it happened."
        return f"Pick a time within {ahead.days} days from now."
    return None


def require_plausible(
    value: datetime | None,
    field: str,
    *,
    ahead: timedelta = CLOCK_SKEW,
    now: datetime | None = None,
) -> None:
    """The services' check: an aware, plausible time; a refusal names `field`."""
    if value is None:
        return
    if timezone.is_naive(value):
        raise ClearlineError("Give the time with a time zone.", field=field)
    problem = implausible(value, now=now or timezone.now(), ahead=ahead)
    if problem:
        raise ClearlineError(problem, field=field)


def time_errors(record, **fields: timedelta) -> dict[str, str]:
    """For a model's clean() (the admin's forms): each named time that is set and implausible,
    with why; the keyword gives how far ahead that time may lie."""
    now = timezone.now()
    errors = {}
    for name, ahead in fields.items():
        value = getattr(record, name)
        if value is not None and timezone.is_aware(value):
            if problem := implausible(value, now=now, ahead=ahead):
                errors[name] = problem
    return errors


def in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """`value` in `zone`; in UTC, or as stored, when the zone would carry it past the calendar's
    ends (year 1 or 9999), so no stored value can make a page fail."""
    for target in (zone, UTC):
        try:
            return value.astimezone(target)
        except (OverflowError, ValueError):
            continue
    return value


def time_label(value: datetime, zone: ZoneInfo) -> str:
    """A time in the organisation's zone with the zone named, and in UTC when that differs."""
    local = in_zone(value, zone)
    utc = in_zone(value, UTC)
    label = f"{local:%d %b %Y, %H:%M} {local.tzname()}"
    if local.utcoffset() != utc.utcoffset():
        label += f" ({utc:%H:%M} UTC)"
    return label


def clock_label(value: datetime, zone: ZoneInfo, *, today: datetime | None = None) -> str:
    """A clock time for prose: "14:30 CET (13:30 UTC)", with the day when it is not `today`.

    A zone known only by its offset is written "UTC+03", so readers and the checks see a zone.
    """
    local = in_zone(value, zone)
    utc = in_zone(value, UTC)
    name = local.tzname() or ""
    if name.startswith(("+", "-")):
        name = f"UTC{name}"
    label = f"{local:%H:%M} {name}"
    if local.utcoffset() != utc.utcoffset():
        label += f" ({utc:%H:%M} UTC)"
    if today is not None and local.date() != in_zone(today, zone).date():
        label += f" on {local:%A} {local.day} {local:%B}"
    return label
