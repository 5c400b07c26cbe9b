"""Private API for the blameless review: its schedule, the room, the write-up, and when it met.

Viewers read; responders write. Times come with the organisation's offset and zone name.
"""

from datetime import date, datetime

from django.db import transaction
from django.http import Http404
from ninja import Field, Router, Schema, Status

from clearline.accounts.api import requires
from clearline.accounts.models import Organisation
from clearline.accounts.selectors import active_user
from clearline.core import limits
from clearline.core.api import Timestamp, error_body, reads, writes
from clearline.core.clock import in_zone, time_label
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.api import incident_or_404
from clearline.incidents.models import Incident
from clearline.reviews import review as services
from clearline.reviews import review_selectors as selectors
from clearline.reviews.models import SECTIONS, AttendeeRole, FactorKind, Review, ReviewState

router = Router(tags=["reviews"])

Section = limits.text(limits.REVIEW_SECTION)
WhyText = limits.text(limits.REVIEW_WHY)


class WindowOut(Schema):
    resolved_on: date = Field(description="The day of the resolution, in the organisation's zone.")
    first_day: date = Field(description="Business day 3 after the resolution.")
    last_day: date = Field(description="Business day 5 after the resolution.")
    days: list[date] = Field(description="The business days in the window.")


class ScheduleOut(Schema):
    starts_at: Timestamp = Field(description="When the review meets, in the organisation's zone.")
    ends_at: Timestamp
    minutes: int
    proposed_for: Timestamp = Field(description="The slot clearline proposed on resolution.")
    time_zone: str = Field(description="The organisation's time zone, e.g. Europe/London.")
    label: str = Field(description='The start as people read it: "05 Mar 2025, 10:00 GMT".')
    window: WindowOut
    in_window: bool = Field(description="Whether it meets on business day 3, 4 or 5.")
    sequence: int = Field(description="The invitation's revision (iCalendar SEQUENCE).")
    warnings: list[str] = Field(description="Why the time may be a poor one; empty when fine.")


class AttendeeOut(Schema):
    id: int
    role: AttendeeRole
    role_label: str
    name: str
    email: str | None = Field(description="Where the invitation goes; empty: not invited.")
    username: str | None = Field(description="Set when the attendee signs in to clearline.")


class WhyOut(Schema):
    question: str
    answer: str
    timeline_entry: int | None = Field(description="The timeline entry's id, if it points at one.")


class FactorOut(Schema):
    kind: FactorKind
    text: str
    timeline_entry: int | None


class SectionsOut(Schema):
    timeline: str = Field(description="The shared timeline in real times.")
    missed: str = Field(description="What was missed.")
    done: str = Field(description="What has been done.")
    next_steps: str = Field(description="What is next.")
    customer_signal: str = Field(description="What customers reported and asked.")


class WriteupOut(Schema):
    version: int = Field(description="Send it back with a change; every edit raises it.")
    sections: SectionsOut
    whys: list[WhyOut] = Field(description="The Five Whys, in order.")
    factors: list[FactorOut] = Field(description="Contributing factors, aimed at systems.")
    text: str = Field(description="The whole write-up as one Markdown text, as checked.")


class ReviewOut(Schema):
    id: str
    incident: str = Field(description="The incident's id.")
    state: ReviewState
    held_at: Timestamp | None
    schedule: ScheduleOut
    attendees: list[AttendeeOut]
    liaison_missing: bool = Field(
        description="True while no attendee has the customer_liaison role."
    )
    warnings: list[str] = Field(
        description="What the review page flags, the missing liaison first."
    )
    writeup: WriteupOut
    created_at: Timestamp
    updated_at: Timestamp


class WhyIn(Schema):
    question: WhyText
    answer: WhyText = ""
    timeline_entry: int | None = Field(None, description="The id of an entry on this timeline.")


class FactorIn(Schema):
    text: limits.text(limits.REVIEW_FACTOR)
    kind: FactorKind = FactorKind.OTHER
    timeline_entry: int | None = None


