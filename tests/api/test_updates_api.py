"""A comms owner drafts, edits and publishes updates through the JSON API."""

import json
from datetime import datetime

import pytest

from clearline.core.models import OutboxEvent
from clearline.statuspage.snapshot import render_everything
from clearline.updates.models import Update
from tests.factories import make_component, make_incident, run_jobs


@pytest.fixture
def comms(api_as):
    return api_as("comms")


@pytest.fixture
def incident(people):
    return make_incident(title="Exports stall", published=False)


def draft(comms, incident_id, body="We are looking into stalled exports.", **fields):
    response = comms.post(f"/api/incidents/{incident_id}/updates", {"body": body, **fields})
    assert response.status_code == 201, response.data
    return response.data


def approve(api_as, update, reason="Read with the team; clear for customers."):
    """The commander approves the text as the comms owner drafted it."""
    response = api_as("commander").post(
        f"/api/updates/{update['id']}/approve",
        {"content_hash": update["content_hash"], "override_reason": reason},
    )
    assert response.status_code == 200, response.data
    return response.data


def public_json(client, name="summary.json"):
    response = client.get(f"/api/v2/{name}")
    assert response.status_code == 200
    return json.loads(response.content)


def test_it_drafts_an_update_that_stays_private(comms, incident, people):
    update = draft(comms, incident.public_id, next_update_due="2025-03-04T10:00:00+00:00")
    assert update["state"] == "draft" and update["version"] == 1
    assert update["incident"] == incident.public_id
    assert update["status"] == "investigating" and update["audience"] == "public"
    assert update["author"] == "sam"
    assert update["next_update_due"] == "2025-03-04T10:00:00+00:00"
    assert update["published_at"] is None


def test_it_names_the_missing_body(comms, incident):
    response = comms.post(f"/api/incidents/{incident.public_id}/updates", {})
    assert response.status_code == 422
    assert response.data["errors"] == [{"field": "body", "message": "This field is required."}]


def test_it_refuses_a_blank_body(comms, incident):
    response = comms.post(f"/api/incidents/{incident.public_id}/updates", {"body": "  "})
    assert response.status_code == 400
    assert response.data["errors"] == [{"field": "body", "message": "Write the update text."}]
    assert not Update.objects.exists()


def test_it_refuses_a_naive_next_update_time(comms, incident):
    response = comms.post(
        f"/api/incidents/{incident.public_id}/updates",
        {"body": "Looking into it.", "next_update_due": "2025-03-04T10:00:00"},
    )
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "next_update_due"


def test_it_lists_every_update_newest_first(api_as, comms, incident):
    draft(comms, incident.public_id, "First words.")
    draft(comms, incident.public_id, "Second words.", audience="internal")
    response = api_as("support").get(f"/api/incidents/{incident.public_id}/updates")
    assert response.status_code == 200
    assert [u["body"] for u in response.data] == ["Second words.", "First words."]


def test_it_shows_one_update(api_as, comms, incident):
    update = draft(comms, incident.public_id)
    response = api_as("support").get(f"/api/updates/{update['id']}")
    assert response.status_code == 200
    assert response.data == update


def test_it_answers_404_for_an_unknown_update(comms):
    response = comms.get("/api/updates/zzzzzzzzzzzz")
    assert response.status_code == 404
    assert response.data["detail"] == "No update has the id 'zzzzzzzzzzzz'."


def test_it_edits_a_draft_and_raises_its_version(comms, incident):
    update = draft(comms, incident.public_id)
    response = comms.patch(
        f"/api/updates/{update['id']}",
        {"version": 1, "body": "We found the cause: a stuck queue.", "status": "identified"},
    )
    assert response.status_code == 200, response.data
    assert response.data["body"] == "We found the cause: a stuck queue."
    assert response.data["status"] == "identified" and response.data["version"] == 2


def test_it_refuses_a_stale_version_and_keeps_the_draft(api_as, comms, incident):
    update = draft(comms, incident.public_id, "Original words.")
    api_as("commander").patch(
        f"/api/updates/{update['id']}", {"version": 1, "body": "The commander's words."}
    )
    response = comms.patch(f"/api/updates/{update['id']}", {"version": 1, "body": "Late words."})
    assert response.status_code == 409
    assert response.data["current"]["version"] == 2
    assert response.data["current"]["body"] == "The commander's words."
    assert response.data["errors"][0]["field"] == "version"
    stored = Update.objects.get(public_id=update["id"])
    assert stored.body == "The commander's words." and stored.version == 2


