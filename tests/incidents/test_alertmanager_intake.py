"""An on-call engineer's Alertmanager pages clearline: one internal incident per alert group,
and a timeline that follows the group without repeating itself."""

from datetime import UTC, datetime

from clearline.incidents.models import Incident, TimelineEntry
from tests.factories import make_component, publish
from tests.incidents.conftest import delivery


def timeline(incident: Incident) -> list[TimelineEntry]:
    return list(incident.timeline.order_by("id"))


def test_it_takes_title_impact_and_start_from_the_alert(client, alertmanager):
    alertmanager(client, delivery("alertmanager_firing"))

    incident = Incident.objects.get()
    assert incident.title == "Checkout requests are failing"
    assert incident.impact == "critical"
    assert incident.started_at == datetime(2026, 3, 14, 9, 12, 30, 118460, tzinfo=UTC)
    assert incident.visibility == "internal" and incident.status == "investigating"


def test_it_writes_what_fired_and_where_to_look_into_the_first_entry(client, alertmanager):
    alertmanager(client, delivery("alertmanager_firing"))

    (entry,) = timeline(Incident.objects.get())
    assert entry.kind == "noticed"
    assert "instance=checkout-1:8080" in entry.text
    assert "since 2026-03-14 09:12 UTC" in entry.text
    assert "https://prometheus.example.com/graph?" in entry.text
    assert "Alertmanager: https://alertmanager.example.com" in entry.text
    assert "internal draft" in entry.text


def test_it_keeps_one_incident_while_a_group_fires_grows_and_resolves(client, alertmanager):
    for name in ["alertmanager_firing", "alertmanager_firing_more", "alertmanager_resolved"]:
        assert alertmanager(client, delivery(name)).status_code == 200

    incident = Incident.objects.get()
    first, grown, resolved = timeline(incident)
    assert "1 alert(s) now firing" in grown.text and "checkout-2:8080" in grown.text
    assert "every alert in this group resolved" in resolved.text
    assert resolved.occurred_at == datetime(2026, 3, 14, 9, 51, 0, 118460, tzinfo=UTC)


def test_it_leaves_resolving_to_a_person_when_the_alerts_stop(client, alertmanager):
    alertmanager(client, delivery("alertmanager_firing"))
    alertmanager(client, delivery("alertmanager_resolved"))

    incident = Incident.objects.get()
    assert incident.status == "investigating" and incident.resolved_at is None
    assert "clearline has not resolved this incident" in timeline(incident)[-1].text


def test_it_adds_nothing_when_alertmanager_repeats_a_notification(client, alertmanager):
    alertmanager(client, delivery("alertmanager_firing"))
    response = alertmanager(client, delivery("alertmanager_firing"))

    assert response.json()["timeline_entries"] == 0
    assert len(timeline(Incident.objects.get())) == 1


def test_it_opens_a_second_incident_for_another_group(client, alertmanager):
    alertmanager(client, delivery("alertmanager_firing"))
    alertmanager(client, delivery("alertmanager_other_group"))

    disk = Incident.objects.get(title="Database disk on db-2 will be full within 4 hours")
    assert Incident.objects.count() == 2
    assert disk.impact == "minor"  # severity=warning


def test_it_ignores_a_resolved_group_it_never_saw_firing(client, alertmanager):
    response = alertmanager(client, delivery("alertmanager_resolved"))

    assert response.status_code == 202
    assert "no open incident" in response.json()["ignored"]
    assert not Incident.objects.exists()


def test_it_opens_a_fresh_incident_when_the_group_fires_after_a_person_resolved_it(
    client, alertmanager, people
):
    alertmanager(client, delivery("alertmanager_firing"))
    first = Incident.objects.get()
    publish(first, "Checkout works again.", status="resolved", by=people["commander"])

    response = alertmanager(client, delivery("alertmanager_firing"))

    assert response.json()["created"] is True
    second = Incident.objects.exclude(pk=first.pk).get()
    assert second.alert_links.get().external_key.endswith('{alertname="CheckoutErrorRate"}')


def test_it_marks_the_sources_usual_components_as_affected(client, alertmanager):
    checkout = make_component("Checkout")
    alertmanager.source.default_components.add(checkout)

    alertmanager(client, delivery("alertmanager_firing"))

    affected = Incident.objects.get().affected.get()
    assert affected.component == checkout and affected.status == "major_outage"


def test_it_uses_the_sources_impact_when_alerts_carry_no_severity(client, alertmanager):
    alertmanager.source.default_impact = "major"
    alertmanager.source.save()
    body = delivery("alertmanager_firing").replace(b'"severity": "critical"', b'"tier": "one"')

    alertmanager(client, body)

    assert Incident.objects.get().impact == "major"