class ReviewPatch(Schema):
    """Send only what changes. A change to the write-up needs the `version` you loaded; a new
    `starts_at` (or the proposed one, to accept it) schedules the review and emails everyone
    in the room an invitation."""

    version: int | None = Field(None, description="Required with any write-up field.")
    timeline: Section | None = None
    missed: Section | None = None
    done: Section | None = None
    next_steps: Section | None = None
    customer_signal: Section | None = None
    whys: list[WhyIn] | None = Field(None, description="Replaces the Five Whys.")
    factors: list[FactorIn] | None = Field(None, description="Replaces the factors.")
    starts_at: Timestamp | None = Field(None, description="When the review meets.")
    minutes: int | None = Field(None, description="How long it meets, 15 to 480 minutes.")


class AttendeeIn(Schema):
    role: AttendeeRole
    username: str | None = Field(None, description="Someone who signs in to clearline.")
    name: limits.text(limits.ATTENDEE_NAME) = Field("", description="Anyone else: a name.")
    email: str = Field("", description="With a name: where the invitation goes.")


class HeldIn(Schema):
    held_at: Timestamp | None = Field(None, description="When it met; defaults to now.")


def _review(incident: Incident) -> Review:
    review = selectors.review_of(incident)
    if review is None:
        raise Http404(
            f"The incident {incident.public_id!r} has no review yet: one is proposed when it "
            "is resolved."
        )
    return review


def review_out(review: Review) -> dict:
    """The review as the API and `clearline review --format json` give it."""
    org = Organisation.current()
    zone = org.zone
    plan = selectors.schedule_of(review, org)
    local = lambda value: in_zone(value, zone) if value else None  # noqa: E731
    return {
        "id": review.public_id,
        "incident": review.incident.public_id,
        "state": review.state,
        "held_at": local(review.held_at),
        "schedule": {
            "starts_at": local(plan.starts_at),
            "ends_at": local(plan.ends_at),
            "minutes": review.minutes,
            "proposed_for": local(plan.proposed_for),
            "time_zone": org.time_zone,
            "label": time_label(plan.starts_at, zone),
            "window": {
                "resolved_on": plan.window.resolved_on,
                "first_day": plan.window.first,
                "last_day": plan.window.last,
                "days": list(plan.window.days),
            },
            "in_window": plan.in_window,
            "sequence": review.sequence,
            "warnings": plan.warnings,
        },
        "attendees": [
            {
                "id": a.pk,
                "role": a.role,
                "role_label": a.get_role_display(),
                "name": a.display_name,
                "email": a.address or None,
                "username": a.user.get_username() if a.user_id else None,
            }
            for a in review.attendees.all()
        ],
        "liaison_missing": selectors.liaison_missing(review),
        "warnings": selectors.warnings(review, plan),
        "writeup": {
            "version": review.version,
            "sections": {name: getattr(review, name) for name in SECTIONS},
            "whys": [
                {"question": w.question, "answer": w.answer, "timeline_entry": w.timeline_entry_id}
                for w in review.whys.all()
            ],
            "factors": [
                {"kind": f.kind, "text": f.text, "timeline_entry": f.timeline_entry_id}
                for f in review.factors.all()
            ],
            "text": selectors.document(review, zone),
        },
        "created_at": review.created_at,
        "updated_at": review.updated_at,
    }


def _fresh(incident: Incident) -> dict:
    return review_out(_review(incident))


@router.get(
    "/incidents/{incident_id}/review",
    response=reads(ReviewOut),
    auth=requires("reviews.view_review"),
)
def get_review(request, incident_id: str):
    """The incident's blameless review: when it meets (and the window of business days it
    should meet in), who is in the room in which role, whether the customer liaison is
    missing, and the pre-read write-up."""
    return _fresh(incident_or_404(incident_id))


@router.post(
    "/incidents/{incident_id}/review",
    response={**writes(ReviewOut, 201), 200: ReviewOut},
    auth=requires("reviews.add_review"),
)
def propose_review(request, incident_id: str):
    """Propose the review of a resolved incident now. clearline proposes one by itself when an
    incident is resolved; this is for one resolved before, or to not wait for the worker.
    Answers 201 with the review, or 200 with the one it already has."""
    incident = incident_or_404(incident_id)
    had = selectors.review_of(incident) is not None
    services.propose_review(incident=incident, by=request.auth)
    return Status(200 if had else 201, _fresh(incident))


