"""Composing an update from its facts: a form per kind, a live preview, and "Draft it".

The draft lands in the editor (`desk:edit-update`), where the writer finishes the text.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from clearline.core.clock import clock_label
from clearline.core.errors import ClearlineError
from clearline.desk import selectors
from clearline.desk.access import attempt, desk_view, posted
from clearline.desk.compose_forms import FORMS, HEADINGS, ComposeForm
from clearline.incidents.models import Incident
from clearline.updates import compose
from clearline.updates.checking import check_draft

DRAFT = "draft"


def _form(request: HttpRequest, incident: Incident, kind: str) -> ComposeForm:
    form_class = FORMS[kind]
    return form_class(posted(request), initial=compose.initial_fields(incident, form_class.kind))


def preview_of(request: HttpRequest, incident: Incident, form: ComposeForm) -> dict:
    """The composed text and its check findings, or what is missing before there can be one."""
    if form.is_bound:
        if not form.is_valid():
            missing = [(_label(form, name), errors[0]) for name, errors in form.errors.items()]
            return {"missing": missing}
        fields = form.cleaned_data
    else:
        fields = {name: form[name].initial for name in form.fields}
    try:
        composed = compose.compose(incident=incident, kind=form.kind, fields=fields)
    except ClearlineError as error:
        return {"missing": [(_label(form, error.field), error.message)]}
    report = check_draft(
        incident=incident,
        body=composed.text,
        status=composed.status,
        next_update_due=composed.next_update_due,
    )
    due = composed.next_update_due
    return {
        "composed": composed,
        "due": clock_label(due, request.org.zone) if due else None,
        "report": report,
    }


def _label(form: ComposeForm, name: str | None) -> str | None:
    field = form.fields.get(name or "")
    return str(field.label) if field else None


@desk_view("updates.add_update")
@require_http_methods(["GET", "HEAD", "POST"])
def compose_update(request: HttpRequest, incident_id: int, kind: str) -> HttpResponse:
    incident = get_object_or_404(selectors.incident_record(), pk=incident_id)
    form = _form(request, incident, kind)
    if request.method == "POST" and request.POST.get("intent") == DRAFT:
        update = attempt(
            form,
            lambda: compose.draft_composed(
                incident=incident, by=request.user, kind=form.kind, fields=form.cleaned_data
            ),
        )
        if update:
            messages.success(request, "Draft written. Edit the text, then save or publish it.")
            return redirect("desk:edit-update", update_id=update.pk)
    context = {
        "incident": incident,
        "form": form,
        "preview_url": reverse(f"desk:compose-{kind}-preview", args=[incident.pk]),
        "heading": HEADINGS[kind],
        "preview": preview_of(request, incident, form),
    }
    return render(request, "desk/compose.html", context)


@desk_view("updates.add_update")
@require_POST
def compose_preview(request: HttpRequest, incident_id: int, kind: str) -> HttpResponse:
    """The preview alone, for htmx as the writer types."""
    incident = get_object_or_404(selectors.incident_record(), pk=incident_id)
    form = _form(request, incident, kind)
    context = {"preview": preview_of(request, incident, form)}
    return render(request, "desk/_compose_preview.html", context)
