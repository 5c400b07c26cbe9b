"""Changes to the brief: customer signal logged by support, answers drafted and approved.

Each function is one transaction with its audit entry. A change a customer can see (an FAQ
answer shown on the status page) re-renders the public snapshot after commit.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from clearline.brief import grouping
from clearline.brief.models import (
    HARD_QUESTIONS,
    Answer,
    AnswerState,
    CustomerSignal,
    CustomerSignalKind,
    QuestionGroup,
    Topic,
)
from clearline.core import audit, limits, outbox, permissions
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.core.models import EventKind
from clearline.incidents.models import Incident

# Clocks on laptops drift; a report a minute "from the future" is a typo-free report.
_CLOCK_SLACK = timedelta(minutes=2)


NOT_AN_APPROVER = "Only an approver or this incident's commander can approve answers."


def may_approve(by, incident: Incident) -> bool:
    """Approvers, and the incident's own commander, approve its answers."""
    return permissions.may_approve(
        by, incident, approve_perm="brief.approve_answer", change_perm="brief.change_answer"
    )


def approval_refusal(by, answer: Answer) -> str:
    """Why `by` may not approve this answer's words, for the brief to say instead of offering
    a button they cannot use; "" when they may."""
    if not may_approve(by, answer.incident):
        return NOT_AN_APPROVER
    if answer.is_approved:
        return ""  # Approved by a second person already: only where it shows is left to choose.
    return permissions.self_approval_refusal(by, *answer.writer_ids)


def _locked_incident(incident: Incident) -> Incident:
    # Locking the incident row serialises grouping and first drafts on one incident, so two
    # people logging the same new question, or starting the same answer, never make two.
    return Incident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def log_signal(
    *,
    incident: Incident,
    by,
    kind: str,
    text: str,
    account: str = "",
    symptom: str = "",
    reported_at: datetime | None = None,
) -> CustomerSignal:
    """Record what a customer reported or asked; a question joins the group it repeats."""
    permissions.require_perm(by, "brief.add_customersignal")
    text, account, symptom = text.strip(), account.strip(), symptom.strip()
    if kind not in CustomerSignalKind.values:
        raise ClearlineError("Choose report or question.", field="kind")
    if not text:
        raise ClearlineError("Write what the customer said.", field="text")
    limits.accept(text, limits.SIGNAL_TEXT, field="text")
    limits.accept(account, limits.SIGNAL_ACCOUNT, field="account")
    limits.accept(symptom, limits.SIGNAL_SYMPTOM, field="symptom")
    now = timezone.now()
    reported_at = reported_at or now
    if timezone.is_naive(reported_at):
        raise ClearlineError("Give the time with a time zone.", field="reported_at")
    if reported_at > now + _CLOCK_SLACK:
        raise ClearlineError("That time is in the future.", field="reported_at")

    incident = _locked_incident(incident)
    group = None
    if kind == CustomerSignalKind.QUESTION:
        group = _group_for(incident=incident, by=by, text=text)
    signal = CustomerSignal.objects.create(
        incident=incident,
        kind=kind,
        text=text,
        account=account,
        symptom=symptom,
        reported_at=reported_at,
        group=group,
        logged_by=permissions.person(by),
    )
    audit.record(
        actor=by,
        action="signal.logged",
        obj=signal,
        summary=f"Logged a customer {kind} on “{incident.title}”",
        changes={
            "text": text,
            "account": account,
            "symptom": symptom,
            "reported_at": reported_at.isoformat(),
            "group": group.pk if group else None,
        },
    )
    return signal


def _group_for(*, incident: Incident, by, text: str) -> QuestionGroup:
    wordings = CustomerSignal.objects.filter(incident=incident, group__isnull=False).values_list(
        "group_id", "text"
    )
    match = grouping.best_match(text, wordings)
    if match is not None:
        return QuestionGroup.objects.get(pk=match)
    group = QuestionGroup.objects.create(incident=incident, title=text)
    audit.record(
        actor=by,
        action="question_group.created",
        obj=group,
        summary=f"New customer question on “{incident.title}”",
        changes={"title": text},
    )
    return group


@transaction.atomic
def write_answer(*, incident: Incident, topic: str, by, version: int, text: str) -> Answer:
    """Draft or edit the answer to one of the hard questions.

    `version` is the one the writer loaded (0 for a new answer): a stale one is a conflict.
    """
    permissions.require_perm(by, "brief.change_answer")
    if topic not in HARD_QUESTIONS:
        raise ClearlineError(f"{topic!r} is not one of the brief's questions.", field="topic")
    incident = _locked_incident(incident)
    answer = Answer.objects.filter(incident=incident, topic=topic).first()
    question = Topic(topic).label
    return _save(
        answer,
        incident=incident,
        topic=topic,
        group=None,
        by=by,
        version=version,
        question=question,
        text=text,
    )


