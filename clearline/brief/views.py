"""The brief for support and sales, the answers behind it, and the customer-signal log."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearline.brief import plain_text, selectors, services
from clearline.brief.forms import AnswerForm, ApproveForm, GroupAnswerForm, SignalForm
from clearline.brief.models import HARD_QUESTIONS, Answer, QuestionGroup, Topic
from clearline.core.errors import Conflict
from clearline.desk.access import attempt, desk_view, posted
from clearline.incidents.models import Incident


def _incident(incident_id: int) -> Incident:
    return get_object_or_404(Incident.objects.select_related("commander"), pk=incident_id)


def _brief_url(incident_id: int, anchor: str = "") -> str:
    return reverse("brief:brief", args=[incident_id]) + (f"#{anchor}" if anchor else "")


@desk_view("incidents.view_incident")
@require_safe
def brief_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(incident_id)
    brief = selectors.brief_of(incident)
    return render(
        request,
        "brief/brief.html",
        {
            "incident": incident,
            "brief": brief,
            "email_text": plain_text.email_text(brief, request.org.zone),
            "chat_text": plain_text.chat_text(brief, request.org.zone),
            "can_approve": services.may_approve(request.user, incident),
        },
    )


def _answer_page(request, *, incident, form, heading, answer, theirs=None, group=None):
    return render(
        request,
        "brief/answer_form.html",
        {
            "incident": incident,
            "form": form,
            "heading": heading,
            "answer": answer,
            "theirs": theirs,
            "group": group,
        },
    )


def _write(request, *, incident, form_class, answer, heading, save, reload, group=None):
    """The answer editor: a stale version is a conflict that keeps the writer's words.

    `reload` reads the answer as saved now, to show beside the writer's text on a conflict.
    """
    if request.method != "POST":
        initial = {"version": answer.version if answer else 0}
        if answer:
            initial.update(question=answer.question, text=answer.text)
        elif group:
            initial["question"] = group.title[:300]
        form = form_class(initial=initial)
        return _answer_page(
            request, incident=incident, form=form, heading=heading, answer=answer, group=group
        )
    # A copy, so a conflict can hand the writer the version now saved along with their text.
    form = form_class(request.POST.copy())
    saved = attempt(form, lambda: save(by=request.user, **form.cleaned_data))
    if saved:
        messages.success(
            request,
            "Answer saved. It reaches the brief once an approver or the commander approves it.",
        )
        return redirect(_brief_url(incident.pk, f"answer-{saved.pk}"))
    theirs = None
    if isinstance(form.refusal, Conflict):
        theirs = reload()
        form.data["version"] = str(theirs.version if theirs else 0)
    return _answer_page(
        request,
        incident=incident,
        form=form,
        heading=heading,
        answer=answer,
        theirs=theirs,
        group=group,
    )


@desk_view("brief.change_answer")
@require_http_methods(["GET", "HEAD", "POST"])
def write_answer(request: HttpRequest, incident_id: int, topic: str) -> HttpResponse:
    incident = _incident(incident_id)
    if topic not in HARD_QUESTIONS:
        raise Http404("No such question")
    question = selectors.hard_question(incident, Topic(topic))

    def save(*, by, version, text):
        return services.write_answer(
            incident=incident, topic=topic, by=by, version=version, text=text
        )

    return _write(
        request,
        incident=incident,
        form_class=AnswerForm,
        answer=question.answer,
        heading=question.question,
        save=save,
        reload=lambda: selectors.hard_question(incident, Topic(topic)).answer,
    )


@desk_view("brief.change_answer")
@require_http_methods(["GET", "HEAD", "POST"])
def answer_group(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(QuestionGroup.objects.select_related("incident"), pk=group_id)

    def save(*, by, version, question, text):
        return services.write_group_answer(
            group=group, by=by, version=version, question=question, text=text
        )

    return _write(
        request,
        incident=group.incident,
        form_class=GroupAnswerForm,
        answer=Answer.objects.filter(group=group).first(),
        heading="Answer a question customers ask",
        save=save,
        reload=lambda: Answer.objects.filter(group=group).first(),
        group=group,
    )


@desk_view("brief.change_answer")
@require_POST
def approve_answer(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("incident"), pk=answer_id)
    form = ApproveForm(request.POST)
    approved = attempt(
        form, lambda: services.approve_answer(answer=answer, by=request.user, **form.cleaned_data)
    )
    if approved:
        if approved.show_on_status_page and not approved.incident.is_public:
            messages.info(
                request,
                "Approved. This incident is not public, so the status page will not show it.",
            )
        else:
            messages.success(request, f"Approved: “{approved.question}”.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_brief_url(answer.incident_id, f"answer-{answer.pk}"))


def _signal_page(request: HttpRequest, incident: Incident, form: SignalForm) -> HttpResponse:
    return render(
        request,
        "brief/signal.html",
        {
            "incident": incident,
            "form": form,
            "groups": selectors.question_groups(incident),
            "reports": selectors.reports(incident),
            "symptoms": selectors.symptoms(incident),
        },
    )


@desk_view("incidents.view_incident")
@require_safe
def signal_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _signal_page(request, _incident(incident_id), SignalForm(posted(request)))


@desk_view("brief.add_customersignal")
@require_POST
def log_signal(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(incident_id)
    form = SignalForm(request.POST)
    signal = attempt(
        form, lambda: services.log_signal(incident=incident, by=request.user, **form.cleaned_data)
    )
    if not signal:
        return _signal_page(request, incident, form)
    if signal.group_id:
        asked = signal.group.signals.count()
        if asked > 1:
            messages.success(request, f"Logged. {asked} customers have now asked this.")
        else:
            messages.success(request, "Logged as a new question.")
    else:
        messages.success(request, "Report logged.")
    return redirect(reverse("brief:signal", args=[incident.pk]) + "#log")
