"""The one approved text, and the incident facts every channel shows beside it."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from clearline.accounts.models import Organisation
from clearline.core.clock import in_zone, time_label
from clearline.core.errors import ClearlineError
from clearline.core.models import EventKind, OutboxEvent
from clearline.incidents.models import (
    AffectedComponent,
    Impact,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
)
from clearline.statuspage.v2 import page_url
from clearline.updates.models import Update, UpdateState
from clearline.updates.selectors import public_updates

NOT_APPROVED = (
    "Every channel renders from the approved text: approve this draft (or publish it) first."
)


@dataclass(frozen=True)
class AffectedPart:
    public_id: str
    name: str
    status: str


def affecting(line: str, components: list[AffectedPart]) -> str:
    """The summary line, naming the public components it touches."""
    if components:
        line += " · Affects " + ", ".join(part.name for part in components)
    return line


@dataclass(frozen=True)
class ApprovedUpdate:
    update: Update
    org: Organisation
    components: list[AffectedPart]
    page_url: str
    first: bool

    follow_label = "Follow this incident"

    @property
    def body(self) -> str:
        return self.update.body

    @property
    def thread_key(self) -> str:
        """What every message about this incident has in common, for mail threading."""
        return f"incident.{self.update.incident.public_id}"

    @property
    def message_key(self) -> str:
        """The same for every copy and every retry of this update's message."""
        return f"update.{self.update.public_id}"

    def earlier_keys(self) -> list[str]:
        """The message keys of the incident's earlier public updates, oldest first."""
        update = self.update
        earlier = (
            public_updates(update.incident_id)
            .filter(published_at__lt=update.published_at)
            .order_by("published_at", "pk")
        )
        return [f"update.{public_id}" for public_id in earlier.values_list("public_id", flat=True)]

    @property
    def title(self) -> str:
        # Titles are people's text: folding whitespace keeps a stray newline out of headers.
        return " ".join(self.update.incident.title.split())

    @property
    def incident_url(self) -> str:
        return f"{self.page_url}/incidents/{self.update.incident.public_id}"

    @property
    def status_label(self) -> str:
        """The update's status, or what kind of report it is ("Preliminary report")."""
        return self.update.heading

    @property
    def impact_label(self) -> str:
        return Impact(self.update.incident.impact).label

    @property
    def resolved(self) -> bool:
        return self.update.status == IncidentStatus.RESOLVED

    @property
    def event(self) -> str:
        """What happened to the incident, in the webhook's words (a report after the resolution
        is news about it, not a second resolution)."""
        if self.update.is_report:
            return "incident.updated"
        if self.resolved:
            return "incident.resolved"
        return "incident.created" if self.first else "incident.updated"

    @property
    def occurred_at(self) -> datetime:
        u = self.update
        return u.published_at or u.approved_at or u.updated_at

    def when(self, value: datetime | None) -> str | None:
        return time_label(value, self.org.zone) if value else None

    @property
    def next_update(self) -> str | None:
        """When the next update is promised, unless the text already says it (then the footer
        would say it twice); a resolution promises none."""
        due = self.update.next_update_due
        if self.resolved or due is None:
            return None
        if f"{in_zone(due, self.org.zone):%H:%M}" in self.body:
            return None
        return self.when(due)

    @property
    def summary_line(self) -> str:
        return affecting(f"{self.status_label} · {self.impact_label} impact", self.components)

    @property
    def published(self) -> str | None:
        return self.when(self.update.published_at)

    def context(self) -> dict:
        return template_context(self)