@transaction.atomic
def write_group_answer(
    *, group: QuestionGroup, by, version: int, question: str, text: str
) -> Answer:
    """Draft or edit the answer to a question customers keep asking: an FAQ entry once approved.

    The question is worded afresh for readers; the customers' own words stay in the signal.
    """
    permissions.require_perm(by, "brief.change_answer")
    incident = _locked_incident(group.incident)
    answer = Answer.objects.filter(group=group).first()
    return _save(
        answer,
        incident=incident,
        topic=Topic.FAQ,
        group=group,
        by=by,
        version=version,
        question=question,
        text=text,
    )


def _save(
    answer: Answer | None,
    *,
    incident: Incident,
    topic: str,
    group: QuestionGroup | None,
    by,
    version: int,
    question: str,
    text: str,
) -> Answer:
    question, text = question.strip(), text.strip()
    if not question:
        raise ClearlineError("Write the question as readers will see it.", field="question")
    limits.accept(question, limits.ANSWER_QUESTION, field="question")
    if not text:
        raise ClearlineError("Write the answer.", field="text")
    limits.accept(text, limits.ANSWER_TEXT, field="text")
    current = answer.version if answer else 0
    if version != current:
        raise Conflict(
            "Someone else saved this answer while you were writing. Your text is kept below; "
            "compare it with theirs before saving again.",
            code="conflict",
        )
    if answer is None:
        answer = Answer.objects.create(
            incident=incident,
            topic=topic,
            group=group,
            question=question,
            text=text,
            author=permissions.person(by),
        )
        audit.record(
            actor=by,
            action="answer.drafted",
            obj=answer,
            summary=f"Drafted an answer to “{question}” on “{incident.title}”",
            changes={"question": question, "text": text},
        )
        return answer
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if (answer.question, answer.text) == (question, text):
        return answer
    fields = ["question", "text", "state"]
    before = audit.snapshot_fields(answer, fields)
    was_public = _shown_publicly(answer)
    answer.question, answer.text = question, text
    answer.edited_by = permissions.person(by)
    if answer.state == AnswerState.APPROVED:
        # The approval was for the old words; the new ones need their own.
        answer.state, answer.approver, answer.approved_at = AnswerState.DRAFT, None, None
        answer.approved_hash = ""
    answer.version += 1
    answer.save()
    audit.record(
        actor=by,
        action="answer.edited",
        obj=answer,
        summary=f"Edited the answer to “{question}”"
        + (" (approval withdrawn)" if before["state"] == AnswerState.APPROVED else ""),
        changes=audit.diff(answer, before, fields),
    )
    if was_public:
        _rerender(incident)
    return answer


@transaction.atomic
def approve_answer(
    *, answer: Answer, by, content_hash: str, show_on_status_page: bool = False
) -> Answer:
    """Approve the exact words the approver read, named by their SHA-256.

    Approving an approved answer again changes only whether it shows on the status page.
    """
    answer = Answer.objects.select_for_update().select_related("incident").get(pk=answer.pk)
    incident = answer.incident
    if not may_approve(by, incident):
        raise PermissionDenied(NOT_AN_APPROVER)
    if content_hash != answer.content_hash:
        raise Conflict(
            "This answer changed after you read it. Read the text now saved, then approve that.",
            code="conflict",
        )
    if show_on_status_page and answer.topic != Topic.FAQ:
        raise ClearlineError(
            "Only answers to customers' questions are shown on the status page; the status page "
            "carries the updates themselves.",
            field="show_on_status_page",
        )
    was_public = _shown_publicly(answer)
    already = answer.is_approved
    if already and answer.show_on_status_page == show_on_status_page:
        return answer
    # Showing or hiding words a second person approved is no approval of one's own text.
    self_approved = False if already else permissions.second_pair(by, *answer.writer_ids)
    before = audit.snapshot_fields(answer, ["state", "show_on_status_page"])
    if not already:
        answer.state = AnswerState.APPROVED
        answer.approved_hash = content_hash
        answer.approver = permissions.person(by)
        answer.approved_at = timezone.now()
    answer.show_on_status_page = show_on_status_page
    answer.save()
    changes = audit.diff(answer, before, ["state", "show_on_status_page"])
    if not already:
        changes["content_hash"] = content_hash
        changes["text"] = answer.text
        changes["self_approved"] = self_approved
    if not already:
        action, summary = "answer.approved", f"Approved the answer to “{answer.question}”"
        summary += permissions.SELF_APPROVED if self_approved else ""
    elif show_on_status_page:
        action, summary = "answer.shown", f"Showed “{answer.question}” on the status page"
    else:
        action, summary = "answer.hidden", f"Took “{answer.question}” off the status page"
    audit.record(actor=by, action=action, obj=answer, summary=summary, changes=changes)
    if was_public or _shown_publicly(answer):
        _rerender(incident)
    return answer


def _shown_publicly(answer: Answer) -> bool:
    return answer.topic == Topic.FAQ and answer.show_on_status_page and answer.is_approved


def _rerender(incident: Incident) -> None:
    if incident.is_public:
        outbox.publish(EventKind.PAGE_CHANGED, incident_id=incident.pk)
