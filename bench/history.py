"""Years of incident history for the benchmarks: realistic text, spread over several years.

`load_with_services` goes through open_incident / draft_update / publish_update like a person
would; `load_in_bulk` writes the same shape of rows directly, for histories too long to publish
one by one (it is only ever used to measure, never as a way to publish).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.demo import GROUPS, UNGROUPED, make_components
from clearline.incidents import services as incidents
from clearline.incidents.models import AffectedComponent, Component, Incident, Segment
from clearline.updates.models import Update
from clearline.updates.services import draft_update, publish_update

SYMPTOMS = [
    ("{c} slow to respond", "Requests to {c} take several seconds longer than usual."),
    ("{c} returning errors", "Some requests to {c} fail with an error page."),
    ("{c} unavailable in one region", "{c} cannot be reached by customers in one region."),
    ("Delays in {c}", "Work queued in {c} is processed up to 30 minutes late."),
]
CAUSES = [
    "a configuration change in this morning's release",
    "an expired certificate on an internal connection",
    "a full disk on one database replica",
    "a slow query introduced by a new report",
]
SEGMENTS = [("everyone", ""), ("region", "European Union"), ("plan", "Enterprise")]
IMPACTS = ["minor", "minor", "major", "critical"]
STATUSES = ["partial_outage", "degraded_performance", "major_outage"]
# Incidents arrive at a steady rate, so a longer history is an older one, not a busier month.
PER_MONTH = 20


@dataclass
class Story:
    """One incident's shape: when, what, and the updates customers read."""

    title: str
    impact: str
    component: str
    status: str
    segment: tuple[str, str]
    started_at: datetime
    updates: list[tuple[int, str, str]]  # (minutes after start, status, text)
    resolved: bool


def stories(count: int, *, unresolved: int, now: datetime, seed: int = 7) -> list[Story]:
    """`count` resolved incidents, PER_MONTH a month back from now, then `unresolved` open ones."""
    rng = random.Random(seed)
    names = [name for members in GROUPS.values() for name, _ in members]
    names += [name for name, _ in UNGROUPED]
    span_minutes = int(count / PER_MONTH * 30.44 * 24 * 60)
    made = []
    for n in range(count + unresolved):
        resolved = n < count
        name = rng.choice(names)
        title, symptom = rng.choice(SYMPTOMS)
        cause = rng.choice(CAUSES)
        if resolved:
            started = now - timedelta(minutes=rng.randrange(4 * 60, span_minutes))
        else:
            started = now - timedelta(minutes=rng.randrange(40, 120))
        started = started.replace(second=0, microsecond=0)
        text = symptom.format(c=name)
        updates = [(8, "investigating", f"{text} We are investigating; next update in 30 minutes.")]
        updates.append((35, "identified", f"The cause is {cause}. We are rolling out a fix."))
        if resolved:
            minutes = rng.randrange(50, 240)
            updates.append(
                (
                    minutes,
                    "resolved",
                    f"{name} has worked normally since the fix. We confirmed it by repeating the "
                    "failed requests and watching error rates for half an hour. No data was lost.",
                )
            )
        else:
            updates = updates[: 1 + n % 2]
        made.append(
            Story(
                title=title.format(c=name),
                impact=rng.choice(IMPACTS),
                component=name,
                status=rng.choice(STATUSES),
                segment=rng.choice(SEGMENTS),
                started_at=started,
                updates=updates,
                resolved=resolved,
            )
        )
    return made


def load_with_services(count: int, *, unresolved: int, by) -> list[Incident]:
    """Publish every update through publish_update, all in one transaction."""
    now = timezone.now()
    made = []
    with transaction.atomic():
        comps = make_components()
        for story in stories(count, unresolved=unresolved, now=now):
            incident = incidents.open_incident(
                by=by,
                title=story.title,
                impact=story.impact,
                started_at=story.started_at,
                detected_at=story.started_at + timedelta(minutes=3),
                components={comps[story.component]: story.status},
                segments=[story.segment],
            )
            for minutes, status, body in story.updates:
                update = draft_update(incident=incident, by=by, status=status, body=body)
                at = min(story.started_at + timedelta(minutes=minutes), now)
                publish_update(update=update, by=by, now=at)
            made.append(incident)
    return made


def load_in_bulk(count: int, *, unresolved: int) -> None:
    """The same history as rows written directly: many thousands of incidents in seconds."""
    now = timezone.now()
    with transaction.atomic():
        Organisation.current()
        comps = make_components()
        plan = stories(count, unresolved=unresolved, now=now)
        rows = Incident.objects.bulk_create(
            Incident(
                title=s.title,
                impact=s.impact,
                status=s.updates[-1][1],
                started_at=s.started_at,
                detected_at=s.started_at + timedelta(minutes=3),
                identified_at=s.started_at + timedelta(minutes=35) if len(s.updates) > 1 else None,
                resolved_at=s.started_at + timedelta(minutes=s.updates[-1][0])
                if s.resolved
                else None,
            )
            for s in plan
        )
        AffectedComponent.objects.bulk_create(
            AffectedComponent(incident=i, component=comps[s.component], status=s.status)
            for i, s in zip(rows, plan, strict=True)
        )
        Segment.objects.bulk_create(
            Segment(incident=i, kind=s.segment[0], label=s.segment[1])
            for i, s in zip(rows, plan, strict=True)
        )
        Update.objects.bulk_create(
            Update(
                incident=i,
                status=status,
                body=body,
                state="published",
                published_at=s.started_at + timedelta(minutes=minutes),
            )
            for i, s in zip(rows, plan, strict=True)
            for minutes, status, body in s.updates
        )
        for s in plan:
            if not s.resolved:
                Component.objects.filter(name=s.component).update(status=s.status)
