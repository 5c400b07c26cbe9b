"""Timeline entries and the facts ledger, added and settled inline.

With htmx the response is the section that changed; without it, the incident page.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clearline.desk import selectors
from clearline.desk.access import attempt, desk_view, is_htmx
from clearline.desk.forms import FactForm, SettleFactForm, TimelineEntryForm
from clearline.desk.views.incidents import incident_context
from clearline.incidents import services
from clearline.incidents.models import Fact, Incident


def _respond(request: HttpRequest, incident: Incident, section: str, saved, **forms):
    """htmx gets the changed section back; a plain form post gets the incident page."""
    if not is_htmx(request):
        if saved:
            return redirect(reverse("desk:incident", args=[incident.pk]) + f"#{section}")
        return render(request, "desk/incident.html", incident_context(incident, **forms))
    context = incident_context(incident) if saved else incident_context(incident, **forms)
    return render(request, f"desk/_{section}.html", context)


def _add(request: HttpRequest, incident_id: int, section: str, form_class, add) -> HttpResponse:
    incident = get_object_or_404(selectors.incident_record(), pk=incident_id)
    form = form_class(request.POST)
    saved = attempt(form, lambda: add(incident=incident, by=request.user, **form.cleaned_data))
    return _respond(request, incident, section, saved, **{f"{section}_form": form})


@desk_view("incidents.add_timelineentry")
@require_POST
def add_timeline_entry(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _add(request, incident_id, "timeline", TimelineEntryForm, services.add_timeline_entry)


@desk_view("incidents.add_fact")
@require_POST
def add_fact(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _add(request, incident_id, "ledger", FactForm, services.add_fact)


@desk_view("incidents.change_fact")
@require_POST
def settle_fact(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = get_object_or_404(Fact, pk=fact_id)
    incident = get_object_or_404(selectors.incident_record(), pk=fact.incident_id)
    form = SettleFactForm(request.POST)
    saved = attempt(
        form, lambda: services.settle_fact(fact=fact, by=request.user, **form.cleaned_data)
    )
    return _respond(request, incident, "ledger", saved, settle_form=form, settling=fact)
