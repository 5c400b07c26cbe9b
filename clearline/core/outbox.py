"""The one publish path: a public change writes an outbox event in its own transaction.

Domain services call `publish()` and know nothing of who listens. Consumers register by name
(`@consumer("snapshot")`) when their app loads; each runs as a task-engine job per event, and
writes a receipt when done. With the database task backend the jobs are queued in the same
transaction as the event; with another backend they are queued when it commits, and the worker's
relay re-queues any event a consumer has not handled (a process that died at the commit).
"""

from collections.abc import Callable

from django.db import transaction

from clearline.core import queueing
from clearline.core.models import EventKind, OutboxEvent, OutboxReceipt

Consumer = Callable[[OutboxEvent], None]
_consumers: dict[str, Consumer] = {}


def consumer(name: str) -> Callable[[Consumer], Consumer]:
    """Register `fn(event)` to run once for every event; it must be idempotent."""

    def register(fn: Consumer) -> Consumer:
        _consumers[name] = fn
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
    from clearline.core.tasks import handle_event

    for name in _consumers:
        queueing.enqueue(handle_event, event_id=event.pk, consumer=name)
    return event


def handle(event_id: int, name: str) -> bool:
    """Run one consumer on one event unless it has already; True when it ran."""
    if OutboxReceipt.objects.filter(event_id=event_id, consumer=name).exists():
        return False
    event = OutboxEvent.objects.get(pk=event_id)
    _consumers[name](event)
    OutboxReceipt.objects.get_or_create(event=event, consumer=name)
    return True
