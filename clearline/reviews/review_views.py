"""The review page in the desk: the schedule, the room, the write-up and its checks.

Every part works as a plain form post; the checks panel alone updates as people type (htmx),
and shows the saved write-up's findings on every page load.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from clearline.core import limits
from clearline.core.errors import ClearlineError, Conflict
from clearline.desk import selectors as desk
from clearline.desk.access import attempt, desk_view
from clearline.desk.views.updates import CHECK_ATTRS
from clearline.incidents.models import Incident, TimelineEntry
from clearline.reviews import invitation, writeup
from clearline.reviews import review as services
from clearline.reviews import review_selectors as selectors
from clearline.reviews.models import Attendee, FactorKind, Review
from clearline.reviews.review_forms import AttendeeForm, HeldForm, ScheduleForm, WriteupForm

# The longest write-up the panel checks as people type: every section, why and factor full.
LONGEST_CHECKED = 60_000


def _incident(incident_id: int) -> Incident:
    return get_object_or_404(desk.incident_record(), pk=incident_id)


def _review_or_404(incident: Incident) -> Review:
    review = selectors.review_of(incident)
    if review is None:
        raise Http404("This incident has no review yet.")
    return review


def _page_url(incident_id: int, anchor: str = "") -> str:
    return reverse("review:review", args=[incident_id]) + (f"#{anchor}" if anchor else "")


def _writeup_form(review: Review, request: HttpRequest, data=None) -> WriteupForm:
    entries = selectors.timeline_entries(review.incident)
    form = WriteupForm(
        data,
        initial=WriteupForm.initial_for(review),
        review=review,
        entries=entries,
        zone=request.org.zone,
    )
    url = reverse("review:check", args=[review.incident_id])
    for name, field in form.fields.items():
        if name != "version":
            trigger = "change" if name.endswith(("_entry", "_kind")) else CHECK_ATTRS["hx-trigger"]
            field.widget.attrs.update({**CHECK_ATTRS, "hx-trigger": trigger, "hx-post": url})
    return form


def _typed_document(form: WriteupForm, review: Review, zone) -> str:
    """The write-up as typed in the form, saved or not, as one text."""
    typed = form.typed()
    entries = {str(e.pk): e for e in TimelineEntry.objects.filter(incident_id=review.incident_id)}
    kinds = dict(FactorKind.choices)
    whys = [writeup.WhyText(q, a, entries.get(e)) for q, a, e in typed["whys"]]
    factors = [
        writeup.FactorText(kinds.get(k, k), t, entries.get(e)) for k, t, e in typed["factors"]
    ]
    return writeup.document(typed["sections"], whys, factors, zone=zone)


def checks_context(review: Review, text: str) -> dict:
    """What desk/_checks.html shows for the write-up `text`."""
    if len(text) > LONGEST_CHECKED:
        return {"report": None, "text": "", "refusal": limits.too_long(LONGEST_CHECKED, len(text))}
    if not text.strip():
        return {"report": None, "text": text, "subject": "write-up"}
    return {"report": writeup.check(review.incident, text), "text": text, "subject": "write-up"}


def _page(request: HttpRequest, review: Review, *, status: int = 200, **forms) -> HttpResponse:
    zone = request.org.zone
    writeup_form = forms.pop("writeup_form", None) or _writeup_form(review, request)
    if writeup_form.is_bound:
        text = _typed_document(writeup_form, review, zone)
    else:
        text = selectors.document(review, zone)
    plan = selectors.schedule_of(review, request.org)
    context = {
        "incident": review.incident,
        "review": review,
        "plan": plan,
        "warnings": selectors.warnings(review, plan),
        "liaison_missing": selectors.liaison_missing(review),
        "guests": invitation.guests(review),
        "invitations": selectors.invitations(review),
        "writeup_form": writeup_form,
        "schedule_form": forms.pop("schedule_form", None)
        or ScheduleForm(initial={"starts_at": review.starts_at, "minutes": review.minutes}),
        "attendee_form": forms.pop("attendee_form", None) or AttendeeForm(),
        "held_form": forms.pop("held_form", None) or HeldForm(),
        **checks_context(review, text),
    }
    return render(request, "reviews/review.html", context, status=status)


@desk_view("reviews.view_review")
@require_safe
def review_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(incident_id)
    review = selectors.review_of(incident)
    if review is None:
        return render(request, "reviews/no_review.html", {"incident": incident})
    return _page(request, review)


@desk_view("reviews.add_review")
@require_POST
def propose(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(incident_id)
    try:
        services.propose_review(incident=incident, by=request.user)
    except ClearlineError as refusal:
        messages.error(request, refusal.message)
        return redirect("desk:incident", incident_id=incident.pk)
    messages.success(request, "Review proposed. Check the time and the room, then invite them.")
    return redirect(_page_url(incident.pk))


def _act(request, review: Review, form, act, *, saved: str, anchor: str, form_name: str):
    """Run `act` for a valid form; on success back to the page, else the page with the form."""
    done = attempt(form, act)
    if done is not None:
        messages.success(request, saved)
        return redirect(_page_url(review.incident_id, anchor))
    status = 409 if isinstance(form.refusal, Conflict) else 422
    return _page(request, selectors.review_of(review.incident), status=status, **{form_name: form})


@desk_view("reviews.change_review")
@require_POST
def save_writeup(request: HttpRequest, incident_id: int) -> HttpResponse:
    review = _review_or_404(_incident(incident_id))
    form = _writeup_form(review, request, request.POST.copy())

    def save():
        return services.edit_writeup(review=review, by=request.user, **form.changes())

    done = attempt(form, save)
    if done is not None:
        messages.success(request, "Write-up saved.")
        return redirect(_page_url(incident_id, "writeup"))
    if isinstance(form.refusal, Conflict):
        # Their words stay in the boxes; the version moves on so a second save goes through.
        form.data["version"] = str(Review.objects.get(pk=review.pk).version)
        return _page(request, selectors.review_of(review.incident), status=409, writeup_form=form)
    return _page(request, review, status=422, writeup_form=form)


@desk_view("reviews.change_review")
@require_POST
def check_writeup(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The checks for the write-up being typed: the partial the editor swaps in."""
    review = _review_or_404(_incident(incident_id))
    form = _writeup_form(review, request, request.POST)
    context = checks_context(review, _typed_document(form, review, request.org.zone))
    return render(
        request, "desk/_checks.html", context, status=422 if context.get("refusal") else 200
    )


