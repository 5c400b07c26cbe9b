"""An integration drafts, approves, publishes and exports reports through the API, with the
roles of the desk and the one error shape."""

from clearline.updates.models import Update


def test_a_responder_drafts_and_a_viewer_reads(filled, api_as):
    drafted = api_as("comms").call("POST", f"/api/incidents/{filled.public_id}/reports")
    assert drafted.status_code == 201
    assert [r["edition"] for r in drafted.data] == ["internal", "plain", "technical"]
    listed = api_as("support").get(f"/api/incidents/{filled.public_id}/reports")
    assert listed.status_code == 200
    plain = next(r for r in listed.data if r["edition"] == "plain")
    assert plain["check_errors"] == 0 and plain["public"] is True
    assert "What we are changing" in plain["sections"]


def test_a_viewer_cannot_draft(filled, api_as):
    refused = api_as("support").call("POST", f"/api/incidents/{filled.public_id}/reports")
    assert refused.status_code == 403 and set(refused.data) >= {"detail", "errors"}


def test_approved_through_the_updates_api_and_published(filled, api_as, client):
    drafted = api_as("comms").call("POST", f"/api/incidents/{filled.public_id}/reports").data
    plain = next(r for r in drafted if r["edition"] == "plain")
    approver = api_as("commander")
    approved = approver.call(
        "POST",
        f"/api/updates/{plain['update_id']}/approve",
        {"content_hash": plain["content_hash"]},
    )
    assert approved.status_code == 200
    published = approver.call("POST", f"/api/reports/{plain['id']}/publish", {"notify": False})
    assert published.status_code == 200
    assert published.data["pdf_url"] == f"/incidents/{filled.public_id}/report.pdf"
    assert Update.objects.get(public_id=plain["update_id"]).is_published


def test_publishing_the_internal_report_is_refused_in_the_error_shape(filled, api_as):
    drafted = api_as("comms").call("POST", f"/api/incidents/{filled.public_id}/reports").data
    internal = next(r for r in drafted if r["edition"] == "internal")
    refused = api_as("commander").call("POST", f"/api/reports/{internal['id']}/publish")
    assert refused.status_code == 400
    assert "never published" in refused.data["detail"] and refused.data["errors"] == []


def test_exports_a_file(filled, api_as):
    drafted = api_as("comms").call("POST", f"/api/incidents/{filled.public_id}/reports").data
    response = api_as("support").client.get(
        f"/api/reports/{drafted[1]['id']}/export?format=md",
        headers={"Authorization": f"Bearer {api_as('support').token}"},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/markdown")
    assert b"## Summary" in response.content


def test_an_unknown_report_is_a_404_in_the_error_shape(db, api_as, people):
    missing = api_as("support").get("/api/reports/nosuchreport/export")
    assert missing.status_code == 404 and "nosuchreport" in missing.data["detail"]
