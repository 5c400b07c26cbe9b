"""Selectors: how far an update's fan-out has got, and the record of who was told what, when."""

from django.db.models import Count, QuerySet

from clearline.notify.models import Channel, Delivery, DeliveryState

# What a person reads: a row being sent right now is still on its way.
SHOWN_AS = {
    DeliveryState.PENDING: "pending",
    DeliveryState.SENDING: "pending",
    DeliveryState.DELIVERED: "delivered",
    DeliveryState.FAILED: "failed",
}


def update_deliveries(update_id: int) -> QuerySet[Delivery]:
    return Delivery.objects.filter(event__update_id=update_id)


def delivery_counts(update_id: int) -> dict:
    """{"delivered": N, "pending": N, "failed": N, "total": N, "channels": {channel: {...}}}."""
    empty = {"delivered": 0, "pending": 0, "failed": 0}
    channels = {channel.value: dict(empty) for channel in Channel}
    totals = dict(empty)
    rows = (
        update_deliveries(update_id).order_by().values("channel", "state").annotate(n=Count("pk"))
    )
    for row in rows:
        shown = SHOWN_AS[DeliveryState(row["state"])]
        channels[row["channel"]][shown] += row["n"]
        totals[shown] += row["n"]
    return {**totals, "total": sum(totals.values()), "channels": channels}


def delivery_record(update_id: int) -> QuerySet[Delivery]:
    """Every delivery of the update with its subscriber, in the order they were written."""
    return update_deliveries(update_id).select_related("subscriber").order_by("pk")


def record_row(delivery: Delivery) -> dict:
    """One line of the record, as the CLI's JSON and the desk show it."""
    return {
        "address": delivery.subscriber.address,
        "channel": delivery.channel,
        "state": SHOWN_AS[DeliveryState(delivery.state)],
        "attempts": delivery.attempts,
        "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        "last_error": delivery.last_error,
    }
