"""The one publish path: a public change writes an outbox event in its own transaction.

Domain services call `publish()` and know nothing of who listens. Consumers register by name
(`@consumer("snapshot")`) when their app loads; each runs as a task-engine job per event, and
writes a receipt when done. With the database task backend the jobs are queued in the same
transaction as the event; with another backend they are queued when it commits, and the worker's
relay re-queues any event a consumer has not handled (a process that died at the commit, a job
lost with its queue).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from clearline.core import queueing
from clearline.core.models import EventKind, OutboxEvent, OutboxReceipt

# An event older than this without a receipt has lost its job: the relay queues it again. Long
# enough that a job still waiting behind a busy worker is not queued twice for nothing.
RELAY_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class Consumer:
    name: str
    fn: Callable
    # Takes every event still waiting for it at once (a list), not one event: a burst of
    # publishes then costs one run.
    coalesce: bool = False


_consumers: dict[str, Consumer] = {}


def consumer(name: str, *, coalesce: bool = False) -> Callable[[Callable], Callable]:
    """Register `fn(event)` (with `coalesce`, `fn(events)`) to run once for every event.

    It must be idempotent: a job may run again after a crash before its receipt is written.
    """

    def register(fn: Callable) -> Callable:
        _consumers[name] = Consumer(name, fn, coalesce)
        return fn

    return register


def consumers() -> dict[str, Consumer]:
    return dict(_consumers)


def publish(
    kind: str,
    *,
    incident_id: int | None = None,
    update_id: int | None = None,
    maintenance_id: int | None = None,
    notify: bool = False,
) -> OutboxEvent:
    """Record a public change; call inside the transaction that makes it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.publish belongs inside the change's transaction")
    event = OutboxEvent.objects.create(
        kind=EventKind(kind),
        incident_id=incident_id,
        update_id=update_id,
        maintenance_id=maintenance_id,
        notify=notify,
    )
    for name in _consumers:
        _queue(event.pk, name)
    return event


def _queue(event_id: int, name: str) -> None:
    from clearline.core.tasks import handle_event

    queueing.enqueue(handle_event, event_id=event_id, consumer=name)


def waiting(name: str) -> QuerySet[OutboxEvent]:
    """Events the consumer has not handled yet, oldest first."""
    done = OutboxReceipt.objects.filter(event=OuterRef("pk"), consumer=name)
    return OutboxEvent.objects.filter(~Exists(done)).order_by("pk")


def latest_event() -> OutboxEvent | None:
    return OutboxEvent.objects.order_by("-pk").first()


def settle(name: str, events: list[OutboxEvent]) -> None:
    """Write the consumer's receipts: these events are handled."""
    OutboxReceipt.objects.bulk_create(
        [OutboxReceipt(event=event, consumer=name) for event in events], ignore_conflicts=True
    )


def handle(event_id: int, name: str) -> bool:
    """Run one consumer on one event unless it has already; True when it ran."""
    if OutboxReceipt.objects.filter(event_id=event_id, consumer=name).exists():
        return False
    spec = _consumers[name]
    if spec.coalesce:
        events = list(waiting(name))
        if event_id not in {event.pk for event in events}:
            return False  # handled meanwhile by a run that took it along
        spec.fn(events)
    else:
        events = [OutboxEvent.objects.get(pk=event_id)]
        spec.fn(events[0])
    settle(name, events)
    return True


def relay(*, now=None) -> int:
    """Queue again every event a registered consumer has left unhandled for RELAY_AFTER.

    Covers a task backend that queues on commit (the process died at it) and a lost job. A
    coalescing consumer needs only its oldest waiting event queued: that run takes them all.
    Returns how many jobs were queued.
    """
    before = (now or timezone.now()) - RELAY_AFTER
    queued = 0
    for name, spec in _consumers.items():
        stale = waiting(name).filter(created_at__lt=before)
        for event_id in stale.values_list("pk", flat=True)[: 1 if spec.coalesce else 1000]:
            _queue(event_id, name)
            queued += 1
    return queued