def test_it_needs_the_version_to_edit(comms, incident):
    update = draft(comms, incident.public_id)
    response = comms.patch(f"/api/updates/{update['id']}", {"body": "No version."})
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "version"


def test_it_publishes_an_update_to_the_public_json(client, api_as, comms, incident):
    update = draft(
        comms, incident.public_id, "Exports stall; we are restarting the export workers."
    )
    approve(api_as, update)
    response = comms.post(f"/api/updates/{update['id']}/publish")
    run_jobs()
    assert response.status_code == 200, response.data
    assert response.data["state"] == "published"
    assert datetime.fromisoformat(response.data["published_at"]).utcoffset() is not None
    assert response.data["next_update_due"] is not None
    [public] = public_json(client)["incidents"]
    assert public["name"] == "Exports stall"
    assert public["incident_updates"][0]["body"] == (
        "Exports stall; we are restarting the export workers."
    )


def test_it_refuses_to_publish_twice(api_as, comms, incident):
    update = draft(comms, incident.public_id)
    approve(api_as, update)
    comms.post(f"/api/updates/{update['id']}/publish")
    response = comms.post(f"/api/updates/{update['id']}/publish")
    assert response.status_code == 400
    assert response.data == {"detail": "This update is already published.", "errors": []}


def test_it_refuses_to_edit_a_published_update(api_as, comms, incident):
    update = draft(comms, incident.public_id, "As published.")
    approve(api_as, update)
    comms.post(f"/api/updates/{update['id']}/publish")
    response = comms.patch(f"/api/updates/{update['id']}", {"version": 1, "body": "Changed."})
    assert response.status_code == 400
    assert Update.objects.get(public_id=update["id"]).body == "As published."


@pytest.mark.parametrize("hidden", [{"visibility": "internal"}, {"is_drill": True}])
def test_it_keeps_private_incidents_off_the_public_json_when_published(
    client, api_as, comms, people, hidden
):
    web = make_component("Web app")
    make_incident(title="Known public incident", components={web: "degraded_performance"})
    before = {name: public_json(client, name) for name in ("summary.json", "incidents.json")}
    opened = comms.post(
        "/api/incidents",
        {
            "title": "Secret database migration trouble",
            "started_at": "2025-03-04T09:15:00+00:00",
            "components": [{"component": web.public_id, "status": "major_outage"}],
            **hidden,
        },
    ).data
    update = draft(comms, opened["id"], "Secret words.")
    approve(api_as, update)
    published = comms.post(f"/api/updates/{update['id']}/publish")
    run_jobs()
    assert published.status_code == 200
    render_everything()
    for name, old in before.items():
        new = public_json(client, name)
        assert new["incidents"] == old["incidents"], name
        assert "Secret" not in json.dumps(new)
    components = public_json(client, "components.json")["components"]
    assert [c["status"] for c in components] == ["degraded_performance"]


@pytest.mark.parametrize(
    "body, told", [(None, True), ({"notify": True}, True), ({"notify": False}, False)]
)
def test_it_publishes_with_or_without_telling_subscribers(api_as, comms, incident, body, told):
    update = draft(comms, incident.public_id, "Exports stall; we are restarting the workers.")
    approve(api_as, update)
    response = comms.call("POST", f"/api/updates/{update['id']}/publish", body)
    assert response.status_code == 200, response.data
    [event] = OutboxEvent.objects.filter(kind="update.published")
    assert event.notify is told


def test_the_openapi_document_describes_the_notify_switch(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    publish = schema["paths"]["/api/updates/{update_id}/publish"]["post"]
    ref = publish["requestBody"]["content"]["application/json"]["schema"]
    name = (ref.get("$ref") or ref["anyOf"][0]["$ref"]).rsplit("/", 1)[1]
    notify = schema["components"]["schemas"][name]["properties"]["notify"]
    assert notify["type"] == "boolean" and notify["default"] is True
    assert "subscribers" in notify["description"]
