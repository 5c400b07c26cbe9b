"""The one rule for a plausible time, and showing any stored time without failing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clearline.core.clock import (
    CLOCK_SKEW,
    EARLIEST,
    PLAN_AHEAD,
    clock_label,
    implausible,
    in_zone,
    time_label,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MICRO = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("value", "ahead", "says"),
    [
        (EARLIEST, CLOCK_SKEW, None),
        (EARLIEST - MICRO, CLOCK_SKEW, "Pick a time on or after 1 January 2000."),
        (NOW + CLOCK_SKEW, CLOCK_SKEW, None),
        (NOW + CLOCK_SKEW + MICRO, CLOCK_SKEW, "That time is in the future"),
        (NOW + PLAN_AHEAD, PLAN_AHEAD, None),
        (NOW + PLAN_AHEAD + MICRO, PLAN_AHEAD, "Pick a time within 366 days from now."),
        (datetime(1, 1, 1, 12, tzinfo=ZoneInfo("Pacific/Kiritimati")), CLOCK_SKEW, "on or after"),
        (datetime(9999, 12, 31, 23, tzinfo=ZoneInfo("Pacific/Pago_Pago")), PLAN_AHEAD, "within"),
    ],
    ids=[
        "the first instant of 2000",
        "just before 2000",
        "a clock skew ahead",
        "just past the skew",
        "a year ahead",
        "just past a year ahead",
        "year 1 east of UTC",
        "year 9999 west of UTC",
    ],
)
def test_it_tells_a_plausible_time_from_an_impossible_one(value, ahead, says):
    problem = implausible(value, now=NOW, ahead=ahead)
    if says is None:
        assert problem is None
    else:
        assert says in problem


@pytest.mark.parametrize(
    ("value", "zone"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), "America/Los_Angeles"),
        (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), "Pacific/Kiritimati"),
        (datetime(1, 1, 1, 1, tzinfo=ZoneInfo("Pacific/Kiritimati")), "America/Los_Angeles"),
    ],
    ids=["year 1 west of UTC", "year 9999 east of UTC", "year 1 stored east, shown west"],
)
def test_it_shows_a_time_at_the_calendars_end_instead_of_failing(value, zone):
    shown = in_zone(value, ZoneInfo(zone))
    assert shown == value
    assert time_label(value, ZoneInfo(zone))
    assert clock_label(value, ZoneInfo(zone), today=NOW)


def test_it_converts_an_ordinary_time_to_the_zone():
    shown = in_zone(NOW, ZoneInfo("Europe/Berlin"))
    assert (shown.hour, shown.tzname()) == (14, "CEST")
