"""An integration composes an update's text from its facts, and drafts it when asked."""

import pytest

from clearline.updates.models import Update
from tests.factories import make_incident
from tests.unchanged import nothing_changes

FACTS = {
    "kind": "first",
    "symptom": "Exports fail for large files",
    "action": "Export smaller date ranges for now",
}


@pytest.fixture
def incident(people):
    return make_incident(
        title="Exports fail",
        published=False,
        impact="major",
        still_works="Dashboards still load.",
        segments=[("plan", "Business")],
    )


def test_it_returns_the_text_from_the_facts_and_the_record(api_as, incident):
    response = api_as("comms").post(f"/api/incidents/{incident.public_id}/compose", FACTS)
    assert response.status_code == 200, response.data
    data = response.data
    assert "Exports fail for large files." in data["text"]
    assert "customers on the Business plan" in data["text"]
    assert "Dashboards still load." in data["text"]
    assert data["template"] == "first-major-1"
    assert data["update"] is None
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    assert not Update.objects.exists()


def test_it_drafts_the_text_when_asked(api_as, incident):
    response = api_as("comms").post(
        f"/api/incidents/{incident.public_id}/compose?draft=true", FACTS
    )
    assert response.status_code == 201, response.data
    update = Update.objects.get()
    assert response.data["update"]["id"] == update.public_id
    assert (update.body, update.state) == (response.data["text"], "draft")
    assert response.data["update"]["next_update_due"] == response.data["next_update_due"]


def test_a_missing_fact_is_named(api_as, incident):
    body = {"kind": "resolved", "symptom": "Exports failed", "fixed_at": "2025-03-04T10:00:00Z"}
    response = api_as("comms").post(f"/api/incidents/{incident.public_id}/compose", body)
    assert response.status_code == 400
    assert response.data["errors"] == [
        {"field": "verification", "message": "Say how the fix was checked."}
    ]


def test_a_naive_time_is_refused_in_the_error_shape(api_as, incident):
    body = {**FACTS, "started_at": "2025-03-04T10:00:00"}
    response = api_as("comms").post(f"/api/incidents/{incident.public_id}/compose", body)
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "started_at"


def test_a_viewer_may_not_compose(api_as, incident):
    support = api_as("support")
    with nothing_changes():
        response = support.post(f"/api/incidents/{incident.public_id}/compose?draft=true", FACTS)
    assert response.status_code == 403
    assert not Update.objects.exists()
