"""`make run` shows the after-incident work: the demo's latest resolved incident carries action
items in every state the desk shows, one of them overdue."""

import pytest
from django.test import Client

from clearline import demo
from clearline.incidents.models import Incident
from clearline.reviews.actions import selectors
from clearline.reviews.models import ActionItem


@pytest.mark.django_db
def test_the_latest_resolved_incident_carries_items_in_several_states(people):
    demo.load()
    latest = Incident.objects.filter(status="resolved", is_drill=False, visibility="public")
    latest = latest.latest("resolved_at")
    items = selectors.listed(selectors.action_items(incident=latest), on=selectors.today())
    assert ActionItem.objects.exclude(incident=latest).count() == 0
    assert {item.status for item in items} == {"open", "in_progress", "done"}
    [done] = [item for item in items if item.status == "done"]
    assert done.evidence_note and done.closed_by is not None
    assert [item.outcome for item in items if item.overdue] == [
        "Write the runbook for draining a backlog in the outgoing mail queue"
    ]
    assert all(not item.override_reason for item in items)  # concrete as written
    desk = Client()
    desk.force_login(people["support"])
    html = desk.get(f"/desk/incidents/{latest.pk}/").content.decode()
    assert "Overdue by 1 day" in html and "Rehearsed on the staging relay" in html
