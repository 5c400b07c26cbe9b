"""Business days: the organisation's working days, less the public holidays of its country and
region (the `holidays` package's calendars).

Plain values in, plain values out: the organisation's settings arrive as a `Calendar`, so this
layer names no model. Counting starts the day after a given date: a review "on the 3rd business
day" after a resolution on Friday evening falls on the Wednesday after.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

log = logging.getLogger(__name__)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
DEFAULT_WORKING_DAYS = ("mon", "tue", "wed", "thu", "fri")
# No calendar has a run of non-business days this long; a search past it means a calendar with
# no working day at all (which the settings refuse), not a long holiday.
LONGEST_SEARCH = 370


@cache
def supported() -> dict[str, tuple[str, ...]]:
    """Country codes the holidays package knows, each with the regions it knows for it."""
    return {code: tuple(regions) for code, regions in holidays.list_supported_countries().items()}


def region_problems(country: str, subdivision: str) -> dict[str, str]:
    """What is wrong with a country and region as holiday settings, per field ({} when right).

    Blank country means no public holidays; a region needs a country.
    """
    if not country:
        if subdivision:
            return {"holiday_subdivision": "Choose the country first; a region needs one."}
        return {}
    regions = supported().get(country)
    if regions is None:
        return {
            "holiday_country": f"{country!r} is not a country code the holiday calendars know "
            "(use ISO 3166 codes such as GB, DE or US)."
        }
    if subdivision and subdivision not in regions:
        sample = ", ".join(regions[:12]) + (", …" if len(regions) > 12 else "")
        known = f"one of {sample}" if regions else "none: leave it blank"
        return {
            "holiday_subdivision": f"{subdivision!r} is not a region of {country} the holiday "
            f"calendars know ({known})."
        }
    return {}


def canonical_region(country: str, subdivision: str) -> str:
    """The region as the calendars spell it ("eng" → "ENG"), or as given when unknown."""
    for region in supported().get(country, ()):
        if region.casefold() == subdivision.casefold():
            return region
    return subdivision


def working_day_problems(days: Iterable) -> str | None:
    """Why a list of working days cannot be used, or None."""
    days = list(days) if isinstance(days, list | tuple) else None
    if days is None:
        return "Give the working days as a list, e.g. mon, tue, wed, thu, fri."
    unknown = [day for day in days if day not in WEEKDAYS]
    if unknown:
        return f"Not days of the week: {', '.join(map(str, unknown))} (use {', '.join(WEEKDAYS)})."
    if not days:
        return "Choose at least one working day."
    return None


@cache
def _holidays(country: str, subdivision: str) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError:
        # A stored setting the calendars no longer know (a value written around the admin's
        # checks): count working days only rather than fail every schedule.
        log.warning(
            "No holiday calendar for %s %s; counting working days only", country, subdivision
        )
        return None


@dataclass(frozen=True)
class Calendar:
    """Which days are business days: the working weekdays, less public holidays (if a country
    is set)."""

    working_days: tuple[str, ...] = DEFAULT_WORKING_DAYS
    country: str = ""
    subdivision: str = ""

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday on `day`, or None."""
        if not self.country:
            return None
        calendar = _holidays(self.country, self.subdivision)
        return calendar.get(day) if calendar is not None else None

    def is_business_day(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.working_days and self.holiday(day) is None

    def why_not(self, day: date) -> str | None:
        """Why `day` is not a business day, in words ("a Saturday", "Boxing Day, a public
        holiday"), or None when it is one."""
        name = self.holiday(day)
        if name:
            return f"{name}, a public holiday"
        if WEEKDAYS[day.weekday()] not in self.working_days:
            return f"a {WEEKDAY_NAMES[WEEKDAYS[day.weekday()]]}, not a working day"
        return None

    def business_days_after(self, start: date) -> Iterator[date]:
        """The business days after `start`, in order (never `start` itself)."""
        day, gap = start, 0
        while gap < LONGEST_SEARCH:
            day += timedelta(days=1)
            if self.is_business_day(day):
                gap = 0
                yield day
            else:
                gap += 1
        raise ValueError(f"no business day in the {LONGEST_SEARCH} days after {day}")

    def nth_business_day_after(self, start: date, n: int) -> date:
        """The `n`th business day after `start` (n ≥ 1)."""
        if n < 1:
            raise ValueError("count business days from 1")
        for number, day in enumerate(self.business_days_after(start), start=1):
            if number == n:
                return day
        raise AssertionError("unreachable")  # pragma: no cover

    def business_days_between(self, start: date, end: date) -> int:
        """How many business days after `start` up to and including `end` (0 if end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_business_day(day)
        return count
