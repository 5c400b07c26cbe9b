"""The desk's after-incident pages: the preliminary report drafted on demand, plan steps closed.

The report is edited, checked, approved and published in the update editor (it is an update).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clearline.core.errors import ClearlineError
from clearline.desk import selectors as desk
from clearline.desk.access import attempt, desk_view
from clearline.desk.views.incidents import incident_context
from clearline.incidents.models import Incident
from clearline.reviews import plan, preliminary
from clearline.reviews.forms import NotNeededForm
from clearline.reviews.models import PlanItem


@desk_view("reviews.change_planitem")
@require_POST
def mark_not_needed(request: HttpRequest, item_id: str) -> HttpResponse:
    item = get_object_or_404(PlanItem.objects.select_related("incident"), public_id=item_id)
    form = NotNeededForm(request.POST)
    closed = attempt(
        form,
        lambda: plan.mark_not_needed(
            item=item, by=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    if closed:
        messages.success(request, f"{closed.get_step_display()} marked not needed.")
        return redirect(reverse("desk:incident", args=[item.incident_id]) + f"#plan-{item_id}")
    incident = get_object_or_404(desk.incident_record(), pk=item.incident_id)
    context = incident_context(incident, not_needed_form=form, not_needed_item=item.pk)
    return render(request, "desk/incident.html", context, status=422)


@desk_view("updates.add_update")
@require_POST
def draft_preliminary(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    try:
        report = preliminary.draft_preliminary_report(incident=incident, by=request.user)
    except ClearlineError as refusal:
        messages.error(request, refusal.message)
        return redirect("desk:incident", incident_id=incident.pk)
    messages.success(request, "Preliminary report drafted from the record. Check it, then approve.")
    return redirect("desk:edit-update", update_id=report.pk)
