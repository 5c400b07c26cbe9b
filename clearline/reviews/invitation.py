"""The review's calendar invitation: one .ics event per review, emailed by the worker.

The event's UID is the review's own, so every calendar keeps one entry for it; SEQUENCE is the
review's revision, raised each time it moves, so a calendar replaces the old time with the new.
A service writes one `Invitation` row per address in its transaction and queues the job; the
job claims each row, talks to the mail server outside any transaction, and records the outcome.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task  # Django 6: django.tasks
from icalendar import Calendar, Event, vCalAddress, vText

from clearline.accounts.models import Organisation
from clearline.core import queueing
from clearline.core.clock import in_zone, time_label
from clearline.core.sending import claim_to_send
from clearline.reviews.models import (
    SECTIONS,
    AttendeeRole,
    Invitation,
    InvitationMethod,
    Review,
    ReviewState,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A claim older than this belongs to a worker that died mid-send; a send gives up long before.
CLAIM_LEASE = timedelta(minutes=10)
RETRY_AFTER = timedelta(minutes=1)
PRODID = "-//clearline//Incident review//EN"


@dataclass(frozen=True)
class Guest:
    """One address in the room, with every role it holds there."""

    email: str
    name: str
    roles: tuple[str, ...]

    @property
    def chair(self) -> bool:
        return AttendeeRole.COMMANDER in self.roles


def guests(review: Review) -> list[Guest]:
    """The attendees with an address, one per address, in the order they were added."""
    found: dict[str, Guest] = {}
    for attendee in review.attendees.select_related("user").order_by("id"):
        address = attendee.address
        if not address:
            continue
        key = address.casefold()
        held = found.get(key)
        roles = (*held.roles, attendee.role) if held else (attendee.role,)
        found[key] = Guest(address, held.name if held else attendee.display_name, roles)
    return list(found.values())


def uid(review: Review) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"review-{review.public_id}@{host or 'clearline'}"


def page_url(review: Review) -> str:
    return settings.SITE_URL + reverse("review:review", args=[review.incident_id])


def _role_label(role: str) -> str:
    return AttendeeRole(role).label


def description(review: Review, people: list[Guest]) -> str:
    agenda = ", ".join(heading.lower() for heading in SECTIONS.values())
    lines = [
        f"Blameless review of the incident “{review.incident.title}”.",
        f"Read the pre-read before the meeting: {page_url(review)}",
        f"Agenda: {agenda}; the Five Whys and contributing factors; what we change.",
        "",
        "Invited:",
        *(f"- {guest.name}: {', '.join(map(_role_label, guest.roles))}" for guest in people),
    ]
    return "\n".join(lines)


def ics(
    review: Review,
    *,
    method: str = InvitationMethod.REQUEST,
    now: datetime | None = None,
    people: list[Guest] | None = None,
) -> bytes:
    """The review as an iCalendar file: METHOD, the stable UID, SEQUENCE, the times in the
    organisation's zone (with its VTIMEZONE), ORGANIZER and one ATTENDEE per address (`people`,
    by default everyone in the room: a cancellation names only whom it takes off)."""
    org = Organisation.current()
    zone = org.zone
    people = guests(review) if people is None else people
    start = in_zone(review.starts_at, zone)
    event = Event()
    event.add("uid", uid(review))
    event.add("sequence", review.sequence)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=review.minutes))
    event.add("summary", f"Incident review: {' '.join(review.incident.title.split())}")
    event.add("description", description(review, people))
    event.add("url", page_url(review))
    event.add("status", "CANCELLED" if method == InvitationMethod.CANCEL else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(f"{org.name} incident reviews")
    event.add("organizer", organizer, encode=False)
    for guest in people:
        attendee = vCalAddress(f"mailto:{guest.email}")
        attendee.params["cn"] = vText(guest.name)
        attendee.params["role"] = vText("CHAIR" if guest.chair else "REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    around = start.date()
    calendar.add_missing_timezones(
        first_date=around - timedelta(days=366), last_date=around + timedelta(days=366)
    )
    return calendar.to_ical()


def queue(review: Review, addresses: list[tuple[str, str]], *, method: str) -> list[Invitation]:
    """Write an invitation row per (email, name) for the review's current revision and queue
    the job that sends them. Call inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invitation.queue belongs inside the change's transaction")
    rows = [
        Invitation.objects.create(
            review=review, email=email, name=name, sequence=review.sequence, method=method
        )
        for email, name in addresses
    ]
    if rows:
        queueing.enqueue(send_invitations, invitation_ids=[row.pk for row in rows])
    return rows


