"""A send job's hold on its rows: the claim, and the mark of each message accepted.

A job claims its rows with one conditional UPDATE, so two workers never hold the same row, and
marks each row delivered as soon as its message is accepted, with the claim token in the
condition: a row another worker took over (after this one's lease lapsed) is not marked.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from clearline.notify.models import Delivery, DeliveryState


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
        .select_related("subscriber", "event")
        .order_by("pk")
    )
    return token, rows


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
# .update(state=DELIVERED, delivered_at=now, claimed_until=None, last_error="")`, written out:
# it runs once per message, and building the query each time cost as much as sending the message.
_MARK_DELIVERED = (
    "UPDATE {table} SET state = %s, delivered_at = %s, claimed_until = NULL, last_error = '' "
    "WHERE id = %s AND claimed_by = %s AND state = %s"
)


def mark_delivered(row: Delivery, token: str) -> bool:
    """Record one accepted message, at once; False if another worker took the row over."""
    sql = _MARK_DELIVERED.format(table=connection.ops.quote_name(Delivery._meta.db_table))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [DeliveryState.DELIVERED.value, now, row.pk, token, DeliveryState.SENDING.value]
        )
        return cursor.rowcount == 1
