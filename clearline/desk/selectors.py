"""What the desk reads. Responders see everything, internal incidents and drills included."""

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from clearline.incidents.models import (
    AffectedComponent,
    Fact,
    FactKind,
    FactStatus,
    Incident,
    IncidentStatus,
    TimelineEntry,
)
from clearline.updates.models import Update
from clearline.updates.selectors import public_updates


def _with_promises(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Annotate each incident with its last public update and the next one it promised."""
    latest = public_updates(OuterRef("pk"))
    return incidents.select_related("commander", "comms_owner").annotate(
        last_public_update_at=Subquery(latest.values("published_at")[:1]),
        next_update_due=Subquery(latest.values("next_update_due")[:1]),
    )


def active_incidents() -> QuerySet[Incident]:
    return _with_promises(Incident.objects.exclude(status=IncidentStatus.RESOLVED)).order_by(
        "-started_at", "-id"
    )


def resolved_incidents() -> QuerySet[Incident]:
    return _with_promises(Incident.objects.filter(status=IncidentStatus.RESOLVED)).order_by(
        F("resolved_at").desc(nulls_last=True), "-id"
    )


def incident_record() -> QuerySet[Incident]:
    return _with_promises(Incident.objects.all()).prefetch_related(
        Prefetch("affected", queryset=AffectedComponent.objects.select_related("component")),
        "segments",
    )


def timeline_of(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.select_related("author")


def ledger_of(incident: Incident) -> dict[str, list[Fact]]:
    """Confirmed facts and open questions kept apart, as the ledger shows them."""
    ledger: dict[str, list[Fact]] = {"facts": [], "questions": [], "withdrawn": []}
    for fact in incident.facts.select_related("created_by", "confirmed_by"):
        if fact.status == FactStatus.WITHDRAWN:
            ledger["withdrawn"].append(fact)
        elif fact.status == FactStatus.OPEN and fact.kind == FactKind.QUESTION:
            ledger["questions"].append(fact)
        else:
            ledger["facts"].append(fact)
    return ledger


def updates_of(incident: Incident) -> QuerySet[Update]:
    """Drafts first, then what was published, newest first."""
    return incident.updates.select_related("author").order_by(
        F("published_at").desc(nulls_first=True), "-id"
    )
