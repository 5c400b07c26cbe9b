"""Private API for the incident reports: list and draft an incident's reports, publish the
customer edition, export any edition. A report is an update of kind `report`: its text is
edited with PATCH /api/updates/{update_id} and approved with POST
/api/updates/{update_id}/approve, as any update. Viewers read and export; responders draft;
approvers (or the incident's commander) approve; publishers publish."""

from typing import Literal

from django.http import Http404, HttpResponse
from ninja import Field, Router, Schema, Status

from clearline.accounts.api import requires
from clearline.core.api import Timestamp, reads, writes
from clearline.incidents.api import incident_or_404
from clearline.reviews.reports import drafting, exports, selectors, services
from clearline.reviews.reports.models import Edition, Report
from clearline.updates import checking
from clearline.updates.services import content_hash_of

router = Router(tags=["reports"])


class IncidentReportOut(Schema):
    id: str = Field(description="The report's id, for its exports.")
    incident: str
    edition: Edition
    edition_label: str
    public: bool = Field(description="Written for customers; the internal edition never is.")
    update_id: str = Field(description="The update that carries the text: edit and approve it.")
    state: str = Field(description="draft, approved or published")
    version: int
    content_hash: str = Field(description="What an approval of this exact text names.")
    body: str = Field(description="The report as Markdown.")
    sections: list[str] = Field(description="The section headings the edition carries.")
    check_errors: int
    check_warnings: int
    published_at: Timestamp | None
    pdf_url: str | None = Field(description="The public PDF, once this edition is published.")


class ReportPublishIn(Schema):
    notify: bool = Field(True, description="Tell subscribers; false publishes quietly.")


def report_out(report: Report) -> dict:
    update = report.update
    found = checking.check_draft(
        incident=report.incident, body=update.body, status=update.status, kind="report"
    ).findings
    published = update.is_published and report.is_external
    return {
        "id": report.public_id,
        "incident": report.incident.public_id,
        "edition": report.edition,
        "edition_label": report.get_edition_display(),
        "public": report.is_external,
        "update_id": update.public_id,
        "state": update.state,
        "version": update.version,
        "content_hash": content_hash_of(update),
        "body": update.body,
        "sections": drafting.headings(report.edition),
        "check_errors": sum(f.severity == "error" for f in found),
        "check_warnings": sum(f.severity == "warning" for f in found),
        "published_at": update.published_at,
        "pdf_url": f"/incidents/{report.incident.public_id}/report.pdf" if published else None,
    }


def _report(report_id: str) -> Report:
    report = selectors.report(report_id)
    if report is None:
        raise Http404(f"No report has the id {report_id!r}.")
    return report


@router.get(
    "/incidents/{incident_id}/reports",
    response=reads(list[IncidentReportOut]),
    auth=requires("updates.view_update"),
)
def list_reports(request, incident_id: str):
    """The incident's reports, internal first, each with its text and what the checks find."""
    incident = incident_or_404(incident_id)
    return [report_out(r) for r in selectors.reports_of(incident)]


@router.post(
    "/incidents/{incident_id}/reports",
    response=writes(list[IncidentReportOut], 201),
    auth=requires("updates.add_update"),
)
def draft_reports(request, incident_id: str):
    """Draft the editions not drafted yet from the record (timeline, confirmed facts, review,
    action items). Drafts already there are kept as people left them. 409 before the
    resolution."""
    incident = incident_or_404(incident_id)
    reports = services.draft_reports(incident=incident, by=request.auth)
    return Status(201, [report_out(r) for r in reports])


@router.post(
    "/reports/{report_id}/publish",
    response=writes(IncidentReportOut),
    auth=requires("updates.publish_update"),
)
def publish_report(request, report_id: str, payload: ReportPublishIn | None = None):
    """Publish an approved customer edition through the one publish path: the incident page
    (with its PDF), feeds, Statuspage JSON (`postmortem_body`) and subscribers. The internal
    edition, or a second customer edition, is refused."""
    report = _report(report_id)
    notify = payload.notify if payload is not None else True
    services.publish_report(report=report, by=request.auth, notify=notify)
    return report_out(_report(report_id))


FILE_TYPES = {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "text/markdown": {"schema": {"type": "string"}},
    "text/html": {"schema": {"type": "string"}},
}


@router.get(
    "/reports/{report_id}/export",
    response={code: schema for code, schema in reads(None).items() if code != 200},
    auth=requires("updates.view_update"),
    openapi_extra={"responses": {200: {"description": "The file", "content": FILE_TYPES}}},
)
def export_report(request, report_id: str, format: Literal["md", "html", "pdf"] = "pdf"):  # noqa: A002
    """The report as a file: Markdown, HTML or PDF, with the organisation's name and logo."""
    report = _report(report_id)
    export = exports.export_report(report, format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
