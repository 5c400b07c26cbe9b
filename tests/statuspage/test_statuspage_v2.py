"""A Statuspage client reads clearline's JSON unchanged: every document, field for field."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from clearline.incidents.models import Maintenance
from tests.factories import make_component, make_incident, publish

PAGE = {"id", "name", "url", "time_zone", "updated_at"}
COMPONENT = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
}
INCIDENT = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "impact",
    "shortlink",
    "started_at",
    "page_id",
    "incident_updates",
    "components",
    "postmortem_body",
    "postmortem_published_at",
}
UPDATE = {
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
}
MAINTENANCE = INCIDENT | {"scheduled_for", "scheduled_until"}
COMPONENT_STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
IMPACTS = {"none", "minor", "major", "critical"}
INDICATORS = {"none", "minor", "major", "critical", "maintenance"}


def get_json(client, path):
    response = client.get(f"/api/v2/{path}")
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def assert_time(value, *, nullable=False):
    if nullable and value is None:
        return
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, f"{value} has no offset"


def check_page(page):
    assert set(page) == PAGE
    assert len(page["id"]) == 12 and page["url"].startswith("http")
    assert_time(page["updated_at"])


def check_component(doc):
    assert set(doc) - {"components"} == COMPONENT
    assert doc["status"] in COMPONENT_STATUSES
    assert isinstance(doc["position"], int) and isinstance(doc["group"], bool)
    assert_time(doc["created_at"])
    assert_time(doc["updated_at"])
    if doc["group"]:
        assert all(isinstance(cid, str) for cid in doc["components"])


def check_update(doc, incident_id, statuses):
    assert set(doc) == UPDATE
    assert doc["status"] in statuses and doc["incident_id"] == incident_id
    assert isinstance(doc["body"], str) and doc["body"]
    for key in ("created_at", "updated_at", "display_at"):
        assert_time(doc[key])
    for affected in doc["affected_components"] or []:
        assert set(affected) == {"code", "name", "old_status", "new_status"}
        assert affected["new_status"] in COMPONENT_STATUSES


def check_incident(doc):
    assert set(doc) == INCIDENT
    assert doc["status"] in INCIDENT_STATUSES and doc["impact"] in IMPACTS
    assert doc["shortlink"].endswith(doc["id"])
    for key in ("created_at", "updated_at", "started_at"):
        assert_time(doc[key])
    assert_time(doc["monitoring_at"], nullable=True)
    assert_time(doc["resolved_at"], nullable=True)
    assert doc["incident_updates"], "a public incident always has an update"
    for update in doc["incident_updates"]:
        check_update(update, doc["id"], INCIDENT_STATUSES)
    for component in doc["components"]:
        check_component(component)


def check_maintenance(doc):
    assert set(doc) == MAINTENANCE
    assert doc["status"] in MAINTENANCE_STATUSES and doc["impact"] == "maintenance"
    assert_time(doc["scheduled_for"])
    assert_time(doc["scheduled_until"])
    for update in doc["incident_updates"]:
        check_update(update, doc["id"], MAINTENANCE_STATUSES)


@pytest.fixture
def page_with_history(db):
    api = make_component("Public API", group="Integrations")
    web = make_component("Web app")
    past = make_incident(
        title="Invoices slow to open",
        components={web: "degraded_performance"},
        started_ago=timedelta(days=3),
    )
    publish(past, "Fixed and verified by reopening the slow invoices.", status="resolved")
    live = make_incident(
        title="API requests fail", impact="major", components={api: "major_outage"}
    )
    publish(live, "We found the cause and are rolling back.", status="identified")
    now = timezone.now()
    soon = Maintenance.objects.create(
        title="Database upgrade",
        description="Read-only 30 min.",
        scheduled_for=now + timedelta(days=1),
        scheduled_until=now + timedelta(days=1, minutes=30),
    )
    soon.components.set([web])
    Maintenance.objects.create(
        title="Network work",
        description="Brief reconnects.",
        status="in_progress",
        scheduled_for=now - timedelta(minutes=5),
        scheduled_until=now + timedelta(minutes=25),
    )
    return {"past": past, "live": live, "api": api, "web": web}


def test_it_serves_summary_in_statuspage_shape(client, page_with_history):
    summary = get_json(client, "summary.json")
    assert set(summary) == {"page", "components", "incidents", "scheduled_maintenances", "status"}
    check_page(summary["page"])
    assert summary["status"] == {"indicator": "critical", "description": "Major System Outage"}
    names = [c["name"] for c in summary["components"]]
    assert names == ["Integrations", "Public API", "Web app"]
    for component in summary["components"]:
        check_component(component)
    group = summary["components"][0]
    assert group["group"] is True and group["components"] == [page_with_history["api"].public_id]
    assert summary["components"][1]["group_id"] == group["id"]
    assert [i["name"] for i in summary["incidents"]] == ["API requests fail"]
    for incident in summary["incidents"]:
        check_incident(incident)
    assert {m["name"] for m in summary["scheduled_maintenances"]} == {
        "Database upgrade",
        "Network work",
    }
    for maintenance in summary["scheduled_maintenances"]:
        check_maintenance(maintenance)


def test_it_lists_newest_update_first_like_statuspage(client, page_with_history):
    incident = get_json(client, "incidents/unresolved.json")["incidents"][0]
    assert [u["status"] for u in incident["incident_updates"]] == ["identified", "investigating"]
    assert incident["status"] == "identified"
    assert incident["components"][0]["status"] == "major_outage"


def test_it_serves_status_and_components(client, page_with_history):
    status = get_json(client, "status.json")
    assert set(status) == {"page", "status"}
    assert status["status"]["indicator"] in INDICATORS
    components = get_json(client, "components.json")
    assert set(components) == {"page", "components"}
    for component in components["components"]:
        check_component(component)


def test_it_serves_every_incident_in_incidents_json(client, page_with_history):
    incidents = get_json(client, "incidents.json")["incidents"]
    assert [i["name"] for i in incidents] == ["API requests fail", "Invoices slow to open"]
    for incident in incidents:
        check_incident(incident)
    resolved = incidents[1]
    assert resolved["status"] == "resolved"
    assert_time(resolved["resolved_at"])


def test_it_splits_maintenance_into_upcoming_and_active(client, page_with_history):
    upcoming = get_json(client, "scheduled-maintenances/upcoming.json")
    active = get_json(client, "scheduled-maintenances/active.json")
    every = get_json(client, "scheduled-maintenances.json")
    assert [m["name"] for m in upcoming["scheduled_maintenances"]] == ["Database upgrade"]
    assert [m["name"] for m in active["scheduled_maintenances"]] == ["Network work"]
    assert {m["name"] for m in every["scheduled_maintenances"]} == {
        "Database upgrade",
        "Network work",
    }
    for maintenance in every["scheduled_maintenances"]:
        check_maintenance(maintenance)


def test_it_reports_all_operational_when_quiet(client, db):
    make_component("Web app")
    status = get_json(client, "status.json")["status"]
    assert status == {"indicator": "none", "description": "All Systems Operational"}


def test_it_returns_components_to_operational_on_resolve(client, page_with_history):
    publish(
        page_with_history["live"],
        "Rolled back; verified by replaying failed requests.",
        status="resolved",
    )
    summary = get_json(client, "summary.json")
    assert summary["incidents"] == []
    statuses = {c["name"]: c["status"] for c in summary["components"]}
    assert statuses["Public API"] == "operational"
