"""Failures: a failed attempt waits and tries again, the last one leaves a dead letter, an
endpoint failing for days is switched off; and the retry an admin asks for.

Waits are exponential with full jitter (a random wait between 0 and base·2^(n-1), capped), so a
mail server coming back is not met by every retry at the same second.
"""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline.accounts.roles import ADMIN
from clearline.core import audit, permissions, queueing
from clearline.core.errors import ClearlineError
from clearline.notify.models import Channel, Delivery, DeliveryState, Subscriber

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try, after `attempts` tries (full jitter)."""
    ceiling = min(
        settings.CLEARLINE_RETRY_CAP_SECONDS,
        settings.CLEARLINE_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1),
    )
    return timedelta(seconds=random.uniform(0, ceiling))  # noqa: S311 -- jitter, not a secret


def _held(row: Delivery, token: str):
    return Delivery.objects.filter(pk=row.pk, claimed_by=token, state=DeliveryState.SENDING)


def attempt_failed(row: Delivery, token: str, problem: str) -> str:
    """Record a failed try: pending again after a wait, or failed after the last one."""
    if row.attempts >= settings.CLEARLINE_DELIVERY_ATTEMPTS:
        return give_up(row, token, problem)
    _held(row, token).update(
        state=DeliveryState.PENDING,
        next_attempt_at=timezone.now() + backoff(row.attempts),
        claimed_until=None,
        last_error=problem[:1000],
    )
    return DeliveryState.PENDING


def give_up(row: Delivery, token: str, problem: str) -> str:
    """A dead letter: no more automatic tries; an admin may retry it."""
    _held(row, token).update(
        state=DeliveryState.FAILED, claimed_until=None, last_error=problem[:1000]
    )
    return DeliveryState.FAILED


def hand_back(rows: list[Delivery], token: str) -> int:
    """Return claimed rows not reached to a new job, due at once; the claim's try does not count."""
    ids = [row.pk for row in rows]
    with transaction.atomic():
        returned = Delivery.objects.filter(
            pk__in=ids, claimed_by=token, state=DeliveryState.SENDING
        ).update(
            state=DeliveryState.PENDING,
            next_attempt_at=timezone.now(),
            claimed_until=None,
            attempts=F("attempts") - 1,
        )
        _queue(rows)
    return returned


def endpoint_answered(subscriber: Subscriber) -> None:
    """A success ends the endpoint's run of failures."""
    Subscriber.objects.filter(pk=subscriber.pk, failing_since__isnull=False).update(
        failing_since=None
    )


