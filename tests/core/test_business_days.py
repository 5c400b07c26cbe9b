"""Business days: working days less the public holidays of a country and its region."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from clearline.accounts.models import Organisation
from clearline.core.business_days import Calendar, canonical_region, region_problems

ENGLAND = Calendar(country="GB", subdivision="ENG")
BAVARIA = Calendar(country="DE", subdivision="BY")
BERLIN = Calendar(country="DE", subdivision="BE")
NO_HOLIDAYS = Calendar()


def days_after(calendar: Calendar, start: date, count: int) -> list[date]:
    return [calendar.nth_business_day_after(start, n) for n in range(1, count + 1)]


def test_counting_starts_the_day_after_and_skips_the_weekend():
    friday = date(2025, 3, 7)
    assert days_after(NO_HOLIDAYS, friday, 3) == [
        date(2025, 3, 10),
        date(2025, 3, 11),
        date(2025, 3, 12),
    ]


def test_english_easter_pushes_the_third_business_day_to_the_next_week():
    # Resolved on Maundy Thursday: Good Friday 18 April and Easter Monday 21 April are bank
    # holidays in England, then the weekend in between.
    maundy_thursday = date(2025, 4, 17)
    assert days_after(ENGLAND, maundy_thursday, 5) == [
        date(2025, 4, 22),
        date(2025, 4, 23),
        date(2025, 4, 24),
        date(2025, 4, 25),
        date(2025, 4, 28),
    ]
    assert NO_HOLIDAYS.nth_business_day_after(maundy_thursday, 3) == date(2025, 4, 22)


def test_a_bavarian_holiday_counts_where_berlin_works():
    # Corpus Christi (Thursday 19 June 2025) is a public holiday in Bavaria, not in Berlin.
    monday = date(2025, 6, 16)
    assert BAVARIA.nth_business_day_after(monday, 3) == date(2025, 6, 20)
    assert BERLIN.nth_business_day_after(monday, 3) == date(2025, 6, 19)
    assert BAVARIA.holiday(date(2025, 6, 19)) is not None
    assert BERLIN.holiday(date(2025, 6, 19)) is None


def test_independence_day_is_skipped_in_the_united_states():
    wednesday = date(2025, 7, 2)
    us = Calendar(country="US")
    assert days_after(us, wednesday, 3) == [date(2025, 7, 3), date(2025, 7, 7), date(2025, 7, 8)]


def test_a_sunday_to_thursday_week_works_on_sundays():
    week = Calendar(working_days=("sun", "mon", "tue", "wed", "thu"))
    thursday = date(2025, 3, 6)
    assert days_after(week, thursday, 3) == [date(2025, 3, 9), date(2025, 3, 10), date(2025, 3, 11)]


def test_it_says_why_a_day_is_not_a_business_day():
    assert ENGLAND.why_not(date(2025, 12, 25)) == "Christmas Day, a public holiday"
    assert ENGLAND.why_not(date(2025, 3, 8)) == "a Saturday, not a working day"
    assert ENGLAND.why_not(date(2025, 3, 10)) is None


def test_it_counts_business_days_between_two_dates():
    assert ENGLAND.business_days_between(date(2025, 4, 17), date(2025, 4, 24)) == 3
    assert ENGLAND.business_days_between(date(2025, 4, 24), date(2025, 4, 17)) == 0


def test_it_knows_the_regions_the_calendars_know():
    assert region_problems("GB", "ENG") == {}
    assert region_problems("", "") == {}
    assert "holiday_country" in region_problems("XX", "")
    assert "holiday_subdivision" in region_problems("GB", "Atlantis")
    assert "holiday_subdivision" in region_problems("", "ENG")
    assert canonical_region("GB", "eng") == "ENG"


def test_the_admin_refuses_a_region_the_calendars_do_not_know(db):
    org = Organisation.current()
    org.holiday_country, org.holiday_subdivision = "gb", "Atlantis"
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert "Atlantis" in refused.value.message_dict["holiday_subdivision"][0]
    assert org.holiday_country == "GB"  # cleaned as typed, before the region was refused


def test_the_admin_refuses_a_week_without_working_days(db):
    org = Organisation.current()
    org.working_days = []
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert "working_days" in refused.value.message_dict


def test_an_organisation_s_calendar_holds_its_settings(db):
    org = Organisation.current()
    assert org.calendar == Calendar()
    org.holiday_country, org.holiday_subdivision = "DE", "by"
    org.working_days = ["mon", "tue", "wed", "thu"]
    org.full_clean()
    assert org.calendar == Calendar(("mon", "tue", "wed", "thu"), "DE", "BY")
