"""A send job's hold on its rows: the claim, and the mark of each message accepted.

A job claims its rows with one conditional UPDATE, so two workers never hold the same row, and
marks each row delivered as soon as its message is accepted, with the claim token in the
condition: a row another worker took over (after this one's lease lapsed) is not marked.
"""

from datetime import datetime, timedelta

import psycopg
from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from clearline.notify.models import Delivery, DeliveryState

DELIVERED, SENDING = DeliveryState.DELIVERED.value, DeliveryState.SENDING.value


def claim(delivery_ids: list[int], *, now: datetime | None = None) -> tuple[str, list[Delivery]]:
    """Take the rows of `delivery_ids` that are due and free; (claim token, rows taken)."""
    now = now or timezone.now()
    token = get_random_string(20)
    free = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_until__lt=now
    )
    Delivery.objects.filter(free, pk__in=delivery_ids).update(
        state=DeliveryState.SENDING,
        claimed_by=token,
        claimed_until=now + timedelta(seconds=settings.CLEARLINE_DELIVERY_LEASE_SECONDS),
        attempts=F("attempts") + 1,
    )
    rows = list(
        Delivery.objects.filter(pk__in=delivery_ids, claimed_by=token, state=DeliveryState.SENDING)
        .select_related("subscriber")
        .only(*SENT_WITH)
        .order_by("pk")
    )
    return token, rows


# What sending reads of a claimed row, and nothing more: reading every field of a batch's rows
# and subscribers took as long as marking them. (Anything else read costs a query per row;
# tests/notify/test_batch_queries.py counts a batch's queries.)
SENT_WITH = [
    "state",
    "channel",
    "attempts",
    "event",
    *(
        f"subscriber__{field}"
        for field in (
            "public_id",
            "channel",
            "email",
            "url",
            "secret",
            "unsubscribed_at",
            "suppressed_at",
            "suppressed_reason",
            "failing_since",
            "disabled_at",
            "disabled_reason",
        )
    ),
]


def why_stopped(row: Delivery) -> str | None:
    """Why a subscriber stopped hearing from us since the row was written, or None."""
    sub = row.subscriber
    if sub.unsubscribed_at:
        return "Not sent: the subscriber unsubscribed."
    if sub.suppressed_at:
        return f"Not sent: mail to this address is stopped ({sub.suppressed_reason})."
    if sub.disabled_at:
        return f"Not sent: the endpoint is switched off ({sub.disabled_reason})."
    return None


# The same row change as `Delivery.objects.filter(pk=…, claimed_by=token, state=SENDING)
# .update(state=DELIVERED, delivered_at=now, claimed_until=None, last_error="")`, handed to the
# driver as it is: it runs once per message, and the ORM's building of it cost as much as the
# message took to send.
_MARK_DELIVERED = (
    "UPDATE {table} SET state = {p}, delivered_at = {p}, claimed_until = NULL, last_error = '' "
    "WHERE id = {p} AND claimed_by = {p} AND state = {p}"
)


def mark_delivered(row: Delivery, token: str) -> bool:
    """Record one accepted message, at once; False if another worker took the row over."""
    connection.ensure_connection()
    driver = connection.connection
    table = connection.ops.quote_name(Delivery._meta.db_table)
    now = timezone.now()
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            # Prepared, so PostgreSQL plans the UPDATE once per connection, not per message.
            # Django switches preparing off (for connection poolers; PgBouncer keeps prepared
            # statements from 1.22 on), and then prepare=True is ignored: a threshold never
            # reached prepares only what asks for it.
            if driver.prepare_threshold is None:
                driver.prepare_threshold = 2**31
            with psycopg.Cursor(driver) as cursor:
                sql = _MARK_DELIVERED.format(table=table, p="%s")
                cursor.execute(sql, [DELIVERED, now, row.pk, token, SENDING], prepare=True)
                return cursor.rowcount == 1
        sql = _MARK_DELIVERED.format(table=table, p="?")
        now = connection.ops.adapt_datetimefield_value(now)
        return driver.execute(sql, [DELIVERED, now, row.pk, token, SENDING]).rowcount == 1
