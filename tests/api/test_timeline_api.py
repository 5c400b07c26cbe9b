"""The commander keeps one timeline; integrations add to it and read it back."""

from clearline.incidents.models import TimelineEntry
from tests.factories import make_incident
from tests.unchanged import audited


def test_it_adds_a_timeline_entry_with_its_time(api_as, people):
    incident = make_incident()
    dana = api_as("commander")
    with audited() as entries:
        response = dana.post(
            f"/api/incidents/{incident.public_id}/timeline",
            {
                "text": "Rolled back release 42.",
                "kind": "change_made",
                "occurred_at": "2025-03-04T10:05:00+00:00",
            },
        )
    assert response.status_code == 201, response.data
    entry = TimelineEntry.objects.get(text="Rolled back release 42.")
    assert (entry.incident, entry.kind, entry.author.username) == (incident, "change_made", "dana")
    assert entries == [("timeline.added", "dana", "incidents.timelineentry", str(entry.pk))]
    assert response.data["kind"] == "change_made"
    assert response.data["occurred_at"] == "2025-03-04T10:05:00+00:00"
    assert response.data["author"] == "dana"


def test_it_lists_the_timeline_in_time_order(api_as, people):
    incident = make_incident()
    commander = api_as("commander")
    path = f"/api/incidents/{incident.public_id}/timeline"
    commander.post(path, {"text": "Verified.", "occurred_at": "2025-03-04T11:00:00+00:00"})
    commander.post(path, {"text": "Noticed.", "occurred_at": "2025-03-04T09:00:00+00:00"})
    response = api_as("support").get(path)
    assert response.status_code == 200
    assert [e["text"] for e in response.data] == ["Noticed.", "Verified."]


def test_it_names_an_unknown_timeline_kind(api_as, people):
    incident = make_incident()
    response = api_as("commander").post(
        f"/api/incidents/{incident.public_id}/timeline", {"text": "Hm.", "kind": "vibes"}
    )
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "kind"


def test_it_refuses_an_empty_timeline_entry(api_as, people):
    incident = make_incident()
    response = api_as("commander").post(
        f"/api/incidents/{incident.public_id}/timeline", {"text": " "}
    )
    assert response.status_code == 400
    assert response.data["errors"] == [{"field": "text", "message": "Say what happened."}]
    assert not incident.timeline.exists()
