"""What an integrator finds: the OpenAPI document, the docs page, and the public JSON untouched."""

import json
import urllib.error
import urllib.request

import pytest

from clearline.accounts.services import issue_token
from clearline.core.permissions import SYSTEM
from tests.factories import make_component
from tests.unchanged import nothing_changes

PATHS = {
    "/api/me",
    "/api/incidents",
    "/api/incidents/{incident_id}",
    "/api/incidents/{incident_id}/updates",
    "/api/incidents/{incident_id}/compose",
    "/api/incidents/{incident_id}/timeline",
    "/api/incidents/{incident_id}/facts",
    "/api/incidents/{incident_id}/facts/{fact_id}/settle",
    "/api/updates/{update_id}",
    "/api/updates/{update_id}/publish",
    "/api/updates/{update_id}/approve",
    "/api/components",
    "/api/components/{component_id}",
    "/api/checks",
    "/api/subscribers",
    "/api/subscribers/{subscriber_id}",
    "/api/incidents/{incident_id}/review",
    "/api/incidents/{incident_id}/review/attendees",
    "/api/incidents/{incident_id}/review/attendees/{attendee_id}",
    "/api/incidents/{incident_id}/review/held",
    "/api/incidents/{incident_id}/actions",
    "/api/actions",
    "/api/actions/{action_id}",
    "/api/actions/{action_id}/close",
    "/api/incidents/{incident_id}/plan",
    "/api/incidents/{incident_id}/preliminary-report",
    "/api/plan-items/{item_id}/not-needed",
    "/api/insights",
    "/api/accounts",
    "/api/accounts/import",
    "/api/incidents/{incident_id}/accounts",
    "/api/incidents/{incident_id}/followups",
    "/api/incidents/{incident_id}/accounts/{account_id}",
    "/api/followups/{follow_up_id}",
    "/api/followups/{follow_up_id}/done",
    "/api/incidents/{incident_id}/questions",
    "/api/incidents/{incident_id}/questions/{question_id}/answer",
    "/api/incidents/{incident_id}/reports",
    "/api/reports/{report_id}/publish",
    "/api/reports/{report_id}/export",
}


def openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_it_publishes_an_openapi_document_listing_every_path(client, db):
    schema = openapi(client)
    assert schema["openapi"].startswith("3.")
    assert schema["info"] == {
        "title": "clearline API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert set(schema["paths"]) == PATHS


def test_it_documents_the_bearer_token(client, db):
    schemes = openapi(client)["components"]["securitySchemes"]
    assert schemes["ApiToken"] == {"type": "http", "scheme": "bearer"}


def test_it_documents_the_error_shape_on_every_operation(client, db):
    schema = openapi(client)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("401", "403", "422"):
                ref = operation["responses"][code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, code)
            assert operation["security"], (method, path)


def test_it_gives_every_operation_a_short_unique_id(client, db):
    ids = [
        operation["operationId"]
        for operations in openapi(client)["paths"].values()
        for operation in operations.values()
    ]
    assert len(ids) == len(set(ids))
    assert "publish_update" in ids


def test_it_serves_the_docs_page_from_its_own_files(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_it_keeps_the_statuspage_json_public(client, db):
    make_component("Web app")
    response = client.get("/api/v2/summary.json")
    assert response.status_code == 200
    assert json.loads(response.content)["components"][0]["name"] == "Web app"


def test_it_answers_an_unknown_api_address_in_the_error_shape(client, db):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no API operation at /api/nothing-here.",
        "errors": [],
    }


def test_it_answers_an_integration_over_real_http(live_server, people):
    _, raw = issue_token(user=people["support"], name="monitor", by=SYSTEM)
    request = urllib.request.Request(
        f"{live_server.url}/api/me", headers={"Authorization": f"Bearer {raw}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/json")
        assert json.loads(response.read()) == {"username": "vic", "role": "viewer"}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live_server.url}/api/me", timeout=10)
    assert refused.value.code == 401
    assert json.loads(refused.value.read())["errors"] == []


def test_it_answers_a_wrong_method_in_the_error_shape(client, db):
    with nothing_changes():
        response = client.delete("/api/incidents")
    assert response.status_code == 405
    assert response.json()["detail"].startswith("DELETE is not allowed here; use ")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
