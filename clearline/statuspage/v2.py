"""Statuspage v2 public API documents, field for field, so existing clients read clearline."""

from datetime import datetime
from typing import Any

from django.conf import settings

from clearline.accounts.models import Organisation
from clearline.core.clock import in_zone
from clearline.incidents.models import (
    STATUS_SEVERITY,
    Component,
    ComponentGroup,
    ComponentStatus,
    Incident,
    Maintenance,
)
from clearline.statuspage import selectors
from clearline.statuspage.health import page_status
from clearline.updates.models import Update, UpdateKind

INCIDENT_LIMIT = 50  # as Statuspage: incidents.json holds the 50 most recent


def iso(value: datetime | None, org: Organisation) -> str | None:
    if value is None:
        return None
    return in_zone(value, org.zone).isoformat(timespec="milliseconds")


def page_url(org: Organisation) -> str:
    return (org.page_url or settings.SITE_URL).rstrip("/")


def page(org: Organisation, updated_at: datetime) -> dict[str, Any]:
    return {
        "id": org.public_id,
        "name": org.name,
        "url": page_url(org),
        "time_zone": org.time_zone,
        "updated_at": iso(updated_at, org),
    }


def component(c: Component, org: Organisation) -> dict[str, Any]:
    return {
        "id": c.public_id,
        "name": c.name,
        "status": c.status,
        "created_at": iso(c.created_at, org),
        "updated_at": iso(c.updated_at, org),
        "position": c.position,
        "description": c.description or None,
        "showcase": c.showcase,
        "start_date": in_zone(c.created_at, org.zone).date().isoformat(),
        "group_id": c.group.public_id if c.group_id else None,
        "page_id": org.public_id,
        "group": False,
        "only_show_if_degraded": False,
    }


def group(g: ComponentGroup, org: Organisation) -> dict[str, Any]:
    return {
        "id": g.public_id,
        "name": g.name,
        "status": worst_status(g.public_components),
        "created_at": iso(g.created_at, org),
        "updated_at": iso(g.updated_at, org),
        "position": g.position,
        "description": g.description or None,
        "showcase": False,
        "start_date": None,
        "group_id": None,
        "page_id": org.public_id,
        "group": True,
        "only_show_if_degraded": False,
        "components": [c.public_id for c in g.public_components],
    }


def worst_status(components: list[Component]) -> str:
    statuses = [ComponentStatus(c.status) for c in components] or [ComponentStatus.OPERATIONAL]
    return max(statuses, key=STATUS_SEVERITY.__getitem__).value


def components(org: Organisation) -> list[dict[str, Any]]:
    """Groups and components in display order, as Statuspage lists them."""
    # Groups and ungrouped components share the top level; members follow their group.
    items: list[tuple[tuple[int, ...], dict[str, Any]]] = []
    for g in selectors.component_groups():
        items.append(((g.position, 0, g.pk, 0, 0), group(g, org)))
    for c in selectors.public_components():
        if c.group_id:
            key = (c.group.position, 0, c.group_id, 1, c.position, c.pk)
        else:
            key = (c.position, 1, c.pk, 0, 0)
        items.append((key, component(c, org)))
    items.sort(key=lambda pair: pair[0])
    return [doc for _, doc in items]


