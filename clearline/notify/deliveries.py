"""Selectors: how far an update's fan-out has got, and the record of who was told what, when."""

from django.db.models import Count, Q, QuerySet

from clearline.core.errors import ClearlineError
from clearline.core.models import OutboxEvent
from clearline.notify.models import Channel, Delivery, DeliveryState
from clearline.updates.models import Update

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


def fan_out_waiting(update_id: int) -> bool:
    """The update's fan-out has not yet written its rows (the counts will still grow)."""
    events = OutboxEvent.objects.filter(update_id=update_id, notify=True)
    return events.exclude(receipts__consumer="fanout").exists()


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


def find_update(update_id: str) -> Update:
    """An update by its number (as in desk addresses) or its public id (as in the API)."""
    found = Update.objects.filter(
        Q(pk=int(update_id)) if update_id.isdigit() else Q(public_id=update_id)
    ).first()
    if found is None:
        raise ClearlineError(f"No update {update_id}.", field="update_id", code="not_found")
    return found


def report(update: Update) -> dict:
    """The counts and the whole record, as `clearline deliveries --format json` prints them."""
    return {
        "update": update.public_id,
        **delivery_counts(update.pk),
        "deliveries": [record_row(row) for row in delivery_record(update.pk)],
    }


def report_text(update: Update) -> str:
    counts = delivery_counts(update.pk)
    lines = [
        f"Update {update.public_id}: {counts['delivered']} delivered, {counts['pending']} "
        f"pending, {counts['failed']} failed",
    ]
    for channel, numbers in counts["channels"].items():
        if any(numbers.values()):
            lines.append(
                f"  {channel}: {numbers['delivered']} delivered, {numbers['pending']} pending, "
                f"{numbers['failed']} failed"
            )
    for row in map(record_row, delivery_record(update.pk)):
        when = row["delivered_at"] or "-"
        error = f"  {row['last_error']}" if row["last_error"] else ""
        lines.append(
            f"{row['channel']:8} {row['state']:9} {row['attempts']:>2} {when:32} "
            f"{row['address']}{error}"
        )
    return "\n".join(lines) + "\n"
