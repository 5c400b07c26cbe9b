"""Reads of the incident reports. The public one is read only through `published_report`,
which starts from the public updates (never an internal text, a drill or a private incident)."""

from django.db.models import QuerySet

from clearline.incidents.models import Incident
from clearline.reviews.reports.models import EXTERNAL, Report
from clearline.updates.models import Update, UpdateKind


def reports_of(incident: Incident) -> QuerySet[Report]:
    return (
        Report.objects.filter(incident=incident)
        .select_related("update", "update__author", "update__approver", "incident")
        .order_by("edition")
    )


def report(public_id: str) -> Report | None:
    return (
        Report.objects.filter(public_id=public_id)
        .select_related("update", "update__author", "update__approver", "incident")
        .first()
    )


def published_external(incident: Incident) -> Report | None:
    """The external report customers were given, if one is published (whatever the incident's
    visibility: for the desk and the exports)."""
    return reports_of(incident).filter(edition__in=EXTERNAL, update__state="published").first()


def published_report(incident_public_id: str) -> Update | None:
    """The incident's published external report as the public may read it, or None."""
    return (
        Update.objects.public()
        .filter(kind=UpdateKind.REPORT, incident__public_id=incident_public_id)
        .select_related("incident")
        .first()
    )
