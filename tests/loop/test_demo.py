"""The demo company closes the loop on its latest resolved incident."""

import pytest
from django.utils import timezone

from clearline import demo
from clearline.accounts.models import Organisation
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