def endpoint_failed(subscriber: Subscriber, *, now: datetime | None = None) -> bool:
    """Note the failure; after CLEARLINE_ENDPOINT_DISABLE_DAYS of them, switch the endpoint off
    and tell the admins (once). True when this call switched it off."""
    now = now or timezone.now()
    Subscriber.objects.filter(pk=subscriber.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    since = now - timedelta(days=settings.CLEARLINE_ENDPOINT_DISABLE_DAYS)
    days = settings.CLEARLINE_ENDPOINT_DISABLE_DAYS
    reason = f"Every delivery failed for {days} days."
    switched = Subscriber.objects.filter(
        pk=subscriber.pk, failing_since__lte=since, disabled_at__isnull=True
    ).update(disabled_at=now, disabled_reason=reason)
    if switched:
        _tell_admins(subscriber, reason)
    return bool(switched)


def admin_addresses() -> list[str]:
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    admins = people.filter(Q(groups__name=ADMIN) | Q(is_superuser=True)).distinct()
    return sorted(admins.values_list("email", flat=True))


def _tell_admins(subscriber: Subscriber, reason: str) -> None:
    to = admin_addresses()
    if not to:
        return
    channel = Channel(subscriber.channel).label
    try:
        send_mail(
            subject=f"{channel} subscriber switched off: {subscriber.url}"[:200],
            message=(
                f"clearline stopped sending to the {channel.lower()} endpoint {subscriber.url}.\n"
                f"{reason}\n\nThe last error is kept on its deliveries. When the endpoint "
                "works again, ask the subscriber to subscribe again or clear 'disabled' in "
                "the admin.\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=to,
        )
    except Exception:
        # The endpoint is off either way; the admin list shows it.
        logger.exception("Could not tell the admins that %s was switched off", subscriber.url)


# Retrying dead letters


RETRY_REFUSED = "Only a failed delivery can be retried; this one is {state}."


@transaction.atomic
def retry_delivery(*, delivery: Delivery, by) -> Delivery:
    """Send a dead letter again: a fresh set of attempts, queued at once."""
    permissions.require_perm(by, "notify.change_delivery")
    row = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("subscriber")
        .get(pk=delivery.pk)
    )
    if row.state != DeliveryState.FAILED:
        raise ClearlineError(
            RETRY_REFUSED.format(state=row.get_state_display().lower()),
            field="state",
            code="not_failed",
        )
    _start_again(row, by)
    _queue([row])
    return row


@transaction.atomic
def retry_failed(*, update_id: int, by) -> int:
    """Send every dead letter of one update's fan-out again; how many."""
    permissions.require_perm(by, "notify.change_delivery")
    failed = Delivery.objects.filter(event__update_id=update_id, state=DeliveryState.FAILED)
    rows = list(failed.select_for_update(of=("self",)).select_related("subscriber").order_by("pk"))
    for row in rows:
        _start_again(row, by)
    _queue(rows)
    return len(rows)


def _start_again(row: Delivery, by) -> None:
    row.state = DeliveryState.PENDING
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["state", "attempts", "next_attempt_at"])
    audit.record(
        actor=by,
        action="delivery.retried",
        obj=row,
        summary=f"Sent the failed {row.channel} delivery to {row.subscriber} again",
        changes={"last_error": row.last_error},
    )


def _queue(rows: list[Delivery]) -> None:
    from clearline.notify.fanout import queue_rows

    queue_rows((row.pk, row.channel) for row in rows)


LOST_JOB_MINUTES = 15


def queue_due(*, now: datetime | None = None) -> int:
    """Queue the sending of retries that are due and of rows whose job or worker died; how many.

    Rows never tried are left to the job the fan-out queued for them, unless that job is known
    to have died (`_rows_of_dead_jobs`) or they have waited LOST_JOB_MINUTES (a job lost by a
    queue that is not the database): queuing them sooner would queue a second job for every row
    of a large fan-out still working through its backlog.
    """
    now = now or timezone.now()
    lost = now - timedelta(minutes=LOST_JOB_MINUTES)
    due = Delivery.objects.filter(
        Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        & (Q(attempts__gt=0) | Q(created_at__lt=lost) | Q(pk__in=_rows_of_dead_jobs(now)))
        | Q(state=DeliveryState.SENDING, claimed_until__lt=now)
    ).order_by("pk")
    rows = list(due.only("pk", "channel")[:50_000])
    with transaction.atomic():
        _queue(rows)
    return len(rows)


def _rows_of_dead_jobs(now: datetime) -> list[int]:
    """The rows of send jobs on the database queue that started and never finished.

    A worker killed after taking a job but before its claim committed leaves the job "running"
    for ever and its rows untouched. A live job hands its rows back after half the lease, so one
    still running a whole lease after it started has died. Older than a day is history.
    """
    from clearline.notify.tasks import send_deliveries

    if not queueing.in_database(send_deliveries):
        return []
    lease = timedelta(seconds=settings.CLEARLINE_DELIVERY_LEASE_SECONDS)
    dead = DBTaskResult.objects.running().filter(
        task_path=send_deliveries.module_path,
        started_at__lt=now - lease,
        started_at__gt=now - timedelta(days=1),
    )
    ids: list[int] = []
    for args_kwargs in dead.values_list("args_kwargs", flat=True):
        ids.extend(args_kwargs.get("kwargs", {}).get("delivery_ids", []))
    return ids
