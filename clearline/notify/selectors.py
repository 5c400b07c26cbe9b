"""Reads of subscriptions for staff: the API, the admin and the export."""

from django.db.models import Prefetch, QuerySet

from clearline.incidents.models import Component
from clearline.notify.models import Subscriber


def subscribers() -> QuerySet[Subscriber]:
    """Every subscription, cancelled and stopped ones too, oldest first, with what the API and
    the export show of each in three queries."""
    return Subscriber.objects.select_related("incident").prefetch_related(
        Prefetch("components", queryset=Component.objects.only("id", "public_id"))
    )


def subscriber(public_id: str) -> Subscriber | None:
    return subscribers().filter(public_id=public_id).first()


def status_of(subscriber: Subscriber) -> str:
    """One word for where a subscription stands, as the export writes it."""
    if subscriber.unsubscribed_at:
        return "unsubscribed"
    if subscriber.suppressed_at:
        return "suppressed"
    if subscriber.disabled_at:
        return "disabled"
    return "confirmed" if subscriber.confirmed_at else "unconfirmed"
