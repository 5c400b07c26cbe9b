"""The first-week plan: created on resolution, each step owned and due, closed by what is published.

Step names (`PlanStep`), for the parts that complete steps with `complete_step`:

- `facts` (day 1): completes when the preliminary report is published.
- `answers` (day 2): completes when every question group it names has an approved answer shown
  on the status page, or a published update answers them (one of its sentences asks or states
  the question in the customers' words); with no questions logged, when an update follows the
  resolution.
- `cause` (day 3): completes when a published text states the cause while the facts ledger holds
  it as confirmed.
- `prevention` (days 4-5) and `process` (day 7): completed by the action items and the review,
  which call `complete_step`.

Every state change writes an audit entry; due times are counted in the organisation's zone.
"""

import re
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.brief import grouping
from clearline.brief import selectors as brief
from clearline.brief.models import Answer, AnswerState, QuestionGroup, Topic
from clearline.checks import claimed_subjects
from clearline.core import audit, limits, permissions
from clearline.core.clock import in_zone
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.models import FactSubject, Incident
from clearline.reviews import selectors
from clearline.reviews.models import DUE_DAY, PlanItem, PlanItemState, PlanStep
from clearline.updates import checking
from clearline.updates.models import Update, UpdateKind

#: How many of the questions customers asked most the answers step names.
TOP_QUESTIONS = 3
CHANGE_PERM = "reviews.change_planitem"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

WHAT = {
    PlanStep.FACTS: (
        "Publish the preliminary report",
        "Only what is confirmed: the time window, what customers experienced and who, what "
        "stayed safe, what is still being checked, and when the full review follows.",
    ),
    PlanStep.ANSWERS: (
        "Answer the questions customers keep asking",
        "Answer them in one place, in short, direct words: on the status page as approved "
        "answers, or in an update.",
    ),
    PlanStep.CAUSE: (
        "Explain the cause in plain words",
        "Say what failed, for how long and what it did to customers, without internal names. "
        "State it only once the ledger holds it as a confirmed fact.",
    ),
    PlanStep.PREVENTION: (
        "Show the prevention work under way",
        "Share a few changes already being made so this is less likely to happen again, such "
        "as an alert on the failed path, a release check or a tested rollback.",
    ),
    PlanStep.PROCESS: (
        "Close the week: process changes and named owners",
        "Say what changed in how the team works and who owns it: who approves risky changes, "
        "who sends incident updates, who reviews alerts out of hours.",
    ),
}
# Who owns a step: the comms owner speaks to customers, the commander owns cause and change.
OWNERS = {
    PlanStep.FACTS: ("comms_owner", "commander"),
    PlanStep.ANSWERS: ("comms_owner", "commander"),
    PlanStep.CAUSE: ("commander", "comms_owner"),
    PlanStep.PREVENTION: ("commander", "comms_owner"),
    PlanStep.PROCESS: ("commander", "comms_owner"),
}


def due_at(resolved_at: datetime, day: int, zone) -> datetime:
    """The same clock time `day` days after the resolution, in the organisation's zone: a step
    due a week after a 10:00 resolution is due at 10:00, whatever clock change lies between."""
    local = in_zone(resolved_at, zone)
    wall = time(local.hour, local.minute, local.second)
    return datetime.combine(local.date() + timedelta(days=day), wall, tzinfo=zone)


def _owner(incident: Incident, step: str):
    for role in OWNERS[PlanStep(step)]:
        person = getattr(incident, role)
        if person is not None and person.is_active:
            return person
    return None


def top_questions(incident: Incident) -> list[QuestionGroup]:
    """The questions customers asked most, each with `asked` (how many times)."""
    return brief.question_groups(incident)[:TOP_QUESTIONS]


def _answers_detail(groups: list[QuestionGroup]) -> str:
    if not groups:
        return (
            "Support logged no customer questions during the incident. Answer what support "
            "hears now in an update, or mark this step not needed and say why."
        )
    asked = "; ".join(f"“{g.title}” (asked {g.asked} time{'s' * (g.asked != 1)})" for g in groups)
    return f"{WHAT[PlanStep.ANSWERS][1]} Asked most: {asked}."


