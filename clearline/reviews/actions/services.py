"""Action items: add one, change it, close it.

Each change is one transaction with its audit entry and, when a tracker is configured, the
event that tells it (its send job queued in the same transaction on the database backend).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from clearline.accounts.roles import role_of
from clearline.accounts.selectors import display_name
from clearline.core import audit, clock, limits, permissions, queueing
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.models import Incident
from clearline.reviews import plan
from clearline.reviews.actions import rules, selectors, tasks, webhooks
from clearline.reviews.models import ActionCategory, ActionEvent, ActionItem, ActionStatus, PlanStep
from clearline.reviews.models.actions import OPEN_STATUSES

EDITABLE = ["outcome", "owner", "due_date", "category", "status", "override_reason"]
CLOSED = "This action item is closed; add a new one for the work that remains."


def _text(value: str | None, limit: limits.Limit, field: str) -> str:
    """The stored form of a typed text: trimmed, one kind of line break, within its limit."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return limits.accept(text, limit, field=field)


def _require_owner(owner) -> None:
    if not owner.is_active or role_of(owner) is None:
        raise ClearlineError(
            f"{display_name(owner)} cannot own an action item: owners are active people with a "
            "role in clearline.",
            field="owner",
        )


def _require_category(category: str | None) -> None:
    if category not in ActionCategory.values:
        choices = ", ".join(ActionCategory.values)
        raise ClearlineError(f"Choose a category: one of {choices}.", field="category")


def _require_due(due_date: date, *, now: datetime) -> None:
    today = selectors.today(now=now)
    if due_date < today:
        raise ClearlineError(
            f"{due_date:%d %B %Y} has passed; give today or a later date.", field="due_date"
        )
    if (due_date - today) > clock.PLAN_AHEAD:
        raise ClearlineError(
            f"Pick a date within {clock.PLAN_AHEAD.days} days; split a longer change into "
            "steps with dates of their own.",
            field="due_date",
        )


def _tell_tracker(item: ActionItem, event: str, now: datetime) -> None:
    row = webhooks.record_event(item, event, now=now)
    if row is not None:
        queueing.enqueue(tasks.send_action_webhook, webhook_id=row.pk)


def _changes(item: ActionItem) -> dict:
    return {
        "outcome": item.outcome,
        "owner": item.owner.get_username(),
        "due_date": item.due_date.isoformat(),
        "category": item.category,
        "override_reason": item.override_reason,
    }


@transaction.atomic
def create_action_item(
    *,
    incident: Incident,
    by,
    outcome: str | None,
    owner,
    due_date: date | None,
    category: str | None,
    override_reason: str | None = "",
    now: datetime | None = None,
) -> ActionItem:
    """Add an item: one clear outcome (CL151, CL153), one owner, a due date not yet passed."""
    permissions.require_perm(by, "reviews.add_actionitem")
    now = now or timezone.now()
    outcome = _text(outcome, limits.ACTION_OUTCOME, "outcome")
    override_reason = _text(override_reason, limits.OVERRIDE_REASON, "override_reason")
    rules.require_complete(outcome=outcome, owner=owner, due_date=due_date)
    _require_owner(owner)
    _require_category(category)
    _require_due(due_date, now=now)
    item = ActionItem.objects.create(
        incident=incident,
        outcome=outcome,
        owner=owner,
        due_date=due_date,
        category=category,
        override_reason=rules.require_clear(outcome, override_reason),
        created_by=permissions.person(by),
        created_at=now,
    )
    audit.record(
        actor=by,
        action="action_item.created",
        obj=item,
        summary=f"Added the action item “{outcome}” to “{incident.title}”",
        changes=_changes(item),
    )
    _tell_tracker(item, ActionEvent.CREATED, now)
    # An owned, dated change is the prevention work the first week's plan asks to make visible.
    plan.complete_step(
        incident=incident,
        step=PlanStep.PREVENTION,
        note=f"Action item: {outcome} ({owner.get_full_name() or owner}, due {due_date:%d %b %Y})",
        by=permissions.SYSTEM,
        now=now,
    )
    return item


def _locked(item: ActionItem) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.is_closed:
        raise Conflict(CLOSED, field="status", code="closed")
    return item


