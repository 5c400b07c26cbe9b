"""Reads for the desk, the private API and the worker. Public surfaces use statuspage.selectors."""

from django.db.models import OuterRef, QuerySet

from clearline.incidents.models import Incident
from clearline.updates.models import Update


def updates(incident: Incident) -> QuerySet[Update]:
    """Every update of an incident, drafts and internal ones included, newest first."""
    return (
        Update.objects.filter(incident=incident)
        .select_related("incident", "author", "approver")
        .order_by("-created_at", "-id")
    )


def update(public_id: str) -> Update | None:
    return (
        Update.objects.filter(public_id=public_id)
        .select_related("incident", "author", "approver")
        .first()
    )


def public_updates(incident: Incident | OuterRef) -> QuerySet[Update]:
    """An incident's published public updates, newest first: the newest holds the promise in force.

    Takes an incident or an OuterRef, so list pages can read the latest one in a subquery.
    """
    return Update.objects.customer_text().filter(incident=incident).order_by("-published_at", "-id")
