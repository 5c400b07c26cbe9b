"""Functions that change incidents; views, API, CLI and admin call these. One transaction each."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clearline.core import audit, clock, limits, outbox, permissions
from clearline.core.errors import ClearlineError
from clearline.core.models import EventKind
from clearline.incidents.models import (
    STATUS_SEVERITY,
    AffectedComponent,
    Component,
    ComponentStatus,
    Fact,
    FactKind,
    FactStatus,
    Incident,
    Segment,
    SegmentKind,
    TimelineEntry,
)

INCIDENT_FIELDS = [
    "title",
    "impact",
    "visibility",
    "is_drill",
    "still_works",
    "started_at",
    "detected_at",
    "commander",
    "comms_owner",
]


# Times of what has happened: they may not lie ahead of now by more than clock skew.
PAST_TIMES = ("started_at", "detected_at")


def _set_components(incident: Incident, components: dict[Component, str]) -> None:
    for status in components.values():
        if status not in ComponentStatus.values:
            raise ClearlineError(f"{status!r} is not a component status.", field="components")
    AffectedComponent.objects.filter(incident=incident).exclude(
        component__in=list(components)
    ).delete()
    for component, status in components.items():
        AffectedComponent.objects.update_or_create(
            incident=incident, component=component, defaults={"status": status}
        )


def _set_segments(incident: Incident, segments: Iterable[tuple[str, str]]) -> None:
    segments = list(segments)
    for index, (kind, label) in enumerate(segments):
        if kind not in SegmentKind.values:
            raise ClearlineError(f"{kind!r} is not a segment kind.", field="segments")
        if kind != SegmentKind.EVERYONE and not label.strip():
            raise ClearlineError("Name the region, plan, platform or feature.", field="segments")
        limits.accept(label, limits.SEGMENT_LABEL, field=f"segments.{index}.label")
    incident.segments.all().delete()
    for kind, label in segments:
        Segment.objects.create(incident=incident, kind=kind, label=label.strip())


def _accept_texts(fields: dict) -> None:
    """The incident's own texts within their limits (docs/limits.md), before anything is saved."""
    for name, limit in (("title", limits.TITLE), ("still_works", limits.STILL_WORKS)):
        if fields.get(name) is not None:
            limits.accept(fields[name], limit, field=name)


@transaction.atomic
def open_incident(
    *,
    by,
    title: str,
    started_at: datetime,
    impact: str = "minor",
    visibility: str = "public",
    is_drill: bool = False,
    still_works: str = "",
    detected_at: datetime | None = None,
    commander=None,
    comms_owner=None,
    components: dict[Component, str] | None = None,
    segments: Iterable[tuple[str, str]] = (),
) -> Incident:
    permissions.require_perm(by, "incidents.add_incident")
    if not title.strip():
        raise ClearlineError("Give the incident a title.", field="title")
    _accept_texts({"title": title, "still_works": still_works})
    clock.require_plausible(started_at, "started_at")
    clock.require_plausible(detected_at, "detected_at")
    permissions.require_commander_choice(by, before_id=None, after=commander, opening=True)
    incident = Incident(
        title=title.strip(),
        impact=impact,
        visibility=visibility,
        is_drill=is_drill,
        still_works=still_works,
        started_at=started_at,
        detected_at=detected_at or timezone.now(),
        commander=commander,
        comms_owner=comms_owner,
        created_by=permissions.person(by),
    )
    incident.full_clean(exclude=["commander", "comms_owner", "created_by"])
    incident.save()
    _set_components(incident, components or {})
    _set_segments(incident, segments)
    audit.record(
        actor=by,
        action="incident.opened",
        obj=incident,
        summary=f"Opened incident “{incident.title}”",
        changes={"impact": impact, "visibility": visibility, "is_drill": is_drill},
    )
    return incident


@transaction.atomic
def edit_incident(
    *,
    incident: Incident,
    by,
    components: dict[Component, str] | None = None,
    segments: Iterable[tuple[str, str]] | None = None,
    **fields,
) -> Incident:
    permissions.require_perm(by, "incidents.change_incident")
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise ClearlineError(f"Cannot change {', '.join(sorted(unknown))}.")
    _accept_texts(fields)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if "commander" in fields:
        permissions.require_commander_choice(
            by, before_id=incident.commander_id, after=fields["commander"]
        )
    before = audit.snapshot_fields(incident, list(fields))
    for name, value in fields.items():
        setattr(incident, name, value)
    # The whole record, not only what changed: a time stored before these checks existed must be
    # corrected before anything else about the incident is saved.
    for name in PAST_TIMES:
        clock.require_plausible(getattr(incident, name), name)
    if "title" in fields and not incident.title.strip():
        raise ClearlineError("Give the incident a title.", field="title")
    incident.full_clean(exclude=["commander", "comms_owner", "created_by"])
    incident.save()
    changes = audit.diff(incident, before, list(fields))
    if components is not None:
        _set_components(incident, components)
        changes["components"] = {c.name: s for c, s in components.items()}
    if segments is not None:
        segments = list(segments)
        _set_segments(incident, segments)
        changes["segments"] = [list(s) for s in segments]
    audit.record(
        actor=by,
        action="incident.edited",
        obj=incident,
        summary=f"Edited incident “{incident.title}”",
        changes=changes,
    )
    # Always: an incident made internal or a drill must leave the public snapshot at once.
    outbox.publish(EventKind.PAGE_CHANGED, incident_id=incident.pk)
    return incident


