"""Reads for the desk and the private API. Public surfaces use statuspage.selectors instead."""

from django.db.models import QuerySet

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
