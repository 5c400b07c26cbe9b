"""An alert whose tool sends a time no clock could mean still opens its incident: never lost,
started when it arrived, with a note on the timeline saying the tool's time was set aside."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.incidents.models import Incident
from tests.incidents.conftest import delivery


def alertmanager_starting(at: str) -> bytes:
    body = json.loads(delivery("alertmanager_firing"))
    for alert in body["alerts"]:
        alert["startsAt"] = at
    return json.dumps(body).encode()


def pagerduty_created(at: str) -> bytes:
    body = json.loads(delivery("pagerduty_triggered"))
    body["event"]["data"]["created_at"] = at
    body["event"]["occurred_at"] = at
    return json.dumps(body).encode()


def assert_opened_at_arrival(response, before):
    assert response.status_code == 200, response.content
    incident = Incident.objects.get()
    assert before <= incident.started_at <= timezone.now()
    (entry,) = incident.timeline.all()
    assert before <= entry.occurred_at <= timezone.now()
    return incident, entry


@pytest.mark.parametrize(
    "sent",
    ["1970-01-01T00:00:00Z", "0002-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00"],
    ids=["unix epoch", "year 2", "year 9999"],
)
def test_an_alert_with_an_impossible_start_opens_its_incident_at_arrival(
    client, alertmanager, sent
):
    before = timezone.now()

    response = alertmanager(client, alertmanager_starting(sent))

    incident, entry = assert_opened_at_arrival(response, before)
    assert "which cannot be right; clearline recorded the time the alert arrived" in entry.text
    assert "Checkout requests are failing" == incident.title


def test_an_alert_with_go_zero_time_opens_its_incident_at_arrival_without_a_note(
    client, alertmanager
):
    """Alertmanager's zero time means "not known", not a wrong time."""
    before = timezone.now()

    response = alertmanager(client, alertmanager_starting("0001-01-01T00:00:00Z"))

    _, entry = assert_opened_at_arrival(response, before)
    assert "cannot be right" not in entry.text


def test_an_alert_a_little_ahead_opens_its_incident_now_without_a_note(client, alertmanager):
    """Another machine's clock running a few seconds ahead is normal, not worth a note."""
    before = timezone.now()
    sent = (before + timedelta(seconds=30)).isoformat()

    _, entry = assert_opened_at_arrival(alertmanager(client, alertmanager_starting(sent)), before)
    assert "cannot be right" not in entry.text


def test_a_pagerduty_incident_created_in_1970_opens_at_arrival(client, pagerduty):
    before = timezone.now()

    response = pagerduty(client, pagerduty_created("1970-01-01T00:00:00Z"))

    _, entry = assert_opened_at_arrival(response, before)
    assert "The alert gave 1970-01-01 00:00 UTC as its start" in entry.text