def _cause_detail(incident: Incident) -> str:
    causes = selectors.settled_facts(incident, FactSubject.CAUSE)
    known = f" Confirmed in the ledger: {causes[0]}" if causes else " No cause is confirmed yet."
    return WHAT[PlanStep.CAUSE][1] + known


@transaction.atomic
def create_plan(*, incident: Incident, by, now: datetime | None = None) -> list[PlanItem]:
    """The incident's first-week plan, created once from its resolution; a second call returns
    the plan as it stands. Steps already done by what was published meanwhile close at once."""
    permissions.require_perm(by, CHANGE_PERM)
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("commander", "comms_owner")
        .get(pk=incident.pk)
    )
    existing = list(PlanItem.objects.filter(incident=incident))
    if existing:
        return existing
    now = now or timezone.now()
    resolved_at = incident.resolved_at or now
    zone = Organisation.current().zone
    questions = top_questions(incident)
    details = {
        PlanStep.ANSWERS: _answers_detail(questions),
        PlanStep.CAUSE: _cause_detail(incident),
    }
    items = PlanItem.objects.bulk_create(
        PlanItem(
            incident=incident,
            step=step,
            title=WHAT[step][0],
            detail=details.get(step, WHAT[step][1]),
            question_groups=[g.pk for g in questions] if step == PlanStep.ANSWERS else [],
            owner=_owner(incident, step),
            due_at=due_at(resolved_at, DUE_DAY[step], zone),
        )
        for step in PlanStep
    )
    audit.record(
        actor=by,
        action="plan.created",
        obj=incident,
        summary=f"Created the first-week plan for “{incident.title}”",
        changes={item.step: in_zone(item.due_at, zone).isoformat() for item in items},
    )
    for text in Update.objects.customer_text().filter(incident=incident).order_by("published_at"):
        settle_after_publication(update=text, now=now)
    return list(PlanItem.objects.filter(incident=incident))


def _close(item: PlanItem, *, by, state: str, now: datetime, **fields) -> PlanItem:
    before = audit.snapshot_fields(item, ["state", "reason", "completion_note"])
    item.state, item.done_at = state, now
    item.closed_by = permissions.person(by)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    done = "done" if state == PlanItemState.DONE else "not needed"
    audit.record(
        actor=by,
        action=f"plan_item.{state}",
        obj=item,
        summary=f"{item.get_step_display()} marked {done} on “{item.incident.title}”",
        changes=audit.diff(item, before, ["state", "reason", "completion_note"]),
    )
    return item


def _open_item(incident: Incident, step: str) -> PlanItem | None:
    return (
        PlanItem.objects.select_for_update()
        .select_related("incident")
        .filter(incident=incident, step=step, state=PlanItemState.OPEN)
        .first()
    )


@transaction.atomic
def complete_step(
    *,
    incident: Incident,
    step: str,
    note: str,
    by,
    update: Update | None = None,
    now: datetime | None = None,
) -> PlanItem | None:
    """Mark the incident's open `step` done, saying what completed it (`note`, and the published
    `update` when one did); `by` is who did, or `permissions.SYSTEM` when clearline noticed it.
    None when the incident has no open item for the step (no plan, or the step is already
    closed): completing twice changes nothing."""
    permissions.require_perm(by, CHANGE_PERM)
    if step not in PlanStep.values:
        raise ClearlineError(
            f"{step!r} is not a step of the plan; choose one of {', '.join(PlanStep.values)}.",
            field="step",
        )
    note = " ".join(note.split())
    if not note:
        raise ClearlineError("Say what completed the step.", field="note")
    item = _open_item(incident, step)
    if item is None:
        return None
    return _close(
        item,
        by=by,
        state=PlanItemState.DONE,
        now=now or timezone.now(),
        completion_note=note[:300],
        completed_by=update,
    )


