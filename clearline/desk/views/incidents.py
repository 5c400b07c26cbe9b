"""The incident list, opening an incident, its page and its record."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from clearline.core.permissions import CHOOSE_COMMANDER
from clearline.desk import selectors
from clearline.desk.access import attempt, desk_view, posted
from clearline.desk.forms import FactForm, IncidentForm, TimelineEntryForm
from clearline.incidents import services
from clearline.incidents.models import Component, Incident
from clearline.reviews import preliminary
from clearline.reviews import selectors as reviews
from clearline.reviews.actions import selectors as actions
from clearline.reviews.actions.forms import ActionItemForm, attach_item_forms
from clearline.reviews.forms import NotNeededForm

RESOLVED_PER_PAGE = 20


@desk_view("incidents.view_incident")
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    on = actions.today(zone=request.org.zone)
    resolved = Paginator(selectors.resolved_incidents(), RESOLVED_PER_PAGE)
    return render(
        request,
        "desk/dashboard.html",
        {
            "active": selectors.active_incidents(),
            "resolved": resolved.get_page(request.GET.get("page")),
            "overdue_actions": actions.listed(actions.overdue_action_items(on=on), on=on),
            "overdue_plan": reviews.overdue_items(),
        },
    )


def _record_form(request: HttpRequest, **kwargs) -> IncidentForm:
    return IncidentForm(posted(request), components=list(Component.objects.all()), **kwargs)


@desk_view("incidents.add_incident")
@require_http_methods(["GET", "HEAD", "POST"])
def open_incident(request: HttpRequest) -> HttpResponse:
    initial = {"started_at": timezone.now(), "comms_owner": request.user}
    form = _record_form(request, initial={**initial, "segment_0_kind": "everyone"})
    if request.method == "POST":
        incident = attempt(form, lambda: services.open_incident(by=request.user, **form.changes()))
        if incident:
            messages.success(request, "Incident opened. Compose the first update now.")
            return redirect("desk:compose-first", incident_id=incident.pk)
    return render(request, "desk/incident_form.html", {"form": form})


@desk_view("incidents.change_incident")
@require_http_methods(["GET", "HEAD", "POST"])
def edit_incident(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(selectors.incident_record(), pk=incident_id)
    form = _record_form(
        request,
        initial=IncidentForm.initial_for(incident),
        may_choose_commander=request.user.has_perm(CHOOSE_COMMANDER),
    )
    if request.method == "POST":
        edit = services.edit_incident
        saved = attempt(form, lambda: edit(incident=incident, by=request.user, **form.changes()))
        if saved:
            messages.success(request, "Incident record saved.")
            return redirect("desk:incident", incident_id=incident.pk)
    return render(request, "desk/incident_form.html", {"form": form, "incident": incident})


def incident_context(incident: Incident, **forms) -> dict:
    """What the incident page shows; the ledger and action-item views pass their bound forms in
    on a refusal."""
    on = actions.today()
    items = actions.listed(actions.action_items(incident=incident, on=on), on=on)
    attach_item_forms(
        items,
        refused=forms.pop("refused", None),
        close_form=forms.pop("close_form", None),
        edit_form=forms.pop("edit_form", None),
    )
    return {
        "incident": incident,
        "timeline": selectors.timeline_of(incident),
        "ledger": selectors.ledger_of(incident),
        "updates": selectors.updates_of(incident),
        "timeline_form": TimelineEntryForm(),
        "ledger_form": FactForm(),
        "actions": items,
        "action_form": ActionItemForm(),
        "preliminary": preliminary.preliminary_report(incident),
        "plan": reviews.plan_of(incident),
        "blank_not_needed_form": NotNeededForm(),
        **forms,
    }


@desk_view("incidents.view_incident")
@require_safe
def incident_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(selectors.incident_record(), pk=incident_id)
    return render(request, "desk/incident.html", incident_context(incident))
