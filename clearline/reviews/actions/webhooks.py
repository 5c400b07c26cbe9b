"""The tracker's copy of the action items: each item created or closed is one event, posted to
CLEARLINE_ACTIONS_WEBHOOK_URL and signed per Standard Webhooks with its secret.

The event row is written in the change's own transaction, and its send job with it on the
database queue (`queueing.enqueue`). The worker claims the row with a conditional UPDATE,
posts outside any transaction to the address checked at that moment (the SSRF guard and the
timeouts of subscriber webhooks), and keeps a record of every try. A failed try waits
`notify.retry.backoff` and is queued again by the retry check; the last one leaves the row
failed, for an admin to see with the error of each try.
"""

import logging
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clearline.channels.webhook import sign
from clearline.notify.addresses import AddressRefused, resolve
from clearline.notify.post import PostFailed, post
from clearline.notify.retry import LOST_JOB_MINUTES, backoff
from clearline.reviews.actions import export
from clearline.reviews.models import (
    ActionItem,
    ActionWebhook,
    ActionWebhookAttempt,
    WebhookState,
)

logger = logging.getLogger(__name__)


def configured() -> bool:
    return bool(settings.CLEARLINE_ACTIONS_WEBHOOK_URL)


def record_event(item: ActionItem, event: str, *, now: datetime) -> ActionWebhook | None:
    """Write the event, inside the caller's transaction (which queues its sending); None when
    no tracker is configured."""
    if not configured():
        return None
    document = export.as_json_value(export.document(item, on=export.today_for(now)))
    row = ActionWebhook.objects.create(
        action_item=item,
        event=event,
        payload={
            "type": event,
            "timestamp": export.org_time(now),
            "data": {
                "action_item": document,
                "incident": {"id": item.incident.public_id, "title": item.incident.title},
                "desk_url": document["desk_url"],
            },
        },
        created_at=now,
        next_attempt_at=now,
    )
    return row


def message_id(row: ActionWebhook) -> str:
    """The same on every try, so the tracker can drop a repeat."""
    return f"msg_{row.public_id}"


def _lease() -> timedelta:
    return timedelta(seconds=settings.CLEARLINE_DELIVERY_LEASE_SECONDS)


def _claim(webhook_id: int, now: datetime) -> bool:
    """The conditional UPDATE that lets exactly one worker post an event at a time."""
    claimable = Q(state=WebhookState.PENDING, next_attempt_at__lte=now) | Q(
        state=WebhookState.SENDING, claimed_until__lt=now
    )
    claimed = ActionWebhook.objects.filter(claimable, pk=webhook_id).update(
        state=WebhookState.SENDING, claimed_until=now + _lease(), attempts=F("attempts") + 1
    )
    return claimed == 1


def send_webhook(*, webhook_id: int, now: datetime | None = None) -> str:
    """Claim an event and post it; the row's state afterwards ("" when another worker holds it
    or it is not due).

    Outside any transaction: the claim commits before the HTTP request and the outcome is
    written after it, so a slow tracker holds no database lock.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("send_webhook talks to a tracker; call it outside a transaction")
    now = now or timezone.now()
    if not _claim(webhook_id, now):
        return ""
    row = ActionWebhook.objects.get(pk=webhook_id)
    url = settings.CLEARLINE_ACTIONS_WEBHOOK_URL
    started, clock = timezone.now(), time.monotonic()
    problem = _post(row, url) if url else "No tracker address is configured any more."
    ActionWebhookAttempt.objects.create(
        webhook=row,
        number=row.attempts,
        started_at=started,
        seconds=round(time.monotonic() - clock, 3),
        host=(urlsplit(url).hostname or "")[:255],
        succeeded=not problem,
        error=problem[:500],
    )
    held = ActionWebhook.objects.filter(
        pk=row.pk, state=WebhookState.SENDING, attempts=row.attempts
    )
    if not problem:
        held.update(state=WebhookState.DELIVERED, delivered_at=timezone.now(), last_error="")
        return WebhookState.DELIVERED
    logger.warning("Action item event %s not delivered (try %s): %s", row.pk, row.attempts, problem)
    if row.attempts >= settings.CLEARLINE_DELIVERY_ATTEMPTS or not url:
        held.update(state=WebhookState.FAILED, claimed_until=None, last_error=problem[:500])
        return WebhookState.FAILED
    held.update(
        state=WebhookState.PENDING,
        next_attempt_at=timezone.now() + backoff(row.attempts),
        claimed_until=None,
        last_error=problem[:500],
    )
    return WebhookState.PENDING


def _post(row: ActionWebhook, url: str) -> str:
    """POST the event; what went wrong, or "" when the tracker took it."""
    signed = sign(
        row.payload,
        msg_id=message_id(row),
        secret=settings.CLEARLINE_ACTIONS_WEBHOOK_SECRET,
        now=timezone.now(),
    )
    try:
        _, _, addresses = resolve(url)
        post(url, addresses[0], body=signed.body, headers=signed.headers)
    except AddressRefused as refused:
        return refused.message
    except PostFailed as failed:
        return str(failed)
    return ""


def due(*, now: datetime | None = None) -> list[int]:
    """Events whose retry is due, whose worker died holding them, or whose first job was lost."""
    now = now or timezone.now()
    lost = now - timedelta(minutes=LOST_JOB_MINUTES)
    rows = ActionWebhook.objects.filter(
        Q(state=WebhookState.PENDING, next_attempt_at__lte=now)
        & (Q(attempts__gt=0) | Q(created_at__lt=lost))
        | Q(state=WebhookState.SENDING, claimed_until__lt=now)
    )
    return list(rows.order_by("pk").values_list("pk", flat=True)[:10_000])
