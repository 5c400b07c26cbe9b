"""The demo's held review: the late invoice emails, looked at without blame.

Made through the services a team would use: the timeline and the customer signal are logged,
the review is proposed from them, the room is filled, the write-up written, the meeting held.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.brief import demo as brief_demo
from clearline.core.permissions import SYSTEM
from clearline.incidents import services as incidents
from clearline.incidents.models import Incident
from clearline.reviews import review as services
from clearline.reviews.models import AttendeeRole, Invitation

# (minutes after the start, kind, text)
TIMELINE = [
    (
        9,
        "customer_report",
        "Support's first ticket: an invoice email had not arrived in 30 minutes.",
    ),
    (38, "cause_found", "The mail queue ran 2 workers instead of 20 after the morning's change."),
    (45, "change_made", "Reverted the configuration change; the queue began to drain."),
    (80, "restored", "Queue empty; new invoice emails arrive within a minute."),
    (88, "verified", "Test invoices sent every five minutes for half an hour all arrived in time."),
]
# (minutes after the start, kind, account, symptom, what the customer said)
SIGNAL = [
    (
        8,
        "report",
        "Brightwater Ltd",
        "invoice email late",
        "Three invoices sent this morning have not reached our customers.",
    ),
    (14, "question", "Brightwater Ltd", "", "Should we send the invoices again?"),
    (
        21,
        "report",
        "Oakfield Dental",
        "invoice email late",
        "Patients say the payment email never came.",
    ),
    (26, "question", "Northgate Builders", "", "Do we need to send our invoices again?"),
    (
        33,
        "report",
        "Kestrel Studio",
        "reminder email late",
        "A reminder arrived 40 minutes after we sent it.",
    ),
    (41, "question", "Oakfield Dental", "", "Will customers get the email twice?"),
]
# (role, name, email) for people without a desk account; the commander and the comms owner
# (as customer liaison) are invited when the review is proposed.
GUESTS = [
    (AttendeeRole.SERVICE_OWNER, "Priya Shah", "priya@tallyhouse.example"),
    (AttendeeRole.SUBJECT_MATTER_EXPERT, "Lee Chan", "lee@tallyhouse.example"),
    (AttendeeRole.ENGINEERING_LEAD, "Morgan Diaz", "morgan@tallyhouse.example"),
]
MISSED = (
    "The queue's dashboard showed the sending rate fall within five minutes of the change, but "
    "no alert reads that rate. Support heard about late invoices from customers before the "
    "team linked the general alert to the change. Our first update said emails were late; it "
    "did not say until the second one that customers should not send invoices again."
)
DONE = (
    "We reverted the configuration change and watched the queue drain to empty. We checked "
    "the fix by sending test invoices every five minutes for half an hour: each arrived within "
    "a minute. The worker count is now written out in the configuration file instead of "
    "coming from a default."
)
SENTIMENT = (
    "Sentiment: worried more than angry. Two accounts asked whether to send invoices again, "
    "which would have sent them twice; Brightwater Ltd bills at month end and is an account "
    "at risk if this happens again."
)
WHYS = [
    (
        "Why did invoice emails arrive late?",
        "The outgoing mail queue sent far fewer emails a minute than usual, so a backlog grew.",
        "cause_found",
    ),
    (
        "Why did the queue send fewer emails?",
        "A configuration change made shortly before lowered its workers from 20 to 2.",
        "cause_found",
    ),
    (
        "Why did the change lower the workers?",
        "The new file left the worker setting out, and a missing setting falls back to 2.",
        None,
    ),
    (
        "Why did the release let that file through?",
        "The release check reads the file's format but not its values, and the staging queue "
        "is too quiet to show a slow drain.",
        None,
    ),
    (
        "Why did it take half an hour to link the delay to the change?",
        "No alert watches how long the oldest email has waited; a customer ticket was the first "
        "signal that named email.",
        "customer_report",
    ),
]
FACTORS = [
    (
        "detection",
        "No alert on the age of the oldest email in the queue.",
        "customer_report",
    ),
    ("release", "The release check accepts a queue file without a worker count.", "cause_found"),
    (
        "runbook",
        "Rolling back a configuration change is a manual edit with no runbook; finding the "
        "previous file took seven minutes.",
        "change_made",
    ),
]


def _next_steps(today: datetime) -> str:
    due = [(today + timedelta(days=days)).date() for days in (7, 14, 21)]
    label = [f"{day.day} {day:%B}" for day in due]
    return "\n".join(
        [
            "- Add an alert when the oldest email in the queue has waited 5 minutes "
            f"(owner: Priya Shah, due: {label[0]})",
            "- Make the release check refuse a queue file without a worker count "
            f"(owner: Lee Chan, due: {label[1]})",
            "- Write a runbook for rolling back a configuration change and time a drill of it "
            f"(owner: Sam Okafor, due: {label[2]})",
        ]
    )


def _meeting_time(resolved_at: datetime, now: datetime) -> datetime:
    """The latest 10:00 on a business day after the resolution that has passed by an hour;
    two hours ago if none has."""
    org = Organisation.current()
    zone, calendar = org.zone, org.calendar
    day = timezone.localtime(now, zone).date()
    resolved_on = timezone.localtime(resolved_at, zone).date()
    while day > resolved_on:
        start = datetime.combine(day, time(10, 0), tzinfo=zone)
        if calendar.is_business_day(day) and start <= now - timedelta(hours=1):
            return start
        day -= timedelta(days=1)
    return (now - timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)


def load(*, incident: Incident, people: dict, now: datetime) -> None:
    """Give the resolved `incident` a held review. Call inside the demo's transaction."""
    start = incident.started_at
    for minutes, kind, text in TIMELINE:
        incidents.add_timeline_entry(
            incident=incident,
            by=people["dana"],
            kind=kind,
            text=text,
            occurred_at=start + timedelta(minutes=minutes),
        )
    brief_demo.log_signals(incident=incident, by=people["vic"], start=start, rows=SIGNAL)
    incident.refresh_from_db()
    review = services.propose_review(incident=incident, by=SYSTEM)
    services.add_attendee(
        review=review, by=people["dana"], role=AttendeeRole.SCRIBE, user=people["vic"]
    )
    for role, name, email in GUESTS:
        services.add_attendee(review=review, by=people["dana"], role=role, name=name, email=email)
    entries = {entry.kind: entry.pk for entry in incident.timeline.all()}
    meets = _meeting_time(review.resolved_at, now)
    review.refresh_from_db()
    services.edit_writeup(
        review=review,
        by=people["sam"],
        version=review.version,
        missed=MISSED,
        done=DONE,
        next_steps=_next_steps(meets),
        customer_signal=f"{review.customer_signal}\n{SENTIMENT}",
        whys=[services.WhyIn(q, a, entries.get(kind)) for q, a, kind in WHYS],
        factors=[services.FactorIn(text, kind, entries.get(on)) for kind, text, on in FACTORS],
    )
    invited = max(meets - timedelta(days=1), review.resolved_at + timedelta(minutes=30))
    services.schedule_review(review=review, by=people["dana"], starts_at=meets, now=invited)
    # The worker sent these back then; on a fresh demo they are history, not mail to send.
    Invitation.objects.filter(review=review).update(sent_at=invited, attempts=1)
    services.mark_held(
        review=review, by=people["dana"], held_at=meets + timedelta(minutes=55), now=now
    )
