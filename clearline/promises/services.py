"""Keep the promise: remind the people who owe customers an update, once per promise and kind,
and the owner of an action item once it is overdue."""

import logging
import smtplib
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core.sending import claim_to_send
from clearline.promises import emails, selectors
from clearline.promises.models import Reminder, ReminderChannel, ReminderKind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A claim older than this belongs to a worker that died mid-send. A send gives up long before
# (EMAIL_TIMEOUT), so a live worker never loses its claim to another.
CLAIM_LEASE = timedelta(minutes=10)
PROMISE_NOT_IN_FORCE = "Not sent: a newer update was published or the incident was resolved."
ACTION_NOT_IN_FORCE = "Not sent: the action item was closed or given a new due date."
FOLLOW_UP_NOT_IN_FORCE = "Not sent: the follow-up was done."


@transaction.atomic
def check_promises(*, now: datetime | None = None) -> list[Reminder]:
    """Write a reminder for every promise due soon or overdue, and queue sending it.

    Safe to run often and from several workers at once: a promise gets at most one reminder
    row of each kind, and only the worker that claims a row sends it.
    """
    from clearline.promises import tasks

    now = now or timezone.now()
    window = timedelta(minutes=Organisation.current().remind_before_minutes)
    queued = []
    for update in selectors.promises_due(before=now + window):
        kind = ReminderKind.OVERDUE if update.next_update_due <= now else ReminderKind.DUE_SOON
        reminder, _ = Reminder.objects.get_or_create(
            update=update,
            kind=kind,
            defaults={
                "incident": update.incident,
                "due_at": update.next_update_due,
                "created_at": now,
            },
        )
        queued.append(reminder)
    # Action items promise a change by a date, and a key account's follow-up a personal word
    # by one: their owner hears once when it has passed.
    overdue = [
        ("action_item", ReminderKind.ACTION_OVERDUE, selectors.actions_gone_overdue),
        ("follow_up", ReminderKind.FOLLOW_UP_OVERDUE, selectors.follow_ups_gone_overdue),
    ]
    for field, kind, gone_overdue in overdue:
        for item, overdue_at in gone_overdue(now=now, attempts=MAX_ATTEMPTS):
            reminder, _ = Reminder.objects.get_or_create(
                **{field: item},
                due_at=overdue_at,
                defaults={"incident_id": item.incident_id, "kind": kind, "created_at": now},
            )
            queued.append(reminder)
    queued = [r for r in queued if r.sent_at is None and r.attempts < MAX_ATTEMPTS]
    for reminder in queued:
        transaction.on_commit(partial(tasks.send_reminder.enqueue, reminder.pk))
    return queued


def _claim(reminder_id: int, now: datetime) -> bool:
    return claim_to_send(
        Reminder, reminder_id, now=now, lease=CLAIM_LEASE, max_attempts=MAX_ATTEMPTS
    )


def send_reminder(*, reminder_id: int, now: datetime | None = None) -> bool:
    """Claim a reminder and email it. True when this call sent it.

    Deliberately outside any transaction: the claim commits before the SMTP conversation, and
    the outcome is written after it, so a slow mail server holds no database lock.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("send_reminder talks to a mail server; call it outside a transaction")
    now = now or timezone.now()
    if not _claim(reminder_id, now):
        return False
    reminder = Reminder.objects.select_related(
        "incident__comms_owner",
        "incident__commander",
        "update",
        "action_item__owner",
        "follow_up__owner",
        "follow_up__account",
    ).get(pk=reminder_id)
    rows = Reminder.objects.filter(pk=reminder_id)
    if not selectors.is_in_force(reminder):
        if reminder.follow_up_id:
            rows.update(error=FOLLOW_UP_NOT_IN_FORCE)
        else:
            rows.update(
                error=ACTION_NOT_IN_FORCE if reminder.action_item_id else PROMISE_NOT_IN_FORCE
            )
        return False
    people = selectors.people_to_remind(reminder)
    message = emails.reminder_message(reminder, people, now=now)
    if not message.to:
        rows.update(channel=ReminderChannel.DESK, sent_at=timezone.now(), error="")
        return True
    try:
        message.send()
    except Exception as error:
        # Free the claim so the next check retries, up to MAX_ATTEMPTS; the error stays on record
        # and the desk notice shows the reminder all the same. What is not the mail server's
        # answer (a broken setting, a bug) also fails the job, for all to see.
        problem = f"{type(error).__name__}: {error}"[:500]
        rows.update(claimed_at=None, error=problem)
        logger.warning("Reminder %s not sent (try %s): %s", reminder_id, reminder.attempts, problem)
        if not isinstance(error, smtplib.SMTPException | OSError):
            raise
        return False
    rows.update(
        channel=ReminderChannel.EMAIL,
        recipients=", ".join(message.to),
        sent_at=timezone.now(),
        error="",
    )
    return True
