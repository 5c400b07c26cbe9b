"""The action items through the private API: viewers read, responders add, change and close,
and every refusal has the API's one error shape."""

import pytest

from clearline.api import api
from clearline.reviews.models import ActionItem
from tests.reviews.actions.conftest import ALERT, RUNBOOK, add_item, days
from tests.unchanged import nothing_changes


def new_item(**fields) -> dict:
    return {
        "outcome": ALERT,
        "owner": "sam",
        "due_date": days(5).isoformat(),
        "category": "detection",
        **fields,
    }


def shaped(response, status: int, field: str | None) -> dict:
    assert response.status_code == status, response.data
    assert set(response.data) >= {"detail", "errors"}
    if field is not None:
        assert [error["field"] for error in response.data["errors"]] == [field]
    return response.data


def test_a_responder_adds_an_item(api_as, resolved):
    response = api_as("comms").post(f"/api/incidents/{resolved.public_id}/actions", new_item())
    assert response.status_code == 201, response.data
    item = ActionItem.objects.get()
    assert response.data["id"] == item.public_id
    assert response.data["incident"] == resolved.public_id
    assert (response.data["outcome"], response.data["owner"]) == (ALERT, "sam")
    assert (response.data["status"], response.data["overdue"]) == ("open", False)
    assert response.data["created_by"] == "sam"


def test_a_viewer_reads_but_cannot_add(api_as, resolved, overdue):
    viewer = api_as("support")
    listed = viewer.get(f"/api/incidents/{resolved.public_id}/actions")
    assert listed.status_code == 200 and [i["outcome"] for i in listed.data] == [RUNBOOK]
    with nothing_changes():
        refused = viewer.post(f"/api/incidents/{resolved.public_id}/actions", new_item())
        closing = viewer.post(f"/api/actions/{overdue.public_id}/close", {"evidence_note": "x"})
    assert "reviews.add_actionitem" in shaped(refused, 403, None)["detail"]
    shaped(closing, 403, None)


def test_no_token_is_a_401_in_the_error_shape(api_as, resolved):
    shaped(api_as(None).get(f"/api/incidents/{resolved.public_id}/actions"), 401, None)


@pytest.mark.parametrize("left_out", ["owner", "due_date", "outcome"])
def test_a_missing_part_is_a_422_naming_the_field_with_cl151(api_as, resolved, left_out):
    body = new_item()
    del body[left_out]
    client = api_as("comms")
    with nothing_changes():
        response = client.post(f"/api/incidents/{resolved.public_id}/actions", body)
    data = shaped(response, 422, left_out)
    assert data["detail"].startswith("CL151 incomplete-action-item:")
    [finding] = data["findings"]
    assert (finding["code"], finding["rule"]) == ("CL151", "incomplete-action-item")


def test_a_vague_outcome_is_a_422_with_the_cl153_finding(api_as, resolved):
    vague = new_item(outcome="Review our processes")
    client = api_as("comms")
    with nothing_changes():
        response = client.post(f"/api/incidents/{resolved.public_id}/actions", vague)
    data = shaped(response, 422, "outcome")
    assert data["findings"][0]["code"] == "CL153"
    reason = "The review on Thursday turns this into named changes."
    kept = client.post(
        f"/api/incidents/{resolved.public_id}/actions", {**vague, "override_reason": reason}
    )
    assert kept.status_code == 201 and kept.data["override_reason"] == reason


def test_an_unknown_owner_and_a_bad_date_name_their_fields(api_as, resolved):
    client = api_as("comms")
    path = f"/api/incidents/{resolved.public_id}/actions"
    shaped(client.post(path, new_item(owner="nobody")), 400, "owner")
    shaped(client.post(path, new_item(due_date="next week")), 422, "due_date")
    shaped(client.post(path, new_item(category="hope")), 422, "category")
    shaped(client.post(path, new_item(outcome="x" * 301)), 422, "outcome")


def test_it_changes_an_item_and_closes_it_with_evidence(api_as, resolved, people):
    item = add_item(resolved, by=people["commander"], owner=people["comms"])
    client = api_as("comms")
    changed = client.patch(f"/api/actions/{item.public_id}", {"status": "in_progress"})
    assert changed.status_code == 200 and changed.data["status"] == "in_progress"
    refused = client.post(f"/api/actions/{item.public_id}/close", {})
    assert "needs evidence" in shaped(refused, 400, "evidence_note")["detail"]
    closed = client.post(
        f"/api/actions/{item.public_id}/close",
        {"evidence_url": "https://wiki.example.com/runbooks/mail-queue"},
    )
    assert closed.status_code == 200
    assert (closed.data["status"], closed.data["closed_by"]) == ("done", "sam")
    again = client.post(f"/api/actions/{item.public_id}/close", {"evidence_note": "Again."})
    shaped(again, 409, "status")
    shaped(client.patch(f"/api/actions/{item.public_id}", {"status": "open"}), 409, "status")


def test_closing_through_a_patch_is_refused(api_as, resolved, people):
    item = add_item(resolved, by=people["commander"], owner=people["comms"])
    response = api_as("comms").patch(f"/api/actions/{item.public_id}", {"status": "done"})
    shaped(response, 422, "status")


def test_the_list_of_every_incident_filters_by_status_and_lateness(
    api_as, resolved, overdue, people
):
    fresh = add_item(resolved, by=people["commander"], owner=people["comms"], outcome=ALERT)
    client = api_as("support")
    assert [i["id"] for i in client.get("/api/actions").data] == [
        overdue.public_id,
        fresh.public_id,
    ]
    assert [i["id"] for i in client.get("/api/actions?overdue=true").data] == [overdue.public_id]
    assert [i["id"] for i in client.get("/api/actions?overdue=false").data] == [fresh.public_id]
    assert client.get("/api/actions?status=done").data == []
    one = client.get(f"/api/actions/{overdue.public_id}")
    assert one.status_code == 200 and one.data["overdue"] is True


def test_unknown_ids_are_404s_in_the_error_shape(api_as):
    client = api_as("support")
    assert "action item" in shaped(client.get("/api/actions/nosuchitem00"), 404, None)["detail"]
    shaped(client.get("/api/incidents/nosuchincid0/actions"), 404, None)
    shaped(client.get("/api/actions?incident=nosuchincid0"), 404, None)


def test_the_schema_documents_the_operations_and_the_csv_answer():
    paths = api.get_openapi_schema()["paths"]
    assert set(paths["/api/incidents/{incident_id}/actions"]) == {"get", "post"}
    assert set(paths["/api/actions/{action_id}"]) == {"get", "patch"}
    assert set(paths["/api/actions/{action_id}/close"]) == {"post"}
    listing = paths["/api/actions"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"status", "overdue", "incident", "format"}
    assert "text/csv" in listing["responses"][200]["content"]
    created = paths["/api/incidents/{incident_id}/actions"]["post"]["responses"]
    assert {201, 403, 422} <= set(created)
