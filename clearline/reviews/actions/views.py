"""Action items on the incident's desk page: add one, change it, start it, close it with
evidence.

Plain form posts that work without JavaScript; with htmx the answer is the section itself.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clearline.desk import selectors as desk_selectors
from clearline.desk.access import attempt, desk_view, is_htmx
from clearline.desk.views.incidents import incident_context
from clearline.incidents.models import Incident
from clearline.reviews.actions import rules, services
from clearline.reviews.actions.forms import (
    ActionItemForm,
    StartActionForm,
    closing_form,
    editing_form,
)
from clearline.reviews.models import ActionItem


def _respond(request: HttpRequest, incident: Incident, saved, note: str, **forms) -> HttpResponse:
    """htmx gets the section back; a plain post the page, at the section or with the form."""
    if saved and not is_htmx(request):
        messages.success(request, note)
        return redirect(reverse("desk:incident", args=[incident.pk]) + "#actions")
    context = incident_context(incident, **({} if saved else forms))
    template = "reviews/_actions.html" if is_htmx(request) else "desk/incident.html"
    # htmx swaps in a 200 only; a plain post that was refused says so with its status.
    return render(request, template, context, status=200 if saved or is_htmx(request) else 400)


def _incident(incident_id: int) -> Incident:
    return get_object_or_404(desk_selectors.incident_record(), pk=incident_id)


@desk_view("reviews.add_actionitem")
@require_POST
def add_action_item(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(incident_id)
    form = ActionItemForm(request.POST)
    create = services.create_action_item
    saved = attempt(form, lambda: create(incident=incident, by=request.user, **form.cleaned_data))
    return _respond(request, incident, saved, "Action item added.", action_form=form)


@desk_view("reviews.change_actionitem")
@require_POST
def close_action_item(request: HttpRequest, action_id: int) -> HttpResponse:
    item = get_object_or_404(ActionItem, pk=action_id)
    form = closing_form(item, request.POST)
    saved = attempt(
        form, lambda: services.close_action_item(item=item, by=request.user, **form.cleaned_data)
    )
    incident = _incident(item.incident_id)
    return _respond(request, incident, saved, "Action item closed.", close_form=form, refused=item)


@desk_view("reviews.change_actionitem")
@require_POST
def edit_action_item(request: HttpRequest, action_id: int) -> HttpResponse:
    """The outcome, owner, due date and category as the form holds them. A box left empty is
    refused as CL151 (the service would read it as "keep"); a vague outcome as CL153 unless a
    reason is given; a reason left empty keeps the one given before for unchanged words."""
    item = get_object_or_404(ActionItem, pk=action_id)
    if item.is_closed:
        # Its page shows no edit form any more, so the refusal goes where it is read.
        messages.error(request, services.CLOSED)
        page = reverse("desk:incident", args=[item.incident_id]) + f"#action-{item.public_id}"
        if is_htmx(request):
            return HttpResponse(status=409, headers={"HX-Redirect": page})
        return redirect(page)
    form = editing_form(item, request.POST)

    def edit():
        data = form.cleaned_data
        rules.require_complete(
            outcome=data["outcome"], owner=data["owner"], due_date=data["due_date"]
        )
        return services.edit_action_item(
            item=item,
            by=request.user,
            outcome=data["outcome"],
            owner=data["owner"],
            due_date=data["due_date"],
            category=data["category"],
            override_reason=data["override_reason"] or None,
        )

    saved = attempt(form, edit)
    incident = _incident(item.incident_id)
    return _respond(request, incident, saved, "Action item saved.", edit_form=form, refused=item)


@desk_view("reviews.change_actionitem")
@require_POST
def set_action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    item = get_object_or_404(ActionItem, pk=action_id)
    form = StartActionForm(request.POST)
    saved = attempt(
        form, lambda: services.edit_action_item(item=item, by=request.user, **form.cleaned_data)
    )
    note = "Action item marked in progress." if item.status == "open" else "Action item reopened."
    return _respond(request, _incident(item.incident_id), saved, note, status_form=form)
