"""What the review page, the API and `clearline review` read. Desk and private API only: no
public selector reads a review."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from clearline.accounts.models import Organisation
from clearline.incidents.models import Incident, TimelineEntry
from clearline.reviews import invitation, schedule, writeup
from clearline.reviews.models import (
    Attendee,
    AttendeeRole,
    ContributingFactor,
    Invitation,
    Review,
    Why,
)

LIAISON_MISSING = (
    "No customer liaison is in the room: add the person who handled customers during the "
    "incident (or a backup from support), so what customers reported and asked is heard."
)
NOBODY_INVITED = "Nobody in the room has an email address yet, so no invitation can go out."


def review_of(incident: Incident) -> Review | None:
    """The incident's review with everything its page shows, or None when it has none."""
    return (
        Review.objects.select_related("incident", "edited_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("user").order_by("id")),
            Prefetch("whys", queryset=Why.objects.select_related("timeline_entry")),
            Prefetch(
                "factors", queryset=ContributingFactor.objects.select_related("timeline_entry")
            ),
        )
        .filter(incident=incident)
        .first()
    )


def liaison_missing(review: Review) -> bool:
    return not any(a.role == AttendeeRole.CUSTOMER_LIAISON for a in review.attendees.all())


@dataclass(frozen=True)
class Schedule:
    starts_at: datetime
    ends_at: datetime
    proposed_for: datetime
    window: schedule.Window
    zone: ZoneInfo
    warnings: list[str] = field(default_factory=list)

    @property
    def in_window(self) -> bool:
        day = self.starts_at.astimezone(self.zone).date()
        return day in self.window.days


def schedule_of(review: Review, org: Organisation | None = None) -> Schedule:
    org = org or Organisation.current()
    span = schedule.window(review.resolved_at, org.calendar, org.zone)
    return Schedule(
        starts_at=review.starts_at,
        ends_at=review.starts_at + timedelta(minutes=review.minutes),
        proposed_for=review.proposed_for,
        window=span,
        zone=org.zone,
        warnings=schedule.warnings(review.starts_at, span, org.calendar, org.zone),
    )


def warnings(review: Review, plan: Schedule) -> list[str]:
    """Everything the page and the API flag about the review: the missing liaison first."""
    said = []
    if liaison_missing(review):
        said.append(LIAISON_MISSING)
    if not review.is_held:
        said += plan.warnings
        if not invitation.guests(review):
            said.append(NOBODY_INVITED)
    return said


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """The entries a why or a factor may point at."""
    return list(incident.timeline.order_by("occurred_at", "id"))


def invitations(review: Review) -> list[Invitation]:
    return list(review.invitations.order_by("-id")[:50])


def document(review: Review, zone: ZoneInfo) -> str:
    return writeup.saved_document(review, zone)
