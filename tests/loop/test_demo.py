"""The demo company closes the loop on its latest resolved incident."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clearline import demo
from clearline.accounts.models import Organisation
from clearline.incidents.models import Incident
from clearline.loop import selectors
from clearline.loop.models import FollowUp, IncidentAccount
from clearline.updates.models import Update
from tests.factories import run_jobs


@pytest.mark.django_db
def test_the_demo_has_two_key_accounts_a_done_and_an_open_follow_up_and_an_addendum(client):
    demo.load()
    run_jobs()
    addendum = Update.objects.get(kind="addendum")
    incident = addendum.incident
    assert incident.is_resolved
    links = IncidentAccount.objects.filter(incident=incident).select_related("account")
    assert {link.account.name for link in links} == {"Brightwater Ltd", "Oakfield Dental"}
    states = dict(FollowUp.objects.filter(incident=incident).values_list("account__name", "state"))
    assert states == {"Brightwater Ltd": "done", "Oakfield Dental": "open"}
    assert addendum.is_published
    report = incident.reports.get(update__published_at__isnull=False).update
    assert report.published_at < addendum.published_at <= timezone.now()  # a question it left
    page = client.get(f"/incidents/{incident.public_id}").content.decode()
    day = timezone.localdate(addendum.published_at, Organisation.current().zone)
    assert f"Addendum, {day.day} {day:%B %Y}" in page
    assert "keeps the due date it was issued with" in page


# Moments the old fixed "three days ago" left the follow-up not yet due: a Sunday, a Monday
# late in the evening, the day after Easter Monday, and the Monday after a Christmas on Thursday.
HARD_DAYS = ["2026-11-29T12:00", "2026-11-30T23:50", "2026-04-07T22:40", "2025-12-29T09:00"]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", HARD_DAYS)
def test_the_demo_follow_up_is_overdue_whatever_day_it_is_loaded(moment):
    zone = ZoneInfo("Europe/London")
    now = datetime.fromisoformat(moment).replace(tzinfo=zone)
    demo.load(now=now)
    late = selectors.follow_ups(overdue=True, on=now.date())
    assert [item.account.name for item in late] == ["Oakfield Dental"]
    # It is still the latest resolved incident, and still a matter of days, not weeks.
    incident = late[0].incident
    assert (
        incident.resolved_at
        == Incident.objects.filter(is_drill=False, visibility="public", resolved_at__isnull=False)
        .latest("resolved_at")
        .resolved_at
    )
    assert 3 <= (now - incident.started_at).days < 11