def approved_update(update: Update) -> ApprovedUpdate:
    """The update as every channel renders it; a draft is refused."""
    if update.state not in (UpdateState.APPROVED, UpdateState.PUBLISHED):
        raise ClearlineError(NOT_APPROVED, field="state", code="not_approved")
    org = Organisation.current()
    # Public components only: a channel never names what the status page hides.
    rows = (
        AffectedComponent.objects.filter(incident_id=update.incident_id, component__showcase=True)
        .select_related("component")
        .order_by("component__group__position", "component__position", "component_id")
    )
    earlier = public_updates(update.incident_id).exclude(pk=update.pk)
    if update.published_at:
        earlier = earlier.filter(
            Q(published_at__lt=update.published_at)
            | Q(published_at=update.published_at, pk__lt=update.pk)
        )
    return ApprovedUpdate(
        update=update,
        org=org,
        components=[
            AffectedPart(row.component.public_id, row.component.name, row.status) for row in rows
        ],
        page_url=page_url(org),
        first=not earlier.exists(),
    )


MAINTENANCE_HEADINGS = {
    MaintenanceStatus.SCHEDULED: "Scheduled maintenance",
    MaintenanceStatus.IN_PROGRESS: "Maintenance in progress",
    MaintenanceStatus.VERIFYING: "Maintenance being verified",
    MaintenanceStatus.COMPLETED: "Maintenance completed",
}


@dataclass(frozen=True)
class ApprovedMaintenance:
    """A public maintenance notice as every channel renders it: the same surface as an update.

    Each publication (scheduled, started, completed…) is its own event and its own message;
    all messages about one maintenance share a thread.
    """

    maintenance: Maintenance
    org: Organisation
    components: list[AffectedPart]
    page_url: str
    event_id: int
    occurred_at: datetime
    earlier_events: tuple[int, ...]
    next_update = None
    follow_label = "See this maintenance"

    @property
    def body(self) -> str:
        return self.maintenance.description

    @property
    def title(self) -> str:
        return " ".join(self.maintenance.title.split())

    @property
    def status_label(self) -> str:
        return MAINTENANCE_HEADINGS[MaintenanceStatus(self.maintenance.status)]

    @property
    def event(self) -> str:
        return f"maintenance.{self.maintenance.status}"

    @property
    def incident_url(self) -> str:
        return f"{self.page_url}/#maintenance-{self.maintenance.public_id}"

    @property
    def window(self) -> str:
        m, zone = self.maintenance, self.org.zone
        return f"{time_label(m.scheduled_for, zone)} to {time_label(m.scheduled_until, zone)}"

    @property
    def summary_line(self) -> str:
        return affecting(f"{self.status_label} · {self.window}", self.components)

    @property
    def thread_key(self) -> str:
        return f"maintenance.{self.maintenance.public_id}"

    @property
    def message_key(self) -> str:
        return f"{self.thread_key}.{self.event_id}"

    def earlier_keys(self) -> list[str]:
        return [f"{self.thread_key}.{pk}" for pk in self.earlier_events]

    @property
    def published(self) -> str:
        return time_label(self.occurred_at, self.org.zone)

    def context(self) -> dict:
        return template_context(self)


def maintenance_notice(maintenance: Maintenance, event: OutboxEvent) -> ApprovedMaintenance:
    """A public maintenance as every channel renders it, for one of its publications."""
    org = Organisation.current()
    earlier = OutboxEvent.objects.filter(
        kind=EventKind.MAINTENANCE_PUBLISHED,
        maintenance_id=maintenance.pk,
        notify=True,
        pk__lt=event.pk,
    ).order_by("pk")
    parts = maintenance.components.filter(showcase=True).order_by(
        "group__position", "position", "pk"
    )
    return ApprovedMaintenance(
        maintenance=maintenance,
        org=org,
        components=[AffectedPart(part.public_id, part.name, part.status) for part in parts],
        page_url=page_url(org),
        event_id=event.pk,
        occurred_at=event.created_at,
        earlier_events=tuple(earlier.values_list("pk", flat=True)),
    )


Notice = ApprovedUpdate | ApprovedMaintenance


def template_context(source: Notice) -> dict:
    """What the text and email templates show."""
    return {
        "org": source.org,
        "title": source.title,
        "summary_line": source.summary_line,
        "body": source.body,
        "next_update": source.next_update,
        "published": source.published,
        "incident_url": source.incident_url,
        "follow_label": source.follow_label,
    }
