"""A comms owner's integration opens, reads and edits incidents through the JSON API."""

from datetime import UTC, datetime, timedelta

import pytest

from clearline.core.models import AuditEntry
from clearline.incidents.models import Incident
from tests.factories import make_component, make_incident

STARTED = "2025-03-04T09:15:00+01:00"


def new_incident(**fields):
    return {"title": "Checkout fails for card payments", "started_at": STARTED, **fields}


@pytest.fixture
def comms(api_as):
    return api_as("comms")


def test_it_opens_an_incident_with_everything_the_first_update_needs(comms, people):
    web = make_component("Web app")
    response = comms.post(
        "/api/incidents",
        new_incident(
            impact="major",
            still_works="Invoices and exports still work.",
            commander="dana",
            comms_owner="sam",
            components=[{"component": web.public_id, "status": "major_outage"}],
            segments=[{"kind": "region", "label": "EU"}, {"kind": "plan", "label": "Team"}],
        ),
    )
    assert response.status_code == 201, response.data
    incident = response.data
    assert incident["title"] == "Checkout fails for card payments"
    assert incident["impact"] == "major" and incident["status"] == "investigating"
    assert incident["commander"] == "dana" and incident["comms_owner"] == "sam"
    assert incident["components"] == [
        {"id": web.public_id, "name": "Web app", "status": "major_outage"}
    ]
    assert incident["segments"] == [
        {"kind": "region", "label": "EU"},
        {"kind": "plan", "label": "Team"},
    ]
    assert incident["still_works"] == "Invoices and exports still work."
    assert datetime.fromisoformat(incident["started_at"]) == datetime.fromisoformat(STARTED)


def test_it_gives_times_in_iso_8601_with_an_offset(comms):
    incident = comms.post("/api/incidents", new_incident()).data
    for key in ("started_at", "detected_at", "created_at", "updated_at"):
        assert datetime.fromisoformat(incident[key]).utcoffset() is not None, key
        assert incident[key].endswith("+00:00"), incident[key]


def test_it_records_the_token_owner_as_the_actor(comms, people):
    public_id = comms.post("/api/incidents", new_incident()).data["id"]
    incident = Incident.objects.get(public_id=public_id)
    assert incident.created_by == people["comms"]
    entry = AuditEntry.objects.get(action="incident.opened", object_id=str(incident.pk))
    assert entry.actor == people["comms"]


def test_it_names_the_missing_title(comms):
    response = comms.post("/api/incidents", {"started_at": STARTED})
    assert response.status_code == 422
    assert response.data["errors"] == [{"field": "title", "message": "This field is required."}]
    assert "title" in response.data["detail"]
    assert not Incident.objects.exists()


def test_it_refuses_an_unknown_impact(comms):
    response = comms.post("/api/incidents", new_incident(impact="catastrophic"))
    assert response.status_code == 422
    [error] = response.data["errors"]
    assert error["field"] == "impact"
    assert "'major'" in error["message"]


def test_it_refuses_a_time_without_a_zone(comms):
    response = comms.post("/api/incidents", new_incident(started_at="2025-03-04T09:15:00"))
    assert response.status_code == 422
    assert response.data["errors"] == [
        {
            "field": "started_at",
            "message": "Give the time with a time zone, e.g. 2025-05-01T09:30:00+02:00.",
        }
    ]


def test_it_names_the_nested_field_at_fault(comms):
    web = make_component("Web app")
    response = comms.post(
        "/api/incidents",
        new_incident(components=[{"component": web.public_id, "status": "on_fire"}]),
    )
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "components.0.status"


def test_it_refuses_a_blank_title_with_a_400(comms):
    response = comms.post("/api/incidents", new_incident(title="   "))
    assert response.status_code == 400
    assert response.data == {
        "detail": "Give the incident a title.",
        "errors": [{"field": "title", "message": "Give the incident a title."}],
    }


def test_it_refuses_an_unknown_commander_and_keeps_nothing(comms):
    response = comms.post("/api/incidents", new_incident(commander="nobody"))
    assert response.status_code == 400
    assert response.data["errors"] == [
        {"field": "commander", "message": "No active user is called 'nobody'."}
    ]
    assert not Incident.objects.exists()


def test_it_refuses_an_unknown_component(comms):
    response = comms.post(
        "/api/incidents", new_incident(components=[{"component": "zzzzzzzzzzzz"}])
    )
    assert response.status_code == 400
    assert response.data["errors"][0]["field"] == "components.0.component"
    assert not Incident.objects.exists()


