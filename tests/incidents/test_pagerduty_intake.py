"""PagerDuty pages the payments team; clearline keeps an internal incident and its timeline."""

from datetime import UTC, datetime

from clearline.incidents.models import Incident
from tests.incidents.conftest import delivery

LIFE = [
    "pagerduty_triggered",
    "pagerduty_acknowledged",
    "pagerduty_annotated",
    "pagerduty_priority_updated",
    "pagerduty_resolved",
]


def texts(incident: Incident) -> list[str]:
    return list(incident.timeline.order_by("id").values_list("text", flat=True))


def test_it_opens_an_internal_incident_from_a_trigger(client, pagerduty):
    response = pagerduty(client, delivery("pagerduty_triggered"))

    incident = Incident.objects.get()
    assert response.json() == {
        "incident": incident.public_id,
        "created": True,
        "timeline_entries": 1,
    }
    assert incident.title == "Payment provider callbacks are timing out"
    assert incident.visibility == "internal"
    assert incident.impact == "major"  # priority P2
    assert incident.started_at == datetime(2026, 3, 14, 10, 5, 41, tzinfo=UTC)


def test_it_records_who_is_paged_and_where_the_bridge_is(client, pagerduty):
    pagerduty(client, delivery("pagerduty_triggered"))

    (text,) = texts(Incident.objects.get())
    assert text.startswith("PagerDuty incident #4711 triggered by Payments API")
    assert "Assigned to: Priya Raman" in text
    assert "Conference bridge: +1 555-0142,,4711#, https://meet.example.com/payments-bridge" in text
    assert "PagerDuty: https://northwind.pagerduty.com/incidents/P7QK2MX" in text


def test_it_follows_one_pagerduty_incident_through_its_life(client, pagerduty):
    for name in LIFE:
        assert pagerduty(client, delivery(name)).status_code == 200

    incident = Incident.objects.get()
    _, acknowledged, note, priority, resolved = texts(incident)
    assert acknowledged == "Acknowledged in PagerDuty by Priya Raman."
    assert note.startswith("Note added in PagerDuty by Priya Raman: Callback worker pool")
    assert priority == "Priority changed in PagerDuty to P1 by Priya Raman."
    assert resolved.startswith("Resolved in PagerDuty by Priya Raman.")
    assert "clearline has not resolved this incident" in resolved
    assert incident.status == "investigating"


def test_it_dates_each_entry_when_it_happened_in_pagerduty(client, pagerduty):
    pagerduty(client, delivery("pagerduty_triggered"))
    pagerduty(client, delivery("pagerduty_acknowledged"))

    acknowledged = Incident.objects.get().timeline.order_by("id").last()
    assert acknowledged.occurred_at == datetime(2026, 3, 14, 10, 8, 12, 517000, tzinfo=UTC)


def test_it_adds_nothing_when_pagerduty_retries_a_delivery(client, pagerduty):
    pagerduty(client, delivery("pagerduty_triggered"))
    pagerduty(client, delivery("pagerduty_acknowledged"))
    retry = pagerduty(client, delivery("pagerduty_acknowledged"))

    assert retry.json()["timeline_entries"] == 0
    assert len(texts(Incident.objects.get())) == 2


def test_it_answers_the_test_ping_without_opening_anything(client, pagerduty):
    response = pagerduty(client, delivery("pagerduty_ping"))

    assert response.status_code == 202
    assert "pagey.ping" in response.json()["ignored"]
    assert not Incident.objects.exists()


def test_it_sets_aside_an_acknowledgement_for_an_incident_it_never_saw(client, pagerduty):
    response = pagerduty(client, delivery("pagerduty_acknowledged"))

    assert response.status_code == 202
    assert not Incident.objects.exists()


def test_it_names_the_missing_field_in_a_malformed_event(client, pagerduty):
    body = delivery("pagerduty_triggered").replace(b'"id": "P7QK2MX"', b'"id": ""')

    response = pagerduty(client, body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "event.data.id", "message": "event.data.id must be a non-empty string."}
    ]
    assert not Incident.objects.exists()
