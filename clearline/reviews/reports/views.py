"""The desk's reports page, the exports, and the public PDF of the published external report.

Editing, approving and publishing happen in the update editor (a report is an update); the
editor's Publish goes through the one publish path, which refuses the internal edition.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from clearline.core.errors import ClearlineError
from clearline.desk.access import desk_view
from clearline.incidents.models import Incident
from clearline.reviews.reports import drafting, exports, selectors, services
from clearline.updates import checking


def _download(export: exports.Export, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    how = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{how}; filename="{export.filename}"'
    return response


@desk_view("updates.view_update")
@require_safe
def reports_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    rows = []
    for report in selectors.reports_of(incident):
        found = checking.check_draft(
            incident=incident, body=report.update.body, status="resolved", kind="report"
        ).findings
        rows.append(
            {
                "report": report,
                "update": report.update,
                "errors": sum(f.severity == "error" for f in found),
                "warnings": sum(f.severity == "warning" for f in found),
            }
        )
    return render(
        request,
        "reports/reports.html",
        {
            "incident": incident,
            "rows": rows,
            "headings": drafting.headings("plain"),
            "published": selectors.published_external(incident),
        },
    )


@desk_view("updates.add_update")
@require_POST
def draft(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    try:
        services.draft_reports(incident=incident, by=request.user)
    except ClearlineError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Reports drafted from the record. Check each, then approve.")
    return redirect("reports:reports", incident_id=incident.pk)


@desk_view("updates.view_update")
@require_safe
def export(request: HttpRequest, report_id: str, fmt: str) -> HttpResponse:
    report = selectors.report(report_id)
    if report is None:
        raise Http404("No such report.")
    return _download(exports.export_report(report, fmt), inline=fmt != "md")


@require_safe
def public_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The published external report as PDF, for anyone: only what the public selector gives."""
    update = selectors.published_report(public_id)
    if update is None:
        raise Http404("No published report for this incident.")
    response = _download(exports.export(update, update.report.edition, "pdf"), inline=True)
    response["Cache-Control"] = "public, max-age=300"
    return response