def test_it_refuses_a_body_that_is_not_json(comms, client):
    response = client.post(
        "/api/incidents",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {comms.token}"},
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON")
    assert [error["field"] for error in response.json()["errors"]] == ["body"]


def test_it_shows_one_incident_with_its_people_and_scope(api_as, people):
    web = make_component("Web app")
    incident = make_incident(
        components={web: "partial_outage"},
        commander=people["commander"],
        still_works="Reading is fine.",
    )
    response = api_as("support").get(f"/api/incidents/{incident.public_id}")
    assert response.status_code == 200
    assert response.data["id"] == incident.public_id
    assert response.data["commander"] == "dana" and response.data["comms_owner"] is None
    assert response.data["components"][0]["status"] == "partial_outage"
    assert response.data["still_works"] == "Reading is fine."


def test_it_answers_404_for_an_unknown_incident(api_as, people):
    response = api_as("support").get("/api/incidents/zzzzzzzzzzzz")
    assert response.status_code == 404
    assert response.data == {"detail": "No incident has the id 'zzzzzzzzzzzz'.", "errors": []}


def test_it_lists_incidents_newest_first_with_internal_ones(api_as, people):
    make_incident(title="Older", started_ago=timedelta(hours=3))
    make_incident(title="Private one", visibility="internal", published=False)
    response = api_as("support").get("/api/incidents")
    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [i["title"] for i in response.data["items"]] == ["Private one", "Older"]


def test_it_filters_by_resolved(api_as, people):
    make_incident(title="Still broken")
    make_incident(title="Fixed", status="resolved")
    active = api_as("support").get("/api/incidents?resolved=false").data["items"]
    resolved = api_as("support").get("/api/incidents?resolved=true").data["items"]
    assert [i["title"] for i in active] == ["Still broken"]
    assert [i["title"] for i in resolved] == ["Fixed"]


def test_it_filters_by_status_and_visibility(api_as, people):
    make_incident(title="Found it", status="identified")
    make_incident(title="Looking", status="investigating")
    make_incident(title="Quiet", visibility="internal", published=False)
    support = api_as("support")
    by_status = support.get("/api/incidents?status=identified").data["items"]
    internal = support.get("/api/incidents?visibility=internal").data["items"]
    assert [i["title"] for i in by_status] == ["Found it"]
    assert [i["title"] for i in internal] == ["Quiet"]


def test_it_names_a_bad_filter(api_as, people):
    response = api_as("support").get("/api/incidents?status=sleeping")
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "status"


def test_it_pages_the_incident_list(api_as, people):
    for number in range(3):
        make_incident(title=f"Incident {number}", started_ago=timedelta(hours=number + 1))
    page = api_as("support").get("/api/incidents?limit=2&offset=1").data
    assert page["count"] == 3
    assert [i["title"] for i in page["items"]] == ["Incident 1", "Incident 2"]


def test_it_edits_only_the_fields_sent(comms, people):
    incident = make_incident(impact="minor", still_works="Exports work.")
    response = comms.patch(
        f"/api/incidents/{incident.public_id}", {"impact": "critical", "comms_owner": "sam"}
    )
    assert response.status_code == 200, response.data
    assert response.data["impact"] == "critical" and response.data["comms_owner"] == "sam"
    assert response.data["still_works"] == "Exports work."
    assert response.data["title"] == incident.title


def test_it_replaces_affected_components_on_edit(comms, people):
    web, api = make_component("Web app"), make_component("Public API")
    incident = make_incident(components={web: "partial_outage"})
    response = comms.patch(
        f"/api/incidents/{incident.public_id}",
        {"components": [{"component": api.public_id, "status": "major_outage"}]},
    )
    assert [c["name"] for c in response.data["components"]] == ["Public API"]


def test_an_approver_clears_the_commander_with_null(api_as, people):
    incident = make_incident(commander=people["commander"])
    dana = api_as("commander")
    response = dana.patch(f"/api/incidents/{incident.public_id}", {"commander": None})
    assert response.status_code == 200
    assert response.data["commander"] is None


def test_it_refuses_a_null_title_on_edit(comms, people):
    incident = make_incident(title="Search is slow")
    response = comms.patch(f"/api/incidents/{incident.public_id}", {"title": None})
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "title"
    incident.refresh_from_db()
    assert incident.title == "Search is slow"


def test_it_refuses_a_naive_time_on_edit(comms, people):
    incident = make_incident()
    before = incident.started_at
    response = comms.patch(
        f"/api/incidents/{incident.public_id}", {"started_at": "2025-03-04T08:00:00"}
    )
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "started_at"
    incident.refresh_from_db()
    assert incident.started_at == before


def test_it_takes_a_time_in_any_zone_and_stores_the_instant(comms, people):
    incident = make_incident()
    response = comms.patch(
        f"/api/incidents/{incident.public_id}", {"started_at": "2025-03-04T08:00:00-05:00"}
    )
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.started_at == datetime(2025, 3, 4, 13, 0, tzinfo=UTC)