@transaction.atomic
def add_timeline_entry(
    *, incident: Incident, by, text: str, kind: str = "note", occurred_at: datetime | None = None
) -> TimelineEntry:
    permissions.require_perm(by, "incidents.add_timelineentry")
    if not text.strip():
        raise ClearlineError("Say what happened.", field="text")
    limits.accept(text, limits.TIMELINE_TEXT, field="text")
    clock.require_plausible(occurred_at, "occurred_at")
    entry = TimelineEntry(
        incident=incident,
        kind=kind,
        text=text.strip(),
        occurred_at=occurred_at or timezone.now(),
        author=permissions.person(by),
    )
    entry.full_clean(exclude=["incident", "author"])
    entry.save()
    audit.record(
        actor=by,
        action="timeline.added",
        obj=entry,
        summary=f"Timeline ({entry.get_kind_display()}) on “{incident.title}”",
        changes={"text": entry.text, "kind": kind},
    )
    return entry


@transaction.atomic
def add_fact(
    *, incident: Incident, by, text: str, kind: str = FactKind.QUESTION, subject: str = "other"
) -> Fact:
    permissions.require_perm(by, "incidents.add_fact")
    if not text.strip():
        raise ClearlineError("Write the fact or question.", field="text")
    limits.accept(text, limits.FACT_TEXT, field="text")
    confirmed = kind == FactKind.FACT
    fact = Fact(
        incident=incident,
        kind=kind,
        subject=subject,
        text=text.strip(),
        status=FactStatus.CONFIRMED if confirmed else FactStatus.OPEN,
        created_by=permissions.person(by),
    )
    if confirmed:
        fact.confirmed_by = fact.created_by
        fact.confirmed_at = timezone.now()
    fact.full_clean(exclude=["incident", "created_by", "confirmed_by"])
    fact.save()
    audit.record(
        actor=by,
        action="fact.added",
        obj=fact,
        summary=f"{fact.get_kind_display()} on “{incident.title}”",
        changes={"text": fact.text, "subject": subject},
    )
    return fact


@transaction.atomic
def settle_fact(*, fact: Fact, by, status: str, text: str | None = None) -> Fact:
    """Confirm a fact, answer or withdraw a question."""
    permissions.require_perm(by, "incidents.change_fact")
    if status not in FactStatus.values or status == FactStatus.OPEN:
        raise ClearlineError("Choose confirmed, answered or withdrawn.", field="status")
    if text is not None:
        limits.accept(text, limits.FACT_TEXT, field="text")
    before = fact.status
    fact.status = status
    if text is not None and text.strip():
        fact.text = text.strip()
    if status in {FactStatus.CONFIRMED, FactStatus.ANSWERED}:
        fact.kind = FactKind.FACT
        fact.confirmed_by = permissions.person(by)
        fact.confirmed_at = timezone.now()
    fact.save()
    audit.record(
        actor=by,
        action="fact.settled",
        obj=fact,
        summary=f"Fact marked {status}",
        changes={"status": [before, status]},
    )
    return fact


def public_component_status(
    component: Component, *, exclude_incident: Incident | None = None
) -> str:
    """The worst status among unresolved public incidents that affect the component."""
    rows = AffectedComponent.objects.filter(
        component=component, incident__in=Incident.objects.public()
    ).exclude(incident__status="resolved")
    if exclude_incident is not None:
        rows = rows.exclude(incident=exclude_incident)
    statuses = set(rows.values_list("status", flat=True))
    if not statuses:
        return ComponentStatus.OPERATIONAL
    return max(statuses, key=lambda s: STATUS_SEVERITY[ComponentStatus(s)])


@transaction.atomic
def set_component_status(*, component: Component, by, status: str) -> Component:
    permissions.require_perm(by, "incidents.change_component")
    if status not in ComponentStatus.values:
        raise ClearlineError(f"{status!r} is not a component status.", field="status")
    before = component.status
    component.status = status
    component.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=by,
        action="component.status",
        obj=component,
        summary=f"{component.name}: {before} → {status}",
        changes={"status": [before, status]},
    )
    outbox.publish(EventKind.PAGE_CHANGED)
    return component
