"""The day the preliminary report promises the full review by is counted in the organisation's
business days: its working days, less the public holidays of its country and region.

Resolved on Monday 21 December 2026 in London: Christmas Day (Friday) and the Boxing Day
holiday moved to Monday 28 December are not business days, so the fifth is Wednesday 30
December; counting weekends alone would have promised Monday 28, a day nobody is at work.
"""

import re
from datetime import UTC, date, datetime

import pytest

from clearline.incidents.models import Incident
from clearline.reviews import preliminary
from clearline.updates import compose

BEFORE_CHRISTMAS = datetime(2026, 12, 21, 15, 0, tzinfo=UTC)
EARLY_DECEMBER = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def promised(incident, org, resolved_at: datetime, **settings) -> str:
    for name, value in settings.items():
        setattr(org, name, value)
    org.full_clean()
    org.save()
    Incident.objects.filter(pk=incident.pk).update(resolved_at=resolved_at)
    incident.refresh_from_db()
    body = preliminary.compose_report(incident, now=resolved_at)
    return re.search(r"A full review of this incident will follow by (\w+ \d+ \w+)", body)[1]


@pytest.mark.parametrize(
    ("country", "region", "day"),
    [
        ("GB", "ENG", "Wednesday 30 December"),
        ("", "", "Monday 28 December"),
    ],
)
def test_the_review_is_promised_on_the_fifth_business_day_after_the_holidays(
    resolved, org, country, region, day
):
    settings = {"holiday_country": country, "holiday_subdivision": region}
    assert promised(resolved, org, BEFORE_CHRISTMAS, **settings) == day


def test_a_saturday_counts_where_the_organisation_works_on_saturdays(resolved, org):
    week = ["mon", "tue", "wed", "thu", "fri"]
    assert promised(resolved, org, EARLY_DECEMBER, working_days=week) == "Wednesday 9 December"
    saturdays = [*week, "sat"]
    assert promised(resolved, org, EARLY_DECEMBER, working_days=saturdays) == "Tuesday 8 December"


def test_the_resolution_form_offers_the_report_date_in_business_days_too(resolved, org):
    org.holiday_country, org.holiday_subdivision = "GB", "ENG"
    org.save()
    initial = compose.initial_fields(resolved, "resolved", now=BEFORE_CHRISTMAS)
    assert initial["report_by"] == date(2026, 12, 30)