_WRITEUP = (*SECTIONS, "whys", "factors")


@router.patch(
    "/incidents/{incident_id}/review",
    response=writes(ReviewOut),
    auth=requires("reviews.change_review"),
)
def change_review(request, incident_id: str, payload: ReviewPatch):
    """Change the write-up, the Five Whys, the factors, or when the review meets. A stale
    `version` gets 409 with the review as stored now in `current`. A time outside business days
    3–5 is accepted; `schedule.warnings` says why it may be a poor one."""
    incident = incident_or_404(incident_id)
    review = _review(incident)
    sent = payload.model_fields_set
    try:
        with transaction.atomic():
            if sent & set(_WRITEUP):
                _edit(review, payload, sent, by=request.auth)
            if sent & {"starts_at", "minutes"}:
                services.schedule_review(
                    review=review,
                    by=request.auth,
                    starts_at=payload.starts_at,
                    minutes=payload.minutes,
                )
    except Conflict as conflict:
        current = ReviewOut.model_validate(_fresh(incident)).model_dump(mode="json")
        return Status(
            409, error_body(conflict.message, [(conflict.field, conflict.message)], current=current)
        )
    return _fresh(incident)


def _edit(review: Review, payload: ReviewPatch, sent: set[str], *, by) -> None:
    if payload.version is None:
        raise ClearlineError("Send the write-up's version with a change to it.", field="version")
    changes = {name: getattr(payload, name) for name in SECTIONS if name in sent}
    if "whys" in sent:
        changes["whys"] = [
            services.WhyIn(w.question, w.answer, w.timeline_entry) for w in payload.whys or []
        ]
    if "factors" in sent:
        changes["factors"] = [
            services.FactorIn(f.text, f.kind, f.timeline_entry) for f in payload.factors or []
        ]
    services.edit_writeup(review=review, by=by, version=payload.version, **changes)


@router.post(
    "/incidents/{incident_id}/review/attendees",
    response=writes(ReviewOut, 201),
    auth=requires("reviews.change_review"),
)
def add_attendee(request, incident_id: str, payload: AttendeeIn):
    """Put someone in the room in a role: `username` for someone who signs in, or `name` (and
    `email`) for anyone else. Once the review is scheduled, they are invited at once."""
    incident = incident_or_404(incident_id)
    user = None
    if payload.username:
        user = active_user(payload.username)
        if user is None:
            raise ClearlineError(
                f"No active user is called {payload.username!r}.", field="username"
            )
    services.add_attendee(
        review=_review(incident),
        by=request.auth,
        role=payload.role,
        user=user,
        name=payload.name,
        email=payload.email,
    )
    return Status(201, _fresh(incident))


@router.delete(
    "/incidents/{incident_id}/review/attendees/{attendee_id}",
    response=writes(ReviewOut),
    auth=requires("reviews.change_review"),
)
def remove_attendee(request, incident_id: str, attendee_id: int):
    """Take someone out of a role. If they were invited and hold no other role, they are sent
    a cancellation."""
    incident = incident_or_404(incident_id)
    attendee = _review(incident).attendees.filter(pk=attendee_id).first()
    if attendee is None:
        raise Http404(f"No attendee of this review has the id {attendee_id!r}.")
    services.remove_attendee(attendee=attendee, by=request.auth)
    return _fresh(incident)


@router.post(
    "/incidents/{incident_id}/review/held",
    response=writes(ReviewOut),
    auth=requires("reviews.change_review"),
)
def mark_held(request, incident_id: str, payload: HeldIn | None = None):
    """Record that the review met, and when (now unless `held_at` says). The body may be left
    out. A review already held answers 409."""
    incident = incident_or_404(incident_id)
    held_at: datetime | None = payload.held_at if payload else None
    services.mark_held(review=_review(incident), by=request.auth, held_at=held_at)
    return _fresh(incident)
