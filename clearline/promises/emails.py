"""The reminder email: which incident, when its update is due, and where to write it."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.timesince import timesince

from clearline.accounts.models import Organisation
from clearline.accounts.selectors import display_name
from clearline.core.clock import time_label
from clearline.promises.models import Reminder, ReminderKind


def _subject(reminder: Reminder, due: str) -> str:
    # Titles are people's text: folding whitespace keeps a stray newline out of the header.
    title = " ".join(reminder.incident.title.split())
    drill = "[Drill] " if reminder.incident.is_drill else ""
    if reminder.kind == ReminderKind.OVERDUE:
        return f"{drill}Update overdue: {title}"
    return f"{drill}Update due at {due}: {title}"


def _why(reminder: Reminder, people: list) -> str:
    incident = reminder.incident
    if incident.comms_owner in people:
        return "you are its comms owner"
    if incident.commander in people:
        return "you are its commander and it has no comms owner"
    return "it has no comms owner or commander, so every responder is told"


def reminder_message(reminder: Reminder, people: list, *, now: datetime) -> EmailMessage:
    zone = Organisation.current().zone
    # Speak as of the check that found the promise due, or later on a retry.
    now = max(now, reminder.created_at)
    due = time_label(reminder.due_at, zone)
    desk = reverse("desk:incident", args=[reminder.incident_id])
    body = render_to_string(
        "promises/reminder_email.txt",
        {
            "reminder": reminder,
            "incident": reminder.incident,
            "overdue": reminder.kind == ReminderKind.OVERDUE,
            "due": due,
            "distance": timesince(min(now, reminder.due_at), max(now, reminder.due_at), depth=1),
            "published": time_label(reminder.update.published_at, zone),
            "names": ", ".join(display_name(person) for person in people),
            "why": _why(reminder, people),
            "desk_url": f"{settings.SITE_URL}{desk}",
        },
    )
    return EmailMessage(
        subject=_subject(reminder, due),
        body=body,
        to=[person.email for person in people if person.email],
    )
