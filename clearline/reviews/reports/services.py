"""Drafting, redrafting and publishing the incident reports.

Editing and approving are the updates' own (`updates.services.edit_update`, `approve_update`):
a report is an update of kind `report`, so its approval is bound to its exact words and its
publication goes through `publish_update`, the one publish path (audit, outbox, snapshot,
subscribers). Only an external edition is ever published, and only one per incident.
"""

from datetime import datetime

from django.db import transaction

from clearline.core import permissions
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.models import Incident, IncidentStatus
from clearline.reviews.reports import drafting
from clearline.reviews.reports.models import Edition, Report
from clearline.reviews.reports.selectors import published_external, reports_of
from clearline.updates import services as updates
from clearline.updates.models import Audience, Update, UpdateKind, UpdateState


@transaction.atomic
def draft_reports(*, incident: Incident, by) -> list[Report]:
    """Draft every edition not drafted yet from the record; those already drafted are kept as
    they are (a person may have edited them). Returns all three."""
    permissions.require_perm(by, "updates.add_update")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.RESOLVED:
        raise Conflict(
            "A report follows the resolution: resolve the incident first.", code="not_resolved"
        )
    have = set(reports_of(incident).values_list("edition", flat=True))
    for edition in Edition:
        if edition in have:
            continue
        update = updates.draft_update(
            incident=incident,
            by=by,
            body=drafting.compose_report(incident, edition),
            status=IncidentStatus.RESOLVED,
            audience=Audience.INTERNAL if edition == Edition.INTERNAL else Audience.PUBLIC,
            kind=UpdateKind.REPORT,
        )
        Report.objects.create(incident=incident, edition=edition, update=update)
    return list(reports_of(incident))


@transaction.atomic
def redraft_report(*, report: Report, by, version: int) -> Report:
    """Write the edition again from the record as it stands now, replacing the draft's words
    (and so withdrawing any approval of them)."""
    updates.edit_update(
        update=report.update,
        by=by,
        version=version,
        body=drafting.compose_report(report.incident, report.edition),
    )
    report.update.refresh_from_db()
    return report


@transaction.atomic
def publish_report(
    *, report: Report, by, now: datetime | None = None, notify: bool = True
) -> Update:
    """Publish an approved external edition through the one publish path."""
    if not report.is_external:
        raise ClearlineError(
            "The internal report is for the team: it is exported, never published.",
            code="internal_report",
        )
    Incident.objects.select_for_update().get(pk=report.incident_id)
    published = published_external(report.incident)
    if published is not None and published.pk != report.pk:
        raise Conflict(
            f"The {published.get_edition_display().lower()} is already published: customers "
            "get one version of the report.",
            code="report_already_published",
        )
    if report.update.state == UpdateState.PUBLISHED:
        raise ClearlineError("This report is already published.", code="already_published")
    return updates.publish_update(update=report.update, by=by, now=now, notify=notify)
