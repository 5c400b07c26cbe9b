"""Writing, editing and publishing updates, and the resolution.

Every form has two buttons: Save draft and Publish. Publishing goes through `publish_update`.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from clearline.core.errors import Conflict
from clearline.desk import selectors
from clearline.desk.access import attempt, desk_view, posted
from clearline.desk.forms import DraftForm, ResolutionForm, UpdateForm
from clearline.incidents.models import Incident
from clearline.updates import services
from clearline.updates.models import Update, UpdateState

PUBLISH = "publish"


def _done(request: HttpRequest, update: Update) -> HttpResponse:
    if update.is_published:
        messages.success(request, "Update published.")
    else:
        messages.success(request, "Draft saved. It is not visible to customers yet.")
    return redirect("desk:incident", incident_id=update.incident_id)


def _write(request: HttpRequest, incident: Incident, form: UpdateForm, heading: str):
    if request.method == "POST":
        write = (
            services.publish_new_update
            if request.POST.get("action") == PUBLISH
            else services.draft_update
        )
        update = attempt(
            form, lambda: write(incident=incident, by=request.user, **form.cleaned_data)
        )
        if update:
            return _done(request, update)
    context = {"form": form, "incident": incident, "heading": heading}
    return render(request, "desk/update_form.html", context)


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
    return _write(request, incident, form, "Resolve the incident")


@desk_view("updates.change_update")
@require_http_methods(["GET", "HEAD", "POST"])
def edit_update(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("incident"), pk=update_id)
    if request.method != "POST":
        if update.is_published:
            messages.info(request, "That update is published; write a new one instead.")
            return redirect("desk:incident", incident_id=update.incident_id)
        fields = ["status", "body", "next_update_due", "version"]
        form = DraftForm(initial={name: getattr(update, name) for name in fields})
        return _draft_page(request, update, form)

    # A copy, so a conflict can hand the editor the current version along with their own text.
    form = DraftForm(request.POST.copy())
    save = (
        services.publish_edited_update
        if request.POST.get("action") == PUBLISH
        else services.edit_update
    )
    saved = attempt(form, lambda: save(update=update, by=request.user, **form.cleaned_data))
    if saved:
        return _done(request, saved)
    theirs = None
    if isinstance(form.refusal, Conflict):
        theirs = Update.objects.get(pk=update.pk)
        form.data["version"] = str(theirs.version)
    return _draft_page(request, update, form, theirs=theirs)


def _draft_page(request, update: Update, form: DraftForm, theirs: Update | None = None):
    return render(
        request,
        "desk/update_form.html",
        {
            "heading": "Edit a draft",
            "form": form,
            "update": update,
            "incident": update.incident,
            "theirs": theirs,
            "approved": update.state == UpdateState.APPROVED,
        },
    )