@desk_view("reviews.change_review")
@require_POST
def schedule_review(request: HttpRequest, incident_id: int) -> HttpResponse:
    review = _review_or_404(_incident(incident_id))
    form = ScheduleForm(request.POST)

    def act():
        return services.schedule_review(review=review, by=request.user, **form.cleaned_data)

    return _act(
        request,
        review,
        form,
        act,
        saved="Scheduled. Everyone in the room with an address is being sent the invitation.",
        anchor="schedule",
        form_name="schedule_form",
    )


@desk_view("reviews.change_review")
@require_POST
def add_attendee(request: HttpRequest, incident_id: int) -> HttpResponse:
    review = _review_or_404(_incident(incident_id))
    form = AttendeeForm(request.POST)

    def act():
        data = form.cleaned_data
        return services.add_attendee(
            review=review,
            by=request.user,
            role=data["role"],
            user=data.get("user"),
            name=data["name"],
            email=data["email"],
        )

    return _act(
        request,
        review,
        form,
        act,
        saved="Added to the room.",
        anchor="attendees",
        form_name="attendee_form",
    )


@desk_view("reviews.change_review")
@require_POST
def remove_attendee(request: HttpRequest, attendee_id: int) -> HttpResponse:
    attendee = get_object_or_404(Attendee.objects.select_related("review"), pk=attendee_id)
    services.remove_attendee(attendee=attendee, by=request.user)
    messages.success(request, "Taken off the review.")
    return redirect(_page_url(attendee.review.incident_id, "attendees"))


@desk_view("reviews.change_review")
@require_POST
def mark_held(request: HttpRequest, incident_id: int) -> HttpResponse:
    review = _review_or_404(_incident(incident_id))
    form = HeldForm(request.POST)

    def act():
        return services.mark_held(
            review=review, by=request.user, held_at=form.cleaned_data["held_at"]
        )

    return _act(
        request,
        review,
        form,
        act,
        saved="Marked as held.",
        anchor="schedule",
        form_name="held_form",
    )


@desk_view("reviews.view_review")
@require_safe
def download_ics(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The review as a calendar file: the same event (UID and SEQUENCE) as the emails."""
    review = _review_or_404(_incident(incident_id))
    response = HttpResponse(invitation.ics(review), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="review-{review.incident.public_id}.ics"'
    )
    return response
