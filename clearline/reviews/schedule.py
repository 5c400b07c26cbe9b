"""When a review meets: three to five business days after the resolution, a breather first.

The window counts business days in the organisation's calendar (its working days less its
public holidays) from the day of the resolution in its own zone. The proposal is the earliest
free slot on the window's first day; a time outside the window is allowed, with a warning.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clearline.core import business_days
from clearline.core.clock import in_zone

FIRST_DAY, LAST_DAY = 3, 5
# Mid-morning: people have read the pre-read, and nobody in the zone is asked in at dawn.
SLOTS = (time(10, 0), time(11, 0), time(14, 0), time(15, 0), time(16, 0))
LENGTH_MINUTES = 60


@dataclass(frozen=True)
class Window:
    """The business days a review should meet on, counted from the resolution."""

    resolved_on: date
    days: tuple[date, ...]

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    def day_number(self, calendar: business_days.Calendar, day: date) -> int:
        """Which business day after the resolution `day` is (0 on or before it)."""
        return calendar.business_days_between(self.resolved_on, day)


def window(resolved_at: datetime, calendar: business_days.Calendar, zone: ZoneInfo) -> Window:
    resolved_on = in_zone(resolved_at, zone).date()
    days = []
    for number, day in enumerate(calendar.business_days_after(resolved_on), start=1):
        if number >= FIRST_DAY:
            days.append(day)
        if number == LAST_DAY:
            break
    return Window(resolved_on=resolved_on, days=tuple(days))


def at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def proposed_start(
    span: Window, zone: ZoneInfo, *, taken: list[tuple[datetime, datetime]] = ()
) -> datetime:
    """The earliest slot on the window's first day that no other review holds (the first slot
    when every one is taken: two reviews may share an hour; people move one)."""
    length = timedelta(minutes=LENGTH_MINUTES)
    for clock in SLOTS:
        start = at(span.first, clock, zone)
        if not any(start < end and other < start + length for other, end in taken):
            return start
    return at(span.first, SLOTS[0], zone)


def warnings(
    starts_at: datetime, span: Window, calendar: business_days.Calendar, zone: ZoneInfo
) -> list[str]:
    """What a person should know about meeting at `starts_at` (nothing when it is in the
    window on a business day)."""
    local = in_zone(starts_at, zone)
    day = local.date()
    said = []
    why_not = calendar.why_not(day)
    if why_not:
        said.append(f"{local:%A} {day.day} {local:%B} is {why_not}.")
    number = span.day_number(calendar, day)
    window_words = (
        f"the window of business days {FIRST_DAY}–{LAST_DAY} after the resolution "
        f"({_day(span.first)} to {_day(span.last)})"
    )
    if day < span.first:
        passed = "no business day" if number == 0 else f"business day {number}"
        said.append(
            f"That is before {window_words}: {passed} after the resolution, too soon for a "
            "breather and for everyone to read the pre-read."
        )
    elif day > span.last:
        said.append(
            f"That is after {window_words}: business day {number} after the resolution, when "
            "memories fade and customers wait longer for the full review."
        )
    return said


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
