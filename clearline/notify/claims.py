"""A send job's hold on its rows: the claim, and the mark of each message accepted.

A job claims its rows with one conditional UPDATE, so two workers never hold the same row, and
marks each row delivered as soon as its message is accepted, with the claim token in the
condition: a row another worker took over (after this one's lease lapsed) is not marked.
"""

import weakref
from datetime import datetime, timedelta

import psycopg
from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from psycopg import pq

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


# The same row change as `Delivery.objects.filter(pk__in=…, claimed_by=token, state=SENDING)
# .update(state=DELIVERED, delivered_at=now, claimed_until=None, last_error="")`, handed to the
# driver as it is: it runs for every message or few, and the ORM's building of it cost as much
# as the messages took to send.
_MARK_DELIVERED = (
    "UPDATE {table} SET state = {state}, delivered_at = {now}, claimed_until = NULL, "
    "last_error = '' WHERE id {ids} AND claimed_by = {claim} AND state = {sending}"
)
_PREPARED_NAME = b"clearline_mark_delivered"
_prepared_on: "weakref.WeakSet[psycopg.Connection]" = weakref.WeakSet()


def mark_delivered(rows: list[Delivery], token: str) -> int:
    """Record accepted messages, at once, in one statement; how many of the rows were still
    this job's (another worker may have taken one over)."""
    if not rows:
        return 0
    connection.ensure_connection()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    ids = [row.pk for row in rows]
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            return _mark_on_postgresql(connection.connection, table, ids, token)
        sql = _MARK_DELIVERED.format(
            table=table, ids=f"IN ({', '.join('?' * len(ids))})", **dict.fromkeys(PLACES, "?")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return connection.connection.execute(sql, [DELIVERED, now, *ids, token, SENDING]).rowcount


PLACES = ("state", "now", "claim", "sending")


def _mark_on_postgresql(driver: psycopg.Connection, table: str, ids: list[int], token: str) -> int:
    """The UPDATE as a statement prepared once per connection, run through libpq itself
    (psycopg.pq), which waits for the server with Python's lock let go: the mark runs while
    the job's sending threads wait for the mail server, and costs a quarter of the CPU time
    of a cursor's execute."""
    pgconn = driver.pgconn
    if driver not in _prepared_on:
        sql = _MARK_DELIVERED.format(
            table=table, state="$1", now="$2", ids="= ANY($3::bigint[])", claim="$4", sending="$5"
        )
        _check(driver, pgconn.prepare(_PREPARED_NAME, sql.encode()))
        _prepared_on.add(driver)
    params = [
        DELIVERED.encode(),
        timezone.now().isoformat().encode(),
        ("{" + ",".join(map(str, ids)) + "}").encode(),
        token.encode(),
        SENDING.encode(),
    ]
    result = _check(driver, pgconn.exec_prepared(_PREPARED_NAME, params))
    return int(result.command_tuples or 0)


def _check(driver: psycopg.Connection, result: pq.abc.PGresult) -> pq.abc.PGresult:
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise psycopg.errors.error_from_result(result, encoding=driver.info.encoding)
    return result
