"""The desk's pages for closing the loop: key accounts, follow-ups, and on each incident's page
its linked accounts, follow-ups and late questions. Plain forms: no JavaScript needed."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from clearline.accounts.selectors import display_name
from clearline.core.errors import Conflict
from clearline.desk.access import attempt, desk_view, posted
from clearline.incidents.models import Incident
from clearline.loop import accounts, followups, questions, selectors
from clearline.loop.forms import (
    AnswerForm,
    DoneForm,
    FollowUpForm,
    ImportForm,
    KeyAccountForm,
    LinkForm,
    QuestionForm,
)
from clearline.loop.models import FollowUp, KeyAccount, LateQuestion

# An upload bigger than this is not a key-account list (5,000 rows of a few hundred bytes).
MOST_UPLOAD_BYTES = 2 * 1024 * 1024
# Rows a list page shows: lists run to thousands, and each follow-up carries its starting text.
PER_PAGE = 50


def _at_section(incident_id: int) -> HttpResponse:
    return redirect(reverse("desk:incident", args=[incident_id]) + "#loop")


def _form_page(request, heading: str, form, action: str, status: int = 400, **extra):
    """A refused form on a page of its own, bound to what was typed, so nothing is lost."""
    context = {"heading": heading, "form": form, "action": action, **extra}
    return render(request, "loop/form_page.html", context, status=status)


@desk_view("loop.view_keyaccount")
@require_http_methods(["GET", "HEAD", "POST"])
def key_accounts(request: HttpRequest) -> HttpResponse:
    form, upload = KeyAccountForm(), ImportForm()
    status = 200
    if request.method == "POST" and "file" in request.FILES:
        upload = ImportForm(request.POST, request.FILES)
        done = attempt(upload, lambda: _import(request, upload))
        if done is not None:
            messages.success(request, f"Imported: {done[0]} added, {done[1]} changed.")
            return redirect("loop:accounts")
        status = 400
    elif request.method == "POST":
        form = KeyAccountForm(request.POST)
        fields = lambda: form.cleaned_data  # noqa: E731 -- read after validation
        saved = attempt(form, lambda: accounts.save_key_account(by=request.user, **fields()))
        if saved is not None:
            messages.success(request, f"Key account {saved.name} added.")
            return redirect("loop:accounts")
        status = 400
    named = request.GET.get("q", "").strip()
    page = Paginator(selectors.key_accounts(named=named), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"accounts": page, "named": named, "form": form, "upload": upload}
    return render(request, "loop/accounts.html", context, status=status)


def _import(request: HttpRequest, upload: ImportForm) -> tuple[int, int]:
    file = upload.cleaned_data["file"]
    if file.size > MOST_UPLOAD_BYTES:
        upload.add_error("file", "That file is too large for a list of key accounts (2 MB).")
        return None
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        upload.add_error("file", "Save the file as CSV in UTF-8 and upload it again.")
        return None
    try:
        return accounts.import_key_accounts(by=request.user, text=text)
    except accounts.ImportRefused as refused:
        upload.problems = refused.problems
        upload.add_error("file", f"Nothing was imported: {len(refused.problems)} problem(s).")
        return None


@desk_view("loop.view_keyaccount")
@require_http_methods(["GET", "HEAD"])
def export_accounts(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        accounts.export_key_accounts(selectors.key_accounts()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="key-accounts.csv"'
    return response


@desk_view("loop.view_followup")
@require_http_methods(["GET", "HEAD"])
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Everyone's follow-ups, or `?mine=1` the signed-in person's; overdue ones marked."""
    mine = request.GET.get("mine") == "1"
    rows = selectors.follow_ups(owner=request.user if mine else None)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = selectors.listed(page.object_list)
    # Many follow-ups share an incident; its starting text is read once per page.
    starts = {}
    for item in items:
        if item.incident_id not in starts:
            starts[item.incident_id] = selectors.starting_text(item.incident)
        item.start = starts[item.incident_id]
        item.may_complete = followups.may_complete(request.user, item)
    context = {"items": items, "page": page, "mine": mine, "back": _list_query(request.GET)}
    return render(request, "loop/follow_ups.html", context)


def _list_query(query: QueryDict) -> str:
    """The follow-ups list's own filter and page from `query`, and nothing else, so a form can
    bring the person back to where they were without becoming a way to send them anywhere."""
    kept = {}
    if query.get("mine") == "1":
        kept["mine"] = "1"
    if query.get("page", "").isdigit():
        kept["page"] = query["page"]
    return urlencode(kept)


def _back(item: FollowUp, back: str) -> HttpResponse:
    """To the incident's page when `back` says "incident", else to the follow-ups list."""
    if back == "incident":
        return _at_section(item.incident_id)
    query = _list_query(QueryDict(back))
    return redirect(reverse("loop:follow-ups") + (f"?{query}" if query else ""))