@transaction.atomic
def mark_not_needed(*, item: PlanItem, by, reason: str, now: datetime | None = None) -> PlanItem:
    """A responder closes a step the incident does not need, saying why."""
    permissions.require_perm(by, CHANGE_PERM)
    reason = (reason or "").strip()
    if not reason:
        raise ClearlineError("Say why this step is not needed.", field="reason")
    limits.accept(reason, limits.PLAN_REASON, field="reason")
    item = PlanItem.objects.select_for_update().select_related("incident").get(pk=item.pk)
    if not item.is_open:
        raise Conflict(
            f"This step is already {item.get_state_display().lower()}.", code="already_closed"
        )
    return _close(
        item, by=by, state=PlanItemState.NOT_NEEDED, now=now or timezone.now(), reason=reason
    )


# ----------------------------------------------------------------------------------------------
# What a publication completes
# ----------------------------------------------------------------------------------------------


def states_confirmed_cause(update: Update) -> bool:
    """Whether the text states the cause while the ledger holds the cause as confirmed."""
    if not selectors.settled_facts(update.incident, FactSubject.CAUSE):
        return False
    return "cause" in claimed_subjects(update.body, config=checking.config())


def _sentences(text: str) -> list[frozenset[str]]:
    return [grouping.content_words(s) for s in _SENTENCE_END.split(text) if s.strip()]


def _answered_by_text(group: QuestionGroup, texts: list[list[frozenset[str]]]) -> bool:
    wordings = [grouping.content_words(s.text) for s in group.signals.all()]
    wordings.append(grouping.content_words(group.title))
    return any(
        grouping.similarity(sentence, wording) >= grouping.THRESHOLD
        for sentences in texts
        for sentence in sentences
        for wording in wordings
    )


def unanswered_questions(item: PlanItem) -> list[QuestionGroup]:
    """The question groups the answers step names that nothing published answers yet."""
    groups = list(
        QuestionGroup.objects.filter(pk__in=item.question_groups).prefetch_related("signals")
    )
    shown = Answer.objects.filter(
        group__in=groups, topic=Topic.FAQ, state=AnswerState.APPROVED, show_on_status_page=True
    )
    answered = {answer.group_id for answer in shown if answer.is_approved}
    published = Update.objects.customer_text().filter(incident_id=item.incident_id)
    texts = [_sentences(body) for body in published.values_list("body", flat=True)]
    return [g for g in groups if g.pk not in answered and not _answered_by_text(g, texts)]


def _answers_done(item: PlanItem, update: Update | None) -> str:
    """What completes the answers step now ("" while something is left to answer)."""
    if not item.question_groups:
        resolved_at = item.incident.resolved_at
        after = (
            update is not None
            and update.kind == UpdateKind.UPDATE
            and resolved_at is not None
            and update.published_at is not None
            and update.published_at > resolved_at
        )
        return "An update followed the resolution." if after else ""
    if unanswered_questions(item):
        return ""
    return "Every question customers asked most has a published answer."


@transaction.atomic
def settle_answers(
    *, incident: Incident, update: Update | None = None, now: datetime | None = None
) -> PlanItem | None:
    """Complete the answers step if what is published now answers its questions."""
    item = _open_item(incident, PlanStep.ANSWERS)
    if item is None:
        return None
    note = _answers_done(item, update)
    if not note:
        return None
    return complete_step(
        incident=incident,
        step=PlanStep.ANSWERS,
        note=note,
        by=permissions.SYSTEM,
        update=update,
        now=now,
    )


@transaction.atomic
def settle_after_publication(*, update: Update, now: datetime | None = None) -> list[PlanItem]:
    """Complete the steps this published customer text does; the items completed."""
    is_customer_text = Update.objects.customer_text().filter(pk=update.pk).exists()
    if not is_customer_text or not PlanItem.objects.filter(incident=update.incident).exists():
        return []
    incident = update.incident
    completes = {
        PlanStep.FACTS: (
            update.kind == UpdateKind.PRELIMINARY,
            "The preliminary report was published.",
        ),
        PlanStep.CAUSE: (
            states_confirmed_cause(update),
            "A published text states the confirmed cause.",
        ),
    }
    done = [
        complete_step(
            incident=incident, step=step, note=note, by=permissions.SYSTEM, update=update, now=now
        )
        for step, (completed, note) in completes.items()
        if completed
    ]
    done.append(settle_answers(incident=incident, update=update, now=now))
    return [item for item in done if item is not None]
