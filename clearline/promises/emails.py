"""The reminder emails: which incident, when its update is due, and where to write it; which
action item is overdue, and where to close it."""

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
from clearline.reviews.actions import export


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
    if reminder.follow_up_id is not None:
        return follow_up_reminder_message(reminder, people, now=now)
    if reminder.action_item_id is not None:
        return action_reminder_message(reminder, people, now=now)
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


def action_reminder_message(reminder: Reminder, people: list, *, now: datetime) -> EmailMessage:
    """To the owner: the outcome they promised, the date it was due, and where to close it."""
    item = reminder.action_item
    now = max(now, reminder.created_at)
    # People's text in a header: one line, whatever was typed.
    outcome = " ".join(item.outcome.split())
    body = render_to_string(
        "promises/action_reminder_email.txt",
        {
            "item": item,
            "incident": item.incident,
            "due": f"{item.due_date:%A %d %B %Y}",
            "late": timesince(reminder.due_at, now, depth=1),
            "names": ", ".join(display_name(person) for person in people),
            "desk_url": export.desk_url(item),
        },
    )
    return EmailMessage(
        subject=f"Action item overdue: {outcome}",
        body=body,
        to=[person.email for person in people if person.email],
    )


def follow_up_reminder_message(reminder: Reminder, people: list, *, now: datetime) -> EmailMessage:
    """To the account owner: which customer, which incident, since when, and where to start."""
    follow_up = reminder.follow_up
    now = max(now, reminder.created_at)
    desk = reverse("loop:follow-ups")
    body = render_to_string(
        "promises/follow_up_reminder_email.txt",
        {
            "follow_up": follow_up,
            "incident": follow_up.incident,
            "due": f"{follow_up.due_date:%A %d %B %Y}",
            "late": timesince(reminder.due_at, now, depth=1),
            "names": ", ".join(display_name(person) for person in people),
            "desk_url": f"{settings.SITE_URL}{desk}",
        },
    )
    drill = "[Drill] " if follow_up.incident.is_drill else ""
    # People's text in a header: one line, whatever was typed.
    account = " ".join(follow_up.account.name.split())
    return EmailMessage(
        subject=f"{drill}Follow-up overdue: {account}",
        body=body,
        to=[person.email for person in people if person.email],
    )