def _claim(invitation_id: int, now: datetime) -> bool:
    return claim_to_send(
        Invitation, invitation_id, now=now, lease=CLAIM_LEASE, max_attempts=MAX_ATTEMPTS
    )


def superseded(invitation: Invitation) -> str:
    """Why the invitation is no longer worth sending, or "" when it is."""
    review = invitation.review
    if invitation.method == InvitationMethod.CANCEL:
        return ""
    if review.state == ReviewState.HELD:
        return "Not sent: the review was held before the invitation went out."
    if invitation.sequence < review.sequence:
        return "Not sent: the review moved again; the newer invitation replaces this one."
    if not any(guest.email.casefold() == invitation.email.casefold() for guest in guests(review)):
        return "Not sent: the address was taken off the review first."
    return ""


def subject(invitation: Invitation, when: str) -> str:
    title = " ".join(invitation.review.incident.title.split())
    if invitation.method == InvitationMethod.CANCEL:
        return f"Not needed any more: incident review of “{title}”"
    lead = "Moved: incident review" if invitation.sequence else "Invitation: incident review"
    return f"{lead} of “{title}”, {when}"


def message(invitation: Invitation, *, now: datetime) -> EmailMessage:
    review = invitation.review
    zone = Organisation.current().zone
    when = time_label(review.starts_at, zone)
    body = render_to_string(
        "reviews/invitation_email.txt",
        {
            "invitation": invitation,
            "review": review,
            "incident": review.incident,
            "when": when,
            "minutes": review.minutes,
            "cancel": invitation.method == InvitationMethod.CANCEL,
            "page_url": page_url(review),
            "guests": [(g.name, ", ".join(map(_role_label, g.roles))) for g in guests(review)],
        },
    )
    mail = EmailMessage(subject=subject(invitation, when), body=body, to=[invitation.email])
    people = None
    if invitation.method == InvitationMethod.CANCEL:
        people = [Guest(invitation.email, invitation.name, ())]
    calendar = ics(review, method=invitation.method, now=now, people=people)
    part = MIMEText(calendar.decode(), "calendar", "utf-8")
    part.set_param("method", invitation.method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    mail.attach(part)
    return mail


def send_invitation(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Claim one invitation and email it; True when this call sent it.

    Deliberately outside any transaction: the claim commits before the SMTP conversation and the
    outcome is written after it, so a slow mail server holds no database lock.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("send_invitation talks to a mail server; call it outside a transaction")
    now = now or timezone.now()
    if not _claim(invitation_id, now):
        return False
    invitation = Invitation.objects.select_related("review__incident").get(pk=invitation_id)
    rows = Invitation.objects.filter(pk=invitation_id)
    reason = superseded(invitation)
    if reason:
        rows.update(error=reason, attempts=MAX_ATTEMPTS)
        return False
    try:
        message(invitation, now=now).send()
    except Exception as error:
        problem = f"{type(error).__name__}: {error}"[:500]
        rows.update(claimed_at=None, error=problem)
        logger.warning(
            "Invitation %s not sent (try %s): %s", invitation_id, invitation.attempts, problem
        )
        if not isinstance(error, smtplib.SMTPException | OSError):
            raise
        if invitation.attempts < MAX_ATTEMPTS:
            later = send_invitations.using(run_after=now + RETRY_AFTER * invitation.attempts)
            queueing.enqueue(later, invitation_ids=[invitation_id])
        return False
    rows.update(sent_at=timezone.now(), error="")
    return True


@task()
def send_invitations(invitation_ids: list[int]) -> int:
    """Send each invitation not sent yet; how many this run sent."""
    return sum(send_invitation(invitation_id=pk) for pk in invitation_ids)
