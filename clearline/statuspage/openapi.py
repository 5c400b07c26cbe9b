"""An OpenAPI description of the public Statuspage v2 documents (v2.py), served beside them at
/api/v2/openapi.json, so client authors and schema-driven tests know each field's shape.

Every object lists all its fields as required and no others: a field added to or dropped from
v2.py without this document fails the schema tests (tests/statuspage/test_v2_schema.py).
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from clearline.incidents.models import ComponentStatus, Impact, IncidentStatus, MaintenanceStatus
from clearline.statuspage.health import INDICATOR_DESCRIPTION

TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}
FLAG = {"type": "boolean"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(**fields: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": fields,
        "required": list(fields),
        "additionalProperties": False,
    }


def _component(*, group: bool) -> dict[str, Any]:
    fields = {
        "id": TEXT,
        "name": TEXT,
        "status": {"enum": ComponentStatus.values},
        "created_at": TIME,
        "updated_at": TIME,
        "position": {"type": "integer"},
        "description": MAYBE_TEXT,
        "showcase": FLAG,
        "start_date": {"type": ["string", "null"], "format": "date"},
        "group_id": MAYBE_TEXT,
        "page_id": TEXT,
        "group": {"const": group},
        "only_show_if_degraded": FLAG,
    }
    if group:
        fields["components"] = {"type": "array", "items": TEXT}
    return _object(**fields)


def _update(*, status: list[str]) -> dict[str, Any]:
    affected = _object(code=TEXT, name=TEXT, old_status=TEXT, new_status=TEXT)
    return _object(
        id=TEXT,
        status={"enum": status},
        body=TEXT,
        incident_id=TEXT,
        created_at=TIME,
        updated_at=TIME,
        display_at=TIME,
        affected_components={"anyOf": [{"type": "array", "items": affected}, {"type": "null"}]},
        deliver_notifications=FLAG,
        custom_tweet={"type": "null"},
        tweet_id={"type": "null"},
    )


def _incident(*, maintenance: bool) -> dict[str, Any]:
    statuses = MaintenanceStatus.values if maintenance else IncidentStatus.values
    fields = {
        "id": TEXT,
        "name": TEXT,
        "status": {"enum": statuses},
        "created_at": TIME,
        "updated_at": TIME,
        "monitoring_at": MAYBE_TIME,
        "resolved_at": MAYBE_TIME,
        "impact": {"const": "maintenance"} if maintenance else {"enum": Impact.values},
        "shortlink": TEXT,
        "started_at": TIME,
        "page_id": TEXT,
        "incident_updates": {"type": "array", "items": _update(status=statuses)},
        "components": {"type": "array", "items": _ref("Component")},
        # The published external incident report (Markdown), as Statuspage's postmortem.
        "postmortem_body": MAYBE_TEXT,
        "postmortem_published_at": MAYBE_TIME,
    }
    if maintenance:
        fields |= {"scheduled_for": TIME, "scheduled_until": TIME}
    return _object(**fields)


SCHEMAS = {
    "Page": _object(id=TEXT, name=TEXT, url=TEXT, time_zone=TEXT, updated_at=TIME),
    "Status": _object(
        indicator={"enum": list(INDICATOR_DESCRIPTION)},
        description={"enum": list(INDICATOR_DESCRIPTION.values())},
    ),
    "Component": _component(group=False),
    "ComponentGroup": _component(group=True),
    "Incident": _incident(maintenance=False),
    "ScheduledMaintenance": _incident(maintenance=True),
}
LISTS = {
    "components": {
        "type": "array",
        "items": {"anyOf": [_ref("Component"), _ref("ComponentGroup")]},
    },
    "incidents": {"type": "array", "items": _ref("Incident")},
    "scheduled_maintenances": {"type": "array", "items": _ref("ScheduledMaintenance")},
    "status": _ref("Status"),
}
# Each document under /api/v2/: what it says, and which lists it holds besides `page`.
DOCUMENTS = {
    "summary.json": ("Everything on the page", list(LISTS)),
    "status.json": ("The page's overall status", ["status"]),
    "components.json": ("Components and groups in display order", ["components"]),
    "incidents.json": ("The 50 most recent public incidents", ["incidents"]),
    "incidents/unresolved.json": ("Public incidents not yet resolved", ["incidents"]),
    "scheduled-maintenances.json": ("Recent and upcoming maintenance", ["scheduled_maintenances"]),
    "scheduled-maintenances/upcoming.json": (
        "Maintenance not yet started",
        ["scheduled_maintenances"],
    ),
    "scheduled-maintenances/active.json": ("Maintenance under way", ["scheduled_maintenances"]),
}
HTML = {"text/html": {"schema": TEXT}}


def _operation(path: str, summary: str, lists: list[str]) -> dict[str, Any]:
    body = _object(page=_ref("Page"), **{name: LISTS[name] for name in lists})
    return {
        "get": {
            "operationId": path.removesuffix(".json").replace("/", "_").replace("-", "_"),
            "summary": summary,
            "responses": {
                "200": {"description": summary, "content": {"application/json": {"schema": body}}},
                "304": {"description": "Not modified since the ETag sent in If-None-Match."},
                "503": {"description": "The page could not be read or rendered.", "content": HTML},
            },
        }
    }


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "clearline public status API",
            "version": "2",
            "description": "The public status documents, field for field as Statuspage's v2 "
            "API, so existing clients read them. No authentication; cached and served from "
            "the last rendered snapshot.",
        },
        "paths": {
            f"/api/v2/{path}": _operation(path, summary, lists)
            for path, (summary, lists) in DOCUMENTS.items()
        },
        "components": {"schemas": SCHEMAS},
    }


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(document(), headers={"Cache-Control": "public, max-age=3600"})
