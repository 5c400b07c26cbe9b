"""The blameless review: proposed when an incident is resolved, then scheduled, written, held.

Each service is one transaction with its audit entry; `by` is the person acting, or
`permissions.SYSTEM` when clearline proposes a review on its own. Nothing here is public:
no outbox event, no snapshot render, no subscriber message.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core import audit, clock, limits, permissions
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.models import Incident, IncidentStatus, TimelineEntry
from clearline.reviews import invitation, plan, schedule, writeup
from clearline.reviews.models import (
    SECTIONS,
    Attendee,
    AttendeeRole,
    ContributingFactor,
    FactorKind,
    InvitationMethod,
    PlanStep,
    Review,
    ReviewState,
    Why,
)
from clearline.updates.models import Update, UpdateState
from clearline.updates.services import clean_text

PROPOSE = "reviews.add_review"
CHANGE = "reviews.change_review"
MAX_WHYS = 7
MAX_FACTORS = 12
SHORTEST, LONGEST = 15, 480


@dataclass(frozen=True)
class WhyIn:
    question: str
    answer: str = ""
    timeline_entry: int | None = None


@dataclass(frozen=True)
class FactorIn:
    text: str
    kind: str = FactorKind.OTHER
    timeline_entry: int | None = None


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("incident").get(pk=review.pk)


def _taken(day_start: datetime) -> list[tuple[datetime, datetime]]:
    """The reviews already meeting on the day that starts at `day_start`."""
    rows = Review.objects.filter(
        starts_at__gte=day_start, starts_at__lt=day_start + timedelta(days=1)
    ).values_list("starts_at", "minutes")
    return [(start, start + timedelta(minutes=minutes)) for start, minutes in rows]


@transaction.atomic
def propose_review(*, incident: Incident, by, resolved_at: datetime | None = None) -> Review:
    """The incident's review, proposed now if it has none: the earliest free slot on the third
    business day after the resolution, the commander and the comms owner (as the customer
    liaison) invited, the timeline and the customer signal copied from the record."""
    permissions.require_perm(by, PROPOSE)
    # Locking the incident serialises two proposals for it: the second finds the first.
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    existing = Review.objects.filter(incident=incident).first()
    if existing is not None:
        return existing
    resolved_at = resolved_at or incident.resolved_at
    if resolved_at is None or incident.status != IncidentStatus.RESOLVED:
        raise ClearlineError(
            "A review is proposed once the incident is resolved.", code="not_resolved"
        )
    org = Organisation.current()
    span = schedule.window(resolved_at, org.calendar, org.zone)
    day_start = schedule.at(span.first, datetime.min.time(), org.zone)
    start = schedule.proposed_start(span, org.zone, taken=_taken(day_start))
    review = Review.objects.create(
        incident=incident,
        resolved_at=resolved_at,
        proposed_for=start,
        starts_at=start,
        minutes=schedule.LENGTH_MINUTES,
        timeline=writeup.timeline_text(incident, org.zone),
        customer_signal=writeup.customer_signal_text(incident),
    )
    if incident.commander_id:
        Attendee.objects.create(review=review, role=AttendeeRole.COMMANDER, user=incident.commander)
    if incident.comms_owner_id and incident.comms_owner_id != incident.commander_id:
        Attendee.objects.create(
            review=review, role=AttendeeRole.CUSTOMER_LIAISON, user=incident.comms_owner
        )
    audit.record(
        actor=by,
        action="review.proposed",
        obj=review,
        summary=f"Proposed a review of “{incident.title}” for {clock.time_label(start, org.zone)}",
        changes={"starts_at": start.isoformat(), "resolved_at": resolved_at.isoformat()},
    )
    return review


@transaction.atomic
def edit_writeup(
    *,
    review: Review,
    by,
    version: int,
    whys: Sequence[WhyIn] | None = None,
    factors: Sequence[FactorIn] | None = None,
    **sections: str | None,
) -> Review:
    """Change the write-up: any of its sections (None leaves one as it is), and the Five Whys
    or the contributing factors (a list replaces them; None leaves them). `version` is the one
    the writer loaded: a stale one is a conflict."""
    permissions.require_perm(by, CHANGE)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise TypeError(f"not sections of the write-up: {', '.join(sorted(unknown))}")
    review = _locked(review)
    if review.version != version:
        raise Conflict(
            "Someone else changed this write-up while you were editing. Your text is kept "
            "below; compare it with theirs before saving again.",
            field="version",
            code="conflict",
        )
    changes = {}
    for name, text in sections.items():
        if text is None:
            continue
        text = clean_text(text)
        limits.accept(text, limits.REVIEW_SECTION, field=name)
        if text != getattr(review, name):
            changes[name] = text
            setattr(review, name, text)
    entries = {e.pk: e for e in TimelineEntry.objects.filter(incident_id=review.incident_id)}
    if whys is not None:
        changes["whys"] = _replace_whys(review, whys, entries)
    if factors is not None:
        changes["factors"] = _replace_factors(review, factors, entries)
    review.version += 1
    review.edited_by = permissions.person(by)
    review.save()
    audit.record(
        actor=by,
        action="review.edited",
        obj=review,
        summary=f"Edited the review write-up of “{review.incident.title}”",
        changes=changes,
    )
    return review


def _entry(entries: dict, value: int | None, field: str) -> TimelineEntry | None:
    if value is None:
        return None
    if value not in entries:
        raise ClearlineError("Choose an entry from this incident's timeline.", field=field)
    return entries[value]


def _replace_whys(review: Review, whys: Sequence[WhyIn], entries: dict) -> list[dict]:
    if len(whys) > MAX_WHYS:
        raise ClearlineError(
            f"Keep to {MAX_WHYS} whys; five usually reach the system.", field="whys"
        )
    rows = []
    for index, why in enumerate(whys):
        question, answer = clean_text(why.question), clean_text(why.answer)
        if not question:
            raise ClearlineError("Write the question.", field=f"whys.{index}.question")
        limits.accept(question, limits.REVIEW_WHY, field=f"whys.{index}.question")
        limits.accept(answer, limits.REVIEW_WHY, field=f"whys.{index}.answer")
        entry = _entry(entries, why.timeline_entry, f"whys.{index}.timeline_entry")
        rows.append(
            Why(
                review=review,
                position=index + 1,
                question=question,
                answer=answer,
                timeline_entry=entry,
            )
        )
    review.whys.all().delete()
    Why.objects.bulk_create(rows)
    return [
        {"question": r.question, "answer": r.answer, "timeline_entry": r.timeline_entry_id}
        for r in rows
    ]


def _replace_factors(review: Review, factors: Sequence[FactorIn], entries: dict) -> list[dict]:
    if len(factors) > MAX_FACTORS:
        raise ClearlineError(f"Keep to {MAX_FACTORS} contributing factors.", field="factors")
    rows = []
    for index, factor in enumerate(factors):
        text = clean_text(factor.text)
        if not text:
            raise ClearlineError("Say what the factor is.", field=f"factors.{index}.text")
        limits.accept(text, limits.REVIEW_FACTOR, field=f"factors.{index}.text")
        if factor.kind not in FactorKind.values:
            raise ClearlineError(
                f"{factor.kind!r} is not a kind of factor.", field=f"factors.{index}.kind"
            )
        entry = _entry(entries, factor.timeline_entry, f"factors.{index}.timeline_entry")
        rows.append(
            ContributingFactor(
                review=review, position=index + 1, kind=factor.kind, text=text, timeline_entry=entry
            )
        )
    review.factors.all().delete()
    ContributingFactor.objects.bulk_create(rows)
    return [{"kind": r.kind, "text": r.text, "timeline_entry": r.timeline_entry_id} for r in rows]


@transaction.atomic
def schedule_review(
    *,
    review: Review,
    by,
    starts_at: datetime | None = None,
    minutes: int | None = None,
    now: datetime | None = None,
) -> Review:
    """Set when the review meets and invite everyone with an address.

    A proposed review becomes scheduled (its time kept unless given); a scheduled one moved to
    another time sends everyone the new time with a higher SEQUENCE. A time outside business
    days 3–5 is allowed: the page and the API say why it may be a poor one.
    """
    permissions.require_perm(by, CHANGE)
    review = _locked(review)
    if review.is_held:
        raise Conflict(
            "This review has been held; its time is on record.",
            field="starts_at",
            code="already_held",
        )
    now = now or timezone.now()
    starts_at = starts_at or review.starts_at
    minutes = review.minutes if minutes is None else minutes
    clock.require_plausible(starts_at, "starts_at", ahead=clock.PLAN_AHEAD, now=now)
    if starts_at < now:
        raise ClearlineError("That time has passed; pick a time ahead.", field="starts_at")
    if not SHORTEST <= minutes <= LONGEST:
        raise ClearlineError(
            f"Give a length from {SHORTEST} to {LONGEST} minutes.", field="minutes"
        )
    moved = starts_at != review.starts_at or minutes != review.minutes
    if review.state == ReviewState.SCHEDULED and not moved:
        return review
    before = audit.snapshot_fields(review, ["state", "starts_at", "minutes", "sequence"])
    if review.state == ReviewState.SCHEDULED:
        review.sequence += 1
    review.starts_at, review.minutes = starts_at, minutes
    review.state, review.invited_at = ReviewState.SCHEDULED, now
    review.save()
    people = invitation.guests(review)
    invitation.queue(review, [(g.email, g.name) for g in people], method=InvitationMethod.REQUEST)
    org = Organisation.current()
    span = schedule.window(review.resolved_at, org.calendar, org.zone)
    changes = audit.diff(review, before, ["state", "starts_at", "minutes", "sequence"])
    changes["warnings"] = schedule.warnings(starts_at, span, org.calendar, org.zone)
    changes["invited"] = [g.email for g in people]
    audit.record(
        actor=by,
        action="review.scheduled",
        obj=review,
        summary=f"Scheduled the review of “{review.incident.title}” for "
        f"{clock.time_label(starts_at, org.zone)}",
        changes=changes,
    )
    return review


@transaction.atomic
def add_attendee(
    *, review: Review, by, role: str, user=None, name: str = "", email: str = ""
) -> Attendee:
    """Put someone in the room in a role: a person who signs in, or a name (and an address
    for the invitation). Once the review is scheduled, a newcomer is invited at once."""
    permissions.require_perm(by, CHANGE)
    review = _locked(review)
    if role not in AttendeeRole.values:
        raise ClearlineError(f"{role!r} is not a role in the review.", field="role")
    name, email = " ".join((name or "").split()), (email or "").strip()
    if user is not None:
        if not user.is_active:
            raise ClearlineError("That account is switched off.", field="user")
        same = review.attendees.filter(role=role, user=user)
    else:
        if not name:
            raise ClearlineError("Choose a person, or give a name.", field="name")
        limits.accept(name, limits.ATTENDEE_NAME, field="name")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ClearlineError("Give a valid email address.", field="email") from None
        same = review.attendees.filter(role=role, user=None, name=name, email=email)
    if same.exists():
        label = AttendeeRole(role).label.lower()
        raise Conflict(f"They are already in the room as {label}.", field="role")
    invited_before = {guest.email.casefold() for guest in invitation.guests(review)}
    attendee = Attendee.objects.create(
        review=review, role=role, user=user, name="" if user else name, email="" if user else email
    )
    address = attendee.address
    if (
        review.state == ReviewState.SCHEDULED
        and address
        and address.casefold() not in invited_before
    ):
        invitation.queue(
            review, [(address, attendee.display_name)], method=InvitationMethod.REQUEST
        )
    audit.record(
        actor=by,
        action="review.attendee_added",
        obj=review,
        summary=f"Added {attendee.display_name} to the review of “{review.incident.title}” as "
        f"{AttendeeRole(role).label.lower()}",
        changes={"role": role, "name": attendee.display_name, "email": attendee.address},
    )
    return attendee


@transaction.atomic
def remove_attendee(*, attendee: Attendee, by) -> None:
    """Take someone out of a role; once invited and in no other role, they get a cancellation."""
    permissions.require_perm(by, CHANGE)
    review = _locked(attendee.review)
    attendee = Attendee.objects.select_related("user").get(pk=attendee.pk)
    address, name = attendee.address, attendee.display_name
    attendee.delete()
    still_in = any(g.email.casefold() == address.casefold() for g in invitation.guests(review))
    if review.state == ReviewState.SCHEDULED and address and not still_in:
        invitation.queue(review, [(address, name)], method=InvitationMethod.CANCEL)
    audit.record(
        actor=by,
        action="review.attendee_removed",
        obj=review,
        summary=f"Took {name} off the review of “{review.incident.title}”",
        changes={"role": attendee.role, "name": name, "email": address},
    )


@transaction.atomic
def mark_held(
    *, review: Review, by, held_at: datetime | None = None, now: datetime | None = None
) -> Review:
    """Record that the review met, and when."""
    permissions.require_perm(by, CHANGE)
    review = _locked(review)
    if review.is_held:
        raise Conflict(
            "This review is already marked as held.", field="held_at", code="already_held"
        )
    now = now or timezone.now()
    held_at = held_at or now
    clock.require_plausible(held_at, "held_at", now=now)
    if held_at < review.resolved_at:
        raise ClearlineError("A review meets after the incident is resolved.", field="held_at")
    review.state, review.held_at = ReviewState.HELD, held_at
    review.save()
    audit.record(
        actor=by,
        action="review.held",
        obj=review,
        summary=f"The review of “{review.incident.title}” was held",
        changes={"held_at": held_at.isoformat()},
    )
    # The review is where process changes get their named owners: the plan's last step.
    plan.complete_step(
        incident=review.incident,
        step=PlanStep.PROCESS,
        note=f"The review met on {clock.time_label(held_at, Organisation.current().zone)}.",
        by=permissions.SYSTEM,
        now=now,
    )
    return review


def propose_on_resolution(update: Update) -> Review | None:
    """A published update that resolves an incident proposes its review (once: a second
    resolution finds the first review). Drills and internal incidents get one too: the team
    learns from them all, and nothing of a review is public. Run by the outbox's "reviews"
    consumer (clearline.reviews.tasks)."""
    if update.state != UpdateState.PUBLISHED:
        return None
    if update.status != IncidentStatus.RESOLVED or not update.incident.is_resolved:
        return None  # another update, or reopened since: its next resolution proposes it
    return propose_review(
        incident=update.incident, by=permissions.SYSTEM, resolved_at=update.published_at
    )
