"""Writing, editing, approving and publishing updates, and the resolution.

Every form saves a draft; publishing goes through `publish_update`, which publishes only text
approved as it stands. Approvers and the incident's commander approve, or approve and publish
in one step. The checks run as the writer types (`check_draft`, a partial for htmx) and on
every page load, so they show without JavaScript too.
"""

from datetime import datetime
from functools import cache

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from clearline.checks import check
from clearline.core import limits
from clearline.core.errors import Conflict, PermissionDenied
from clearline.desk import selectors
from clearline.desk.access import attempt, desk_view, posted
from clearline.desk.forms import (
    DraftForm,
    IncidentReportForm,
    ReportDraftForm,
    ResolutionForm,
    UpdateForm,
)
from clearline.incidents.models import Incident, IncidentStatus
from clearline.updates import checking, services
from clearline.updates.models import Audience, Update, UpdateKind

DRAFT = "draft"
APPROVE = "approve"
PUBLISH = "publish"
APPROVE_AND_PUBLISH = "approve-publish"
WARM_TEXT = (
    "Since 09:10 UTC some customers cannot sign in; we apologize for any inconvenience. "
    "Our platform team is investigating. Next update in 30 minutes."
)
CHECK_ATTRS = {
    "hx-trigger": "input changed delay:300ms",
    "hx-include": "closest form",
    "hx-target": "#checks",
    "hx-swap": "outerHTML",
    "hx-sync": "closest form:replace",
}


def checks_context(
    incident: Incident,
    text: str,
    status: str | None,
    update_kind: str = UpdateKind.UPDATE,
    next_update_due: datetime | None = None,
) -> dict:
    """What `desk/_checks.html` shows for `text`: the report, or none before anything is written,
    or why the text is not checked (`refusal`: too long, or characters no page may show).
    A report after the resolution is checked as that kind of report; the text's next update
    time is held to `next_update_due`, the one the form promises."""
    if update_kind not in UpdateKind.values:
        update_kind = UpdateKind.UPDATE
    if update_kind != UpdateKind.UPDATE:
        status = IncidentStatus.RESOLVED
    if status not in IncidentStatus.values:
        status = incident.status
    text = text or ""
    refusal = limits.problem(text, services.body_limit(update_kind))
    if refusal:
        return {"report": None, "text": "", "refusal": refusal}
    if not text.strip():
        _warm_checks()
        return {"report": None, "text": text}
    kind = checking.kind_for(incident, status, update_kind)
    report = checking.check_draft(
        incident=incident, body=text, status=status, kind=kind, next_update_due=next_update_due
    )
    return {"report": report, "text": text}


@cache
def _warm_checks() -> None:
    """The first checks in a process build the phrase lists and the time grammar (a few hundred
    ms): that happens when an empty editor loads, not after the writer's first words."""
    check(WARM_TEXT, kind="first", config=checking.config())


def _live(form: UpdateForm, incident: Incident) -> None:
    """Re-check the text as it is typed, and when the status changes (it can change the rules)."""
    url = reverse("desk:check-draft", args=[incident.pk])
    form.fields["body"].widget.attrs.update({**CHECK_ATTRS, "hx-post": url})
    for name in ("status", "next_update_due"):
        if name in form.fields:
            form.fields[name].widget.attrs.update(
                {**CHECK_ATTRS, "hx-trigger": "change", "hx-post": url}
            )


def typed_due(value) -> datetime | None:
    """The next update time as typed in the form's picker (the organisation's zone), or None
    while it is empty or not a time yet. (An unbound form shows its initial time as a wall
    clock time in that zone, too.)"""
    try:
        return _DUE.clean(value)
    except ValidationError:
        return None


_DUE = forms.DateTimeField(required=False)


def _typed(form: UpdateForm, field: str, default=None):
    if field not in form.fields:  # a report's form has no status: it stays resolved
        return default
    value = form[field].value()
    return value if value not in (None, "") else default