@desk_view("loop.view_followup")
@require_POST
def complete_follow_up(request: HttpRequest, follow_up_id: str) -> HttpResponse:
    item = get_object_or_404(FollowUp, public_id=follow_up_id)
    form = DoneForm(request.POST)
    done = attempt(
        form,
        lambda: followups.complete_follow_up(
            follow_up=item, by=request.user, note=form.cleaned_data["note"]
        ),
    )
    if done is None:
        action = reverse("loop:follow-up-done", args=[item.public_id])
        return _form_page(request, f"Follow up with {item.account.name}", form, action)
    messages.success(request, f"Follow-up with {item.account.name} marked done.")
    return _back(item, request.POST.get("back", ""))


@desk_view("loop.change_followup")
@require_http_methods(["GET", "HEAD", "POST"])
def change_follow_up(request: HttpRequest, follow_up_id: str) -> HttpResponse:
    """Hand an open follow-up to another owner, or move its due date."""
    item = get_object_or_404(
        FollowUp.objects.select_related("incident", "account", "owner"), public_id=follow_up_id
    )
    back = request.POST.get("back") if request.method == "POST" else request.GET.get("back")
    if item.is_done:
        # A done follow-up shows no such link any more: the refusal goes where it is read.
        messages.error(request, followups.ONLY_OPEN)
        return _back(item, back or "")
    form = FollowUpForm(
        posted(request), initial={"owner": item.owner, "due_date": item.due_date, "back": back}
    )
    if request.method == "POST":

        def change():
            data = form.cleaned_data
            return followups.change_follow_up(
                follow_up=item, by=request.user, owner=data["owner"], due_date=data["due_date"]
            )

        changed = attempt(form, change)
        if changed is not None:
            due = changed.due_date
            messages.success(
                request,
                f"{display_name(changed.owner)} follows up with {item.account.name} by "
                f"{due:%A} {due.day} {due:%B %Y}.",
            )
            return _back(item, form.cleaned_data["back"])
    action = reverse("loop:follow-up-edit", args=[item.public_id])
    status = 400 if form.is_bound else 200
    heading = f"Change the follow-up with {item.account.name}"
    # Opened from the follow-ups list, the page leads back there, to the same filter and page.
    back_to_list = None if back == "incident" else _list_query(QueryDict(back or ""))
    return _form_page(
        request,
        heading,
        form,
        action,
        status,
        incident=item.incident,
        follow_up=item,
        back_to_list=back_to_list,
    )


@desk_view("loop.add_incidentaccount")
@require_POST
def link_account(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    form = LinkForm(request.POST)
    linked = attempt(
        form,
        lambda: accounts.link_account(
            incident=incident, account=form.cleaned_data["account"], by=request.user
        ),
    )
    if linked is None:
        action = reverse("loop:link", args=[incident.pk])
        return _form_page(request, "Link a key account", form, action, incident=incident)
    messages.success(request, f"{linked.link.account.name} is linked to this incident.")
    return _at_section(incident.pk)


@desk_view("loop.delete_incidentaccount")
@require_POST
def unlink_account(request: HttpRequest, incident_id: int, account_id: str) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    account = get_object_or_404(KeyAccount, public_id=account_id)
    try:
        unlinked = accounts.unlink_account(incident=incident, account=account, by=request.user)
    except Conflict as refusal:
        # Unlinked already, in another tab or by someone else: say so where it is read.
        messages.error(request, refusal.message)
        return _at_section(incident.pk)
    said = {
        accounts.FOLLOW_UP_REMOVED: " Its open follow-up went with the link.",
        accounts.FOLLOW_UP_KEPT: " Its follow-up, already done, stays as history.",
    }.get(unlinked.follow_up, "")
    messages.success(request, f"{account.name} is no longer linked to this incident.{said}")
    return _at_section(incident.pk)


@desk_view("loop.add_latequestion")
@require_POST
def log_question(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    form = QuestionForm(request.POST)
    logged = attempt(
        form,
        lambda: questions.log_late_question(
            incident=incident, by=request.user, **form.cleaned_data
        ),
    )
    if logged is None:
        action = reverse("loop:log-question", args=[incident.pk])
        return _form_page(request, "Log a late question", form, action, incident=incident)
    messages.success(request, "Question logged. A responder drafts the answer.")
    return _at_section(incident.pk)


@desk_view("updates.add_update")
@require_POST
def draft_answer(request: HttpRequest, question_id: str) -> HttpResponse:
    question = get_object_or_404(LateQuestion, public_id=question_id)
    form = AnswerForm(request.POST)
    addendum = attempt(
        form,
        lambda: questions.draft_answer(
            question=question, by=request.user, body=form.cleaned_data["body"]
        ),
    )
    if addendum is None:
        action = reverse("loop:answer", args=[question.public_id])
        return _form_page(request, "Answer a late question", form, action, question=question)
    messages.success(request, "Answer drafted. An approver checks and approves it here.")
    return redirect("desk:edit-update", update_id=addendum.pk)