def incident_update(u: Update, incident: Incident, org: Organisation) -> dict[str, Any]:
    return {
        "id": u.public_id,
        "status": u.status,
        "body": u.body,
        "incident_id": incident.public_id,
        "created_at": iso(u.published_at, org),
        "updated_at": iso(u.published_at, org),
        "display_at": iso(u.published_at, org),
        "affected_components": [
            {
                "code": a.component.public_id,
                "name": a.component.name,
                "old_status": a.status,
                "new_status": a.status,
            }
            for a in incident.public_affected
        ]
        or None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def incident(i: Incident, org: Organisation) -> dict[str, Any]:
    # The full report is Statuspage's postmortem, not one of the incident's updates.
    report = next((u for u in i.public_updates if u.kind == UpdateKind.REPORT), None)
    updates = [u for u in i.public_updates if u.kind != UpdateKind.REPORT]
    updated = updates[0].published_at if updates else i.updated_at
    return {
        "id": i.public_id,
        "name": i.title,
        "status": i.status,
        "created_at": iso(updates[-1].published_at if updates else i.created_at, org),
        "updated_at": iso(updated, org),
        "monitoring_at": iso(i.monitoring_at, org),
        "resolved_at": iso(i.resolved_at, org),
        "impact": i.impact,
        "shortlink": f"{page_url(org)}/incidents/{i.public_id}",
        "started_at": iso(i.started_at, org),
        "page_id": org.public_id,
        "incident_updates": [incident_update(u, i, org) for u in updates],
        "components": [component(a.component, org) for a in i.public_affected],
        "postmortem_body": report.body if report else None,
        "postmortem_published_at": iso(report.published_at, org) if report else None,
    }


def maintenance(m: Maintenance, org: Organisation) -> dict[str, Any]:
    update = {
        "id": f"{m.public_id}u",
        "status": m.status,
        "body": m.description,
        "incident_id": m.public_id,
        "created_at": iso(m.created_at, org),
        "updated_at": iso(m.updated_at, org),
        "display_at": iso(m.updated_at, org),
        "affected_components": None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }
    return {
        "id": m.public_id,
        "name": m.title,
        "status": m.status,
        "created_at": iso(m.created_at, org),
        "updated_at": iso(m.updated_at, org),
        "monitoring_at": None,
        "resolved_at": iso(m.scheduled_until, org) if m.status == "completed" else None,
        "impact": "maintenance",
        "shortlink": f"{page_url(org)}/#maintenance-{m.public_id}",
        "started_at": iso(m.scheduled_for, org),
        "page_id": org.public_id,
        "incident_updates": [update],
        "components": [component(c, org) for c in m.components.all()],
        "postmortem_body": None,
        "postmortem_published_at": None,
        "scheduled_for": iso(m.scheduled_for, org),
        "scheduled_until": iso(m.scheduled_until, org),
    }


def documents(org: Organisation) -> dict[str, dict[str, Any]]:
    """Every JSON document, keyed by its path under /api/v2/."""
    comps = list(selectors.public_components())
    unresolved = list(selectors.unresolved_incidents())
    recent = list(selectors.public_incidents()[:INCIDENT_LIMIT])
    upcoming = list(selectors.upcoming_maintenances())
    active = list(selectors.active_maintenances())
    every_maintenance = list(selectors.public_maintenances().order_by("-scheduled_for")[:50])
    status = page_status(comps, unresolved, maintenance_active=bool(active))
    component_docs = components(org)
    # The page changes when anything on it does, not at every render: stable bytes, stable ETag.
    times = [
        org.updated_at,
        *(c.updated_at for c in comps),
        *(m.updated_at for m in every_maintenance),
        *(i.public_updates[0].published_at for i in recent),
    ]
    updated = max(times)
    pg = page(org, updated)
    unresolved_docs = [incident(i, org) for i in unresolved]
    current_maintenance = [maintenance(m, org) for m in active + upcoming]
    return {
        "summary.json": {
            "page": pg,
            "components": component_docs,
            "incidents": unresolved_docs,
            "scheduled_maintenances": current_maintenance,
            "status": status,
        },
        "status.json": {"page": pg, "status": status},
        "components.json": {"page": pg, "components": component_docs},
        "incidents.json": {"page": pg, "incidents": [incident(i, org) for i in recent]},
        "incidents/unresolved.json": {"page": pg, "incidents": unresolved_docs},
        "scheduled-maintenances.json": {
            "page": pg,
            "scheduled_maintenances": [maintenance(m, org) for m in every_maintenance],
        },
        "scheduled-maintenances/upcoming.json": {
            "page": pg,
            "scheduled_maintenances": [maintenance(m, org) for m in upcoming],
        },
        "scheduled-maintenances/active.json": {
            "page": pg,
            "scheduled_maintenances": [maintenance(m, org) for m in active],
        },
    }