@desk_view("updates.add_update")
@require_POST
def check_draft(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The checks for the text being written: the partial the editor swaps in as people type."""
    incident = get_object_or_404(Incident, pk=incident_id)
    resolving = request.POST.get("resolving")
    status = IncidentStatus.RESOLVED if resolving else request.POST.get("status")
    text, update_kind = request.POST.get("body", ""), request.POST.get("kind", UpdateKind.UPDATE)
    due = None if resolving else typed_due(request.POST.get("next_update_due"))
    context = checks_context(incident, text, status, update_kind, due)
    return render(request, "desk/_checks.html", context, status=_status(context))


def _status(context: dict, form: UpdateForm | None = None) -> int:
    """A refused text answers 422 (409 when someone else saved first); the page or panel still
    shows, with the writer's text kept."""
    refusal = getattr(form, "refusal", None)
    if isinstance(refusal, PermissionDenied):
        return 403
    if isinstance(refusal, Conflict):
        return 409
    refused = context.get("refusal") or (form is not None and form.is_bound and form.errors)
    return 422 if refused else 200


def _done(request: HttpRequest, update: Update) -> HttpResponse:
    if update.is_published:
        messages.success(request, "Update published.")
    else:
        messages.success(request, "Draft saved. It is not visible to customers yet.")
    return redirect("desk:incident", incident_id=update.incident_id)


def _write(request: HttpRequest, incident: Incident, form: UpdateForm, heading: str, status=None):
    if request.method == "POST":
        action = request.POST.get("action")

        def write() -> Update:
            changes = form.changes()
            if action in (PUBLISH, APPROVE_AND_PUBLISH):
                return services.publish_new_update(
                    incident=incident,
                    by=request.user,
                    approve=action == APPROVE_AND_PUBLISH,
                    override_reason=form.cleaned_data["override_reason"],
                    notify=form.cleaned_data["notify"],
                    **changes,
                )
            return services.draft_update(incident=incident, by=request.user, **changes)

        update = attempt(form, write)
        if update:
            return _done(request, update)
    _live(form, incident)
    context = {
        "form": form,
        "incident": incident,
        "heading": heading,
        "resolving": status == IncidentStatus.RESOLVED,
        # The audience is chosen on this form: the box says it is for public updates.
        "offers_notify": incident.is_public,
        **_approval(request.user, incident, None),
        **checks_context(
            incident,
            _typed(form, "body", ""),
            status or _typed(form, "status"),
            next_update_due=typed_due(_typed(form, "next_update_due")),
        ),
    }
    return render(request, "desk/update_form.html", context, status=_status(context, form))


@desk_view("updates.add_update")
@require_http_methods(["GET", "HEAD", "POST"])
def write_update(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(selectors.incident_record(), pk=incident_id)
    initial = {
        "status": incident.status,
        "next_update_due": services.default_next_update_due(incident),
    }
    form = UpdateForm(posted(request), initial=initial)
    return _write(request, incident, form, "Write an update")


@desk_view("updates.add_update")
@require_http_methods(["GET", "HEAD", "POST"])
def resolve(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(selectors.incident_record(), pk=incident_id)
    form = ResolutionForm(posted(request))
    return _write(request, incident, form, "Resolve the incident", IncidentStatus.RESOLVED)


@desk_view("updates.change_update")
@require_http_methods(["GET", "HEAD", "POST"])
def edit_update(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("incident", "approver"), pk=update_id)
    form_class = (
        IncidentReportForm
        if update.kind == UpdateKind.REPORT
        else ReportDraftForm
        if update.is_report
        else DraftForm
    )
    if request.method != "POST":
        if update.is_published:
            messages.info(request, "That update is published; write a new one instead.")
            return redirect("desk:incident", incident_id=update.incident_id)
        fields = ["status", "body", "next_update_due", "version"]
        initial = {name: getattr(update, name) for name in fields}
        form = form_class(initial={**initial, "content_hash": services.content_hash_of(update)})
        return _draft_page(request, update, form)

    # A copy, so a conflict can hand the editor the current version along with their own text.
    form = form_class(request.POST.copy())
    action = request.POST.get("action")

    def save() -> Update:
        changes = form.changes_to(update)
        reason = form.cleaned_data["override_reason"]
        if action == APPROVE:
            return services.approve_edited_update(
                update=update,
                by=request.user,
                content_hash=form.cleaned_data["content_hash"],
                override_reason=reason,
                **changes,
            )
        if action in (PUBLISH, APPROVE_AND_PUBLISH):
            return services.publish_edited_update(
                update=update,
                by=request.user,
                approve=action == APPROVE_AND_PUBLISH,
                override_reason=reason,
                notify=form.cleaned_data["notify"],
                **changes,
            )
        return services.edit_update(update=update, by=request.user, **changes)

    saved = attempt(form, save)
    if saved and action == APPROVE:
        messages.success(request, "Approved. The text can be published as it stands.")
        return redirect("desk:edit-update", update_id=update.pk)
    if saved:
        return _done(request, saved)
    theirs = None
    if isinstance(form.refusal, Conflict):
        theirs = Update.objects.get(pk=update.pk)
        form.data["version"] = str(theirs.version)
        form.data["content_hash"] = services.content_hash_of(theirs)
    return _draft_page(request, Update.objects.get(pk=update.pk), form, theirs=theirs)


def _draft_page(request, update: Update, form: DraftForm, theirs: Update | None = None):
    _live(form, update.incident)
    text = _typed(form, "body", "")
    context = {
        "heading": f"Edit the {update.get_kind_display().lower()}"
        if update.is_report
        else "Edit a draft",
        "form": form,
        "update": update,
        "incident": update.incident,
        "theirs": theirs,
        "approval_holds": services.approval_holds(update),
        "needs_approval": services.needs_approval(update),
        "offers_notify": update.incident.is_public and update.audience == Audience.PUBLIC,
        **_approval(request.user, update.incident, update),
        **checks_context(
            update.incident,
            text,
            _typed(form, "status", update.status),
            update.kind,
            typed_due(_typed(form, "next_update_due")),
        ),
    }
    return render(request, "desk/update_form.html", context, status=_status(context, form))


def _approval(user, incident: Incident, update: Update | None) -> dict:
    """Whether to offer Approve; to an approver or commander kept from it, why not."""
    refusal = services.approval_refusal(user, incident, update)
    own_text = refusal if services.may_approve(user, incident) else ""
    return {"may_approve": not refusal, "approval_refusal": own_text}
