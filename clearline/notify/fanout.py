"""The outbox's "fanout" consumer: one delivery row per interested subscriber, then send jobs.

The rows are written before anything is sent, so the record exists even for a message a dead
worker never got to; the unique (event, subscriber) pair makes a second run add nothing.
"""

from collections.abc import Iterable, Iterator
from itertools import chain, islice, zip_longest

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.constants import OnConflict

from clearline.core import outbox, queueing
from clearline.core.models import EventKind, OutboxEvent
from clearline.incidents.models import AffectedComponent, Maintenance
from clearline.notify.models import Channel, Delivery, DeliveryState, Subscriber
from clearline.updates.models import Audience, Update, UpdateKind, UpdateState


def audience_of(event: OutboxEvent) -> Update | Maintenance | None:
    """The published, customer-visible update or maintenance an event tells subscribers about,
    or None.

    The publish side already decides `notify`; the incident is read again here because a drill
    or an internal incident must never reach a subscriber, whatever an event says.
    """
    if not event.notify:
        return None
    if event.kind == EventKind.MAINTENANCE_PUBLISHED and event.maintenance_id:
        return Maintenance.objects.public().filter(pk=event.maintenance_id).first()
    if event.kind != EventKind.UPDATE_PUBLISHED or not event.update_id:
        return None
    update = Update.objects.select_related("incident").filter(pk=event.update_id).first()
    if update is None or update.state != UpdateState.PUBLISHED:
        return None
    if update.audience != Audience.PUBLIC or not update.incident.is_public:
        return None
    return update


def batched(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@outbox.consumer("fanout")
def fan_out(event: OutboxEvent) -> int:
    """Write the event's deliveries and queue their sending; the number of rows written."""
    told = audience_of(event)
    if told is None:
        return 0
    if isinstance(told, Maintenance):
        # Maintenance is news for everyone and for its components' subscribers; a subscriber
        # of one incident hears only about that incident.
        incident_id = None
        component_ids = list(told.components.values_list("pk", flat=True))
    elif told.kind == UpdateKind.ADDENDUM:
        # An answer weeks later is news about that incident, not about a component's state:
        # it goes to those who follow everything and to the incident's own subscribers.
        incident_id, component_ids = told.incident_id, []
    else:
        incident_id = told.incident_id
        component_ids = list(
            AffectedComponent.objects.filter(incident_id=incident_id).values_list(
                "component_id", flat=True
            )
        )
    subscribers = Subscriber.objects.active().interested_in(incident_id, component_ids)
    rows = Delivery.objects.filter(event=event)
    with transaction.atomic():
        before = rows.count()
        write_rows(event, subscribers)
        queue_sending(event.pk)
        return rows.count() - before


def write_rows(event: OutboxEvent, subscribers: QuerySet[Subscriber]) -> None:
    """A pending row for each of `subscribers` that has none for the event yet, written by the
    database from the subscribers' own rows (INSERT … SELECT): building and sending model
    rows through the ORM took a second per ten thousand subscribers."""
    fields = [
        field
        for field in Delivery._meta.concrete_fields
        if not field.primary_key and field.name not in ("subscriber", "channel")
    ]
    # The same values for every row: the model's defaults, as Django would save them.
    template = Delivery(event=event)
    values = [
        field.get_db_prep_save(getattr(template, field.attname), connection) for field in fields
    ]
    chosen, chosen_params = subscribers.values_list("pk", "channel").query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in [*(f.column for f in fields), "subscriber_id", "channel"])
    placeholders = ", ".join(["%s"] * len(values))
    # Every name is quoted and every value a parameter.
    select = f"SELECT {placeholders}, chosen.* FROM ({chosen}) chosen"  # noqa: S608
    sql = " ".join(
        [
            connection.ops.insert_statement(on_conflict=OnConflict.IGNORE),
            f"{quote(Delivery._meta.db_table)} ({columns})",
            select,
            connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *chosen_params])


def queue_sending(event_id: int) -> None:
    """Queue jobs for the event's unsent rows."""
    unsent = Delivery.objects.filter(event_id=event_id, state=DeliveryState.PENDING).order_by("pk")
    queue_rows(unsent.values_list("pk", "channel"))


def queue_rows(rows: Iterable[tuple[int, str]]) -> None:
    """Queue send jobs for these (id, channel) rows: emails in large batches, endpoints in small.

    On the database backend the jobs are rows of the caller's transaction, so rows and jobs
    commit together, or neither; on another backend they are queued at the commit, so a job
    never looks for rows it cannot see yet. A row queued twice is sent once: the claim in
    `sending` lets only one job take it.
    """
    from clearline.notify.tasks import send_deliveries

    emails, endpoints = [], []
    for pk, channel in rows:
        (emails if channel == Channel.EMAIL else endpoints).append(pk)
    # The two kinds take turns, so neither waits behind all of the other (an endpoint that
    # hangs until the timeout holds up the next email job, not every email).
    turns = zip_longest(
        batched(emails, settings.CLEARLINE_EMAIL_BATCH),
        batched(endpoints, settings.CLEARLINE_WEBHOOK_BATCH),
    )
    for ids in chain.from_iterable(turns):
        if ids:
            queueing.enqueue(send_deliveries, delivery_ids=list(ids))
