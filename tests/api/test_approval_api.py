"""Approving through the API: the text is named by its content hash; publish needs the approval."""

import pytest

from clearline.accounts.services import issue_token
from clearline.core.models import AuditEntry
from clearline.core.permissions import SYSTEM
from clearline.updates.models import Update
from tests.api.conftest import ApiClient
from tests.factories import make_incident, make_user
from tests.unchanged import nothing_changes

CLEAN = (
    "Exports fail for all customers on the Pro plan. Our data team is investigating. "
    "Next update in 30 minutes."
)
NO_PROMISE = "Exports fail for all customers on the Pro plan. We apologize for any inconvenience."


@pytest.fixture
def incident(people):
    return make_incident(title="Exports fail", published=False)


def draft(api_as, incident, body=CLEAN):
    response = api_as("comms").post(f"/api/incidents/{incident.public_id}/updates", {"body": body})
    assert response.status_code == 201, response.data
    return response.data


def approve(api_as, update, persona="commander", **fields):
    body = {"content_hash": update["content_hash"], **fields}
    return api_as(persona).post(f"/api/updates/{update['id']}/approve", body)


def test_an_update_shows_its_content_hash_and_no_approval_until_approved(api_as, incident):
    update = draft(api_as, incident)
    assert len(update["content_hash"]) == 64
    assert update["approval"] is None


def test_the_commander_approves_and_the_approval_is_shown(api_as, incident):
    update = draft(api_as, incident)
    response = approve(api_as, update)
    assert response.status_code == 200, response.data
    assert response.data["state"] == "approved"
    approval = api_as("support").get(f"/api/updates/{update['id']}").data["approval"]
    assert approval["approver"] == "dana"
    assert approval["content_hash"] == update["content_hash"]
    assert approval["holds"] is True
    assert approval["override_reason"] == "" and approval["overridden_codes"] == []


def test_a_responder_cannot_approve(client, api_as, incident):
    """Not even a colleague's text (sam wrote it): approving is for approvers."""
    update = draft(api_as, incident)
    _, raw = issue_token(user=make_user("lee", "responder"), name="lee's integration", by=SYSTEM)
    lee = ApiClient(client, raw)
    with nothing_changes():
        response = lee.post(
            f"/api/updates/{update['id']}/approve", {"content_hash": update["content_hash"]}
        )
    assert response.status_code == 403
    assert set(response.data) == {"detail", "errors"}
    assert Update.objects.get(public_id=update["id"]).state == "draft"


def test_approving_text_that_changed_since_it_was_read_is_a_conflict(api_as, incident):
    update = draft(api_as, incident)
    api_as("comms").patch(f"/api/updates/{update['id']}", {"version": 1, "body": CLEAN + " Sorry."})
    response = approve(api_as, update)
    assert response.status_code == 409
    assert response.data["errors"][0]["field"] == "content_hash"
    assert response.data["current"]["body"] == CLEAN + " Sorry."
    assert response.data["current"]["content_hash"] != update["content_hash"]


def test_an_override_needs_a_reason_and_names_the_errors(api_as, incident):
    update = draft(api_as, incident, NO_PROMISE)
    response = approve(api_as, update)
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "override_reason"
    assert "CL104 missing-next-update" in response.data["detail"]
    rules = {f["rule"] for f in response.data["findings"]}
    assert {"stock-apology", "missing-next-update"} <= rules
    assert Update.objects.get(public_id=update["id"]).state == "draft"


def test_an_override_with_a_reason_is_kept(api_as, incident):
    update = draft(api_as, incident, NO_PROMISE)
    response = approve(api_as, update, override_reason="Banner carries the time.")
    assert response.status_code == 200, response.data
    assert response.data["approval"]["overridden_codes"] == ["CL104"]
    assert response.data["approval"]["override_reason"] == "Banner carries the time."
    published = api_as("comms").post(f"/api/updates/{update['id']}/publish")
    assert published.status_code == 200, published.data
    entry = AuditEntry.objects.get(action="update.approved")
    assert entry.changes["override_reason"] == "Banner carries the time."


def test_publishing_unapproved_text_is_refused_with_the_findings(api_as, incident):
    update = draft(api_as, incident, NO_PROMISE)
    response = api_as("comms").post(f"/api/updates/{update['id']}/publish")
    assert response.status_code == 409
    assert response.data["detail"].startswith("This update is not approved yet.")
    assert {"stock-apology", "missing-next-update"} <= {
        f["rule"] for f in response.data["findings"]
    }
    assert {
        "field": "body",
        "message": "CL104 missing-next-update: "
        + next(f["message"] for f in response.data["findings"] if f["code"] == "CL104"),
    } in response.data["errors"]
    assert Update.objects.get(public_id=update["id"]).state == "draft"


def test_text_edited_after_the_approval_is_refused_until_approved_again(api_as, incident):
    update = draft(api_as, incident)
    approve(api_as, update)
    edited = (
        api_as("comms")
        .patch(
            f"/api/updates/{update['id']}", {"version": 1, "body": CLEAN + " Thanks for waiting."}
        )
        .data
    )
    assert edited["approval"] is None and edited["state"] == "draft"
    refused = api_as("comms").post(f"/api/updates/{update['id']}/publish")
    assert refused.status_code == 409
    assert approve(api_as, edited).status_code == 200
    assert api_as("comms").post(f"/api/updates/{update['id']}/publish").status_code == 200
