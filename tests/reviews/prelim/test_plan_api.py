"""The plan and the preliminary report through the private API: viewers read, responders write,
every refusal in the one error shape."""

import pytest

from clearline.api import api
from clearline.reviews.models import PlanItem
from clearline.reviews.preliminary import preliminary_report
from tests.api.conftest import ApiClient
from tests.factories import make_incident
from tests.unchanged import nothing_changes

REASON = "The cause was in our second update already."


@pytest.fixture
def api_as(client, people):
    from clearline.accounts.services import issue_token
    from clearline.core.permissions import SYSTEM

    def make(persona: str) -> ApiClient:
        _, raw = issue_token(user=people[persona], name="integration", by=SYSTEM)
        return ApiClient(client, raw)

    return make


def cause(incident) -> PlanItem:
    return PlanItem.objects.get(incident=incident, step="cause")


def test_a_viewer_reads_the_plan(api_as, resolved):
    response = api_as("support").get(f"/api/incidents/{resolved.public_id}/plan")
    assert response.status_code == 200
    assert [item["step"] for item in response.data] == [
        "facts",
        "answers",
        "cause",
        "prevention",
        "process",
    ]
    facts = response.data[0]
    assert facts["owner"] == "sam" and facts["state"] == "open" and facts["overdue"] is False
    assert facts["due_at"].endswith("+00:00") and facts["incident"] == resolved.public_id


def test_a_viewer_cannot_mark_a_step_not_needed(api_as, resolved):
    support = api_as("support")
    with nothing_changes():
        response = support.post(
            f"/api/plan-items/{cause(resolved).public_id}/not-needed", {"reason": REASON}
        )
    assert response.status_code == 403
    assert set(response.data) == {"detail", "errors"}


def test_a_responder_marks_a_step_not_needed(api_as, resolved):
    response = api_as("comms").post(
        f"/api/plan-items/{cause(resolved).public_id}/not-needed", {"reason": REASON}
    )
    assert response.status_code == 200, response.data
    assert (response.data["state"], response.data["reason"], response.data["closed_by"]) == (
        "not_needed",
        REASON,
        "sam",
    )


@pytest.mark.parametrize(
    ("body", "status"), [({}, 422), ({"reason": "  "}, 400), ({"reason": "x" * 1001}, 422)]
)
def test_a_missing_or_empty_reason_is_refused_naming_the_field(api_as, resolved, body, status):
    comms = api_as("comms")
    with nothing_changes():
        response = comms.post(f"/api/plan-items/{cause(resolved).public_id}/not-needed", body)
    assert response.status_code == status
    assert [error["field"] for error in response.data["errors"]] == ["reason"]


def test_a_closed_step_is_a_conflict(api_as, resolved):
    comms = api_as("comms")
    path = f"/api/plan-items/{cause(resolved).public_id}/not-needed"
    comms.post(path, {"reason": REASON})
    response = comms.post(path, {"reason": "Again."})
    assert response.status_code == 409
    assert response.data["detail"] == "This step is already not needed."


def test_unknown_ids_are_404_in_the_error_shape(api_as, resolved):
    comms = api_as("comms")
    for response in (
        comms.get("/api/incidents/nosuchthing1/plan"),
        comms.post("/api/plan-items/nosuchthing1/not-needed", {"reason": REASON}),
    ):
        assert response.status_code == 404
        assert set(response.data) == {"detail", "errors"}


def test_the_report_reads_as_an_update_of_kind_preliminary(api_as, resolved):
    report = preliminary_report(resolved)
    response = api_as("support").get(f"/api/updates/{report.public_id}")
    assert response.status_code == 200
    assert (response.data["kind"], response.data["status"], response.data["state"]) == (
        "preliminary",
        "resolved",
        "draft",
    )
    listed = api_as("support").get(f"/api/incidents/{resolved.public_id}/updates").data
    assert {u["kind"] for u in listed} == {"update", "preliminary"}


def test_drafting_the_report_by_api_is_idempotent_and_needs_a_resolution(api_as, people):
    comms = api_as("comms")
    incident = make_incident(title="Exports fail", status="resolved")  # no worker has run
    first = comms.post(f"/api/incidents/{incident.public_id}/preliminary-report")
    assert first.status_code == 201 and first.data["kind"] == "preliminary"
    again = comms.post(f"/api/incidents/{incident.public_id}/preliminary-report")
    assert again.status_code == 200 and again.data["id"] == first.data["id"]

    open_one = make_incident(title="Sign-in slow")
    with nothing_changes():
        refused = comms.post(f"/api/incidents/{open_one.public_id}/preliminary-report")
    assert refused.status_code == 409
    assert refused.data["detail"].startswith("A preliminary report follows the resolution")
    support = api_as("support")
    with nothing_changes():
        viewer = support.post(f"/api/incidents/{incident.public_id}/preliminary-report")
    assert viewer.status_code == 403


def test_the_operations_are_documented():
    paths = api.get_openapi_schema()["paths"]
    plan = paths["/api/incidents/{incident_id}/plan"]["get"]
    assert "first-week plan" in plan["description"]
    not_needed = paths["/api/plan-items/{item_id}/not-needed"]["post"]
    assert {200, 403, 409, 422} <= set(not_needed["responses"])
    report = paths["/api/incidents/{incident_id}/preliminary-report"]["post"]
    assert {200, 201, 409} <= set(report["responses"])
    kind = api.get_openapi_schema()["components"]["schemas"]["UpdateOut"]["properties"]["kind"]
    assert "preliminary" in str(kind) or "$ref" in str(kind)
