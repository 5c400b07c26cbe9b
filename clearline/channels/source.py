"""The one approved text, and the incident facts every channel shows beside it."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from clearline.accounts.models import Organisation
from clearline.core.clock import time_label
from clearline.core.errors import ClearlineError
from clearline.incidents.models import AffectedComponent, Impact, IncidentStatus
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


@dataclass(frozen=True)
class ApprovedUpdate:
    update: Update
    org: Organisation
    components: list[AffectedPart]
    page_url: str
    first: bool

    @property
    def body(self) -> str:
        return self.update.body

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
        """When the next update is promised; a resolution promises none."""
        return None if self.resolved else self.when(self.update.next_update_due)

    @property
    def summary_line(self) -> str:
        line = f"{self.status_label} · {self.impact_label} impact"
        if self.components:
            line += " · Affects " + ", ".join(part.name for part in self.components)
        return line

    def context(self) -> dict:
        """What the text and email templates show."""
        return {
            "org": self.org,
            "title": self.title,
            "summary_line": self.summary_line,
            "body": self.body,
            "next_update": self.next_update,
            "published": self.when(self.update.published_at),
            "incident_url": self.incident_url,
        }


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