@transaction.atomic
def edit_action_item(
    *,
    item: ActionItem,
    by,
    outcome: str | None = None,
    owner=None,
    due_date: date | None = None,
    category: str | None = None,
    status: str | None = None,
    override_reason: str | None = None,
    now: datetime | None = None,
) -> ActionItem:
    """Change what is given (None keeps a value): the outcome, owner, due date, category, or
    the status between open and in progress. A changed outcome is checked again, and a vague
    one needs a reason of its own."""
    permissions.require_perm(by, "reviews.change_actionitem")
    now = now or timezone.now()
    item = _locked(item)
    before = audit.snapshot_fields(item, EDITABLE)
    if outcome is not None:
        item.outcome = _text(outcome, limits.ACTION_OUTCOME, "outcome")
    if status is not None and status not in OPEN_STATUSES:
        raise ClearlineError(
            "Set the status to open or in_progress here; close an item with evidence, or as "
            "won't do with a reason.",
            field="status",
        )
    item.owner = owner if owner is not None else item.owner
    item.due_date = due_date if due_date is not None else item.due_date
    item.category = category if category is not None else item.category
    item.status = status or item.status
    rules.require_complete(outcome=item.outcome, owner=item.owner, due_date=item.due_date)
    if item.owner != before["owner"]:
        _require_owner(item.owner)
    _require_category(item.category)
    if item.due_date != before["due_date"]:
        _require_due(item.due_date, now=now)
    if override_reason is not None:
        reason = _text(override_reason, limits.OVERRIDE_REASON, "override_reason")
    else:
        # A reason given for other words does not carry over to new ones.
        reason = item.override_reason if item.outcome == before["outcome"] else ""
    item.override_reason = rules.require_clear(item.outcome, reason)
    changed = audit.diff(item, before, EDITABLE)
    if not changed:
        return item
    item.save()
    audit.record(
        actor=by,
        action="action_item.edited",
        obj=item,
        summary=f"Edited the action item “{item.outcome}”",
        changes=changed,
    )
    return item


def _require_link(url: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ClearlineError(
            "Give a link starting with https:// (or http://), or leave it empty and write a note.",
            field="evidence_url",
        ) from None


@transaction.atomic
def close_action_item(
    *,
    item: ActionItem,
    by,
    status: str = ActionStatus.DONE,
    evidence_url: str | None = "",
    evidence_note: str | None = "",
    wont_do_reason: str | None = "",
    now: datetime | None = None,
) -> ActionItem:
    """Close an item: done, with evidence that the change works (a link, a note or both), or
    won't do, with the reason. A closed item stays closed."""
    permissions.require_perm(by, "reviews.change_actionitem")
    now = now or timezone.now()
    item = _locked(item)
    evidence_url = _text(evidence_url, limits.EVIDENCE_LINK, "evidence_url")
    evidence_note = _text(evidence_note, limits.ACTION_NOTE, "evidence_note")
    wont_do_reason = _text(wont_do_reason, limits.ACTION_NOTE, "wont_do_reason")
    if evidence_url:
        _require_link(evidence_url)
    if status == ActionStatus.DONE and not (evidence_url or evidence_note):
        raise ClearlineError(
            "Closing as done needs evidence that the change works: a link, a note, or both "
            "(e.g. 'Restore of last night's backup timed at 4 minutes').",
            field="evidence_note",
        )
    if status == ActionStatus.WONT_DO and not wont_do_reason:
        raise ClearlineError("Say why this will not be done.", field="wont_do_reason")
    if status not in (ActionStatus.DONE, ActionStatus.WONT_DO):
        raise ClearlineError("Close an item as done or as wont_do.", field="status")
    item.status = status
    item.evidence_url, item.evidence_note = evidence_url, evidence_note
    item.wont_do_reason = wont_do_reason
    item.closed_at, item.closed_by = now, permissions.person(by)
    item.save()
    audit.record(
        actor=by,
        action="action_item.closed",
        obj=item,
        summary=f"Closed the action item “{item.outcome}” as {item.get_status_display().lower()}",
        changes={
            "status": status,
            "evidence_url": evidence_url,
            "evidence_note": evidence_note,
            "wont_do_reason": wont_do_reason,
        },
    )
    _tell_tracker(item, ActionEvent.CLOSED, now)
    return item
