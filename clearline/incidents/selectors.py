"""Reads for the desk and the private API. Public surfaces use statuspage.selectors instead."""

from django.db.models import Prefetch, QuerySet

from clearline.incidents.models import (
    AffectedComponent,
    Component,
    Fact,
    Incident,
    IncidentStatus,
    TimelineEntry,
)


def incidents(
    *, status: str | None = None, resolved: bool | None = None, visibility: str | None = None
) -> QuerySet[Incident]:
    """Every incident, internal ones and drills included, newest first."""
    rows = Incident.objects.select_related("commander", "comms_owner").prefetch_related(
        Prefetch("affected", queryset=AffectedComponent.objects.select_related("component")),
        "segments",
    )
    if status is not None:
        rows = rows.filter(status=status)
    if resolved is True:
        rows = rows.filter(status=IncidentStatus.RESOLVED)
    elif resolved is False:
        rows = rows.exclude(status=IncidentStatus.RESOLVED)
    if visibility is not None:
        rows = rows.filter(visibility=visibility)
    return rows.order_by("-started_at", "-id")


def incident(public_id: str) -> Incident | None:
    return incidents().filter(public_id=public_id).first()


def components() -> QuerySet[Component]:
    return Component.objects.select_related("group")


def component(public_id: str) -> Component | None:
    return components().filter(public_id=public_id).first()


def components_by_public_id(public_ids: list[str]) -> dict[str, Component]:
    return {c.public_id: c for c in Component.objects.filter(public_id__in=public_ids)}


def timeline(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.select_related("author").order_by("occurred_at", "id")


def facts(incident: Incident) -> QuerySet[Fact]:
    return incident.facts.select_related("created_by", "confirmed_by").order_by("created_at", "id")


def fact(incident: Incident, fact_id: int) -> Fact | None:
    return facts(incident).filter(pk=fact_id).first()
