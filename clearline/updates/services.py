"""Draft → approved → published. `publish_update` is the only way anything becomes visible to
customers; an approval is bound to the exact text (its content hash), so any change needs a new one.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.checks import Finding, Report
from clearline.core import audit, clock, limits, outbox, permissions
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.core.models import EventKind
from clearline.incidents.models import AffectedComponent, Incident, IncidentStatus
from clearline.incidents.services import public_component_status
from clearline.updates import checking
from clearline.updates.models import Audience, Update, UpdateKind, UpdateState
from clearline.updates.selectors import public_updates

STATUS_TIMESTAMP = {
    IncidentStatus.IDENTIFIED: "identified_at",
    IncidentStatus.MONITORING: "monitoring_at",
    IncidentStatus.RESOLVED: "resolved_at",
}


class Refused(ClearlineError):
    """Publishing or approving refused over what the checks found; `report` says what that is."""

    def __init__(self, message: str, *, report: Report | None, status: int, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.report = report
        self.status = status

    @property
    def errors(self) -> list[Finding]:
        return _errors(self.report)


def body_limit(kind: str) -> limits.Limit:
    """How long a text of this kind may be: the full report is a document (its internal
    edition carries the whole timeline), an update a message."""
    return limits.REPORT_BODY if kind == UpdateKind.REPORT else limits.UPDATE_BODY


def _errors(report: Report | None) -> list[Finding]:
    return [f for f in report.findings if f.severity == "error"] if report else []


def _listing(findings: list[Finding]) -> str:
    return "; ".join(f"{f.code} {f.rule} ({f.message.rstrip('.')})" for f in findings)


def content_hash_of(update: Update) -> str:
    return checking.content_hash(
        body=update.body, status=update.status, next_update_due=update.next_update_due
    )


def needs_approval(update: Update) -> bool:
    """Customer-facing text needs an approval; an internal note for the team does not."""
    return update.audience == Audience.PUBLIC


def approval_holds(update: Update) -> bool:
    """Whether the update carries an approval of exactly the text it holds now."""
    return bool(update.approved_hash) and update.approved_hash == content_hash_of(update)


def may_approve(user, incident: Incident) -> bool:
    """Approvers, and the incident's own commander while they hold a responder's rights."""
    return permissions.may_approve(
        user, incident, approve_perm="updates.approve_update", change_perm="updates.change_update"
    )


NOT_AN_APPROVER = "Only an approver or the incident's commander approves updates."
OWN_NEW_TEXT = (
    "You are writing this text, so another approver must approve it: save a draft and ask them."
)


def _require_approver(by, incident: Incident) -> None:
    if not may_approve(by, incident):
        raise PermissionDenied(NOT_AN_APPROVER)


def approval_refusal(user, incident: Incident, update: Update | None = None) -> str:
    """Why `user` may not approve this text, for the editor to say instead of offering a button
    they cannot use; "" when they may. A text not yet saved (`update=None`) is theirs."""
    if not may_approve(user, incident):
        return NOT_AN_APPROVER
    if update is None:
        refusal = permissions.self_approval_refusal(user, user.pk)
        return OWN_NEW_TEXT if refusal else ""
    return permissions.self_approval_refusal(user, *update.writer_ids)


def _check(update: Update) -> Report:
    return checking.check_draft(
        incident=update.incident,
        body=update.body,
        status=update.status,
        kind=checking.kind_for(update.incident, update.status, update.kind),
        next_update_due=update.next_update_due,
    )


def clean_text(text: str) -> str:
    """The stored form of an update's words: one kind of line break (browsers send CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def default_next_update_due(incident: Incident, *, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now + timedelta(minutes=Organisation.current().cadence_minutes(incident.impact))


def _lateness_seconds(incident: Incident, now: datetime) -> int | None:
    """How late an update published `now` is against the promise in force; None if none was made."""
    promised = public_updates(incident).values_list("next_update_due", flat=True).first()
    if promised is None:
        return None
    return max(0, int((now - promised).total_seconds()))


def _validate(
    *,
    incident: Incident,
    status: str,
    body: str,
    audience: str,
    next_update_due: datetime | None,
    kind: str = UpdateKind.UPDATE,
) -> None:
    if not body.strip():
        raise ClearlineError("Write the update text.", field="body")
    limits.accept(body, body_limit(kind), field="body")
    if status not in IncidentStatus.values:
        raise ClearlineError(f"{status!r} is not an incident status.", field="status")
    if audience not in Audience.values:
        raise ClearlineError(f"{audience!r} is not an audience.", field="audience")
    clock.require_plausible(next_update_due, "next_update_due", ahead=clock.PLAN_AHEAD)
    if kind not in UpdateKind.values:
        raise ClearlineError(f"{kind!r} is not a kind of update.", field="kind")
    if kind != UpdateKind.UPDATE:
        # A report speaks of a resolved incident to customers; the next word is the review's.
        if status != IncidentStatus.RESOLVED:
            raise ClearlineError("A report speaks of a resolved incident.", field="status")
        if audience != Audience.PUBLIC and kind != UpdateKind.REPORT:
            raise ClearlineError("A report is written for customers.", field="audience")
        if next_update_due is not None:
            raise ClearlineError(
                "A report promises no next update; the review is said in the text.",
                field="next_update_due",
            )


@transaction.atomic
def draft_update(
    *,
    incident: Incident,
    by,
    body: str,
    status: str | None = None,
    audience: str = Audience.PUBLIC,
    next_update_due: datetime | None = None,
    kind: str = UpdateKind.UPDATE,
) -> Update:
    permissions.require_perm(by, "updates.add_update")
    status = status or incident.status
    _validate(
        incident=incident,
        status=status,
        body=body,
        audience=audience,
        next_update_due=next_update_due,
        kind=kind,
    )
    update = Update.objects.create(
        incident=incident,
        status=status,
        kind=kind,
        body=clean_text(body),
        audience=audience,
        next_update_due=next_update_due,
        author=permissions.person(by),
    )
    what = UpdateKind(kind).label.lower() if kind != UpdateKind.UPDATE else f"{status} update"
    audit.record(
        actor=by,
        action="update.drafted",
        obj=update,
        summary=f"Drafted a {what} on “{incident.title}”",
        changes={"body": update.body, "audience": audience, "kind": kind},
    )
    return update


@transaction.atomic
def edit_update(
    *,
    update: Update,
    by,
    version: int,
    body: str | None = None,
    status: str | None = None,
    next_update_due: datetime | None = None,
) -> Update:
    """Change a draft. `version` is the one the editor loaded: a stale one is a conflict."""
    permissions.require_perm(by, "updates.change_update")
    update = Update.objects.select_for_update().get(pk=update.pk)
    if update.state == UpdateState.PUBLISHED:
        raise ClearlineError("A published update cannot be edited; write a new one.")
    if update.version != version:
        raise Conflict(
            "Someone else changed this draft while you were editing. Your text is "
            "kept below; compare it with theirs before saving again.",
            code="conflict",
        )
    before = audit.snapshot_fields(update, ["body", "status", "next_update_due", "state"])
    approved_text = content_hash_of(update)
    _with_changes(update, body=body, status=status, next_update_due=next_update_due)
    _validate(
        incident=update.incident,
        status=update.status,
        body=update.body,
        audience=update.audience,
        next_update_due=update.next_update_due,
        kind=update.kind,
    )
    if content_hash_of(update) != approved_text:
        update.edited_by = permissions.person(by)
        if update.approved_hash:
            _withdraw_approval(update)
    update.version += 1
    update.save()
    audit.record(
        actor=by,
        action="update.edited",
        obj=update,
        summary="Edited a draft update",
        changes=audit.diff(update, before, ["body", "status", "next_update_due", "state"]),
    )
    return update


def _withdraw_approval(update: Update) -> None:
    """An approval covers one text: saving another one takes it back."""
    update.state, update.approver, update.approved_at = UpdateState.DRAFT, None, None
    update.approved_hash, update.override_reason, update.overridden_codes = "", "", []


@transaction.atomic
def approve_update(
    *,
    update: Update,
    by,
    content_hash: str,
    override_reason: str = "",
    now: datetime | None = None,
) -> Update:
    """Approve the text whose hash the approver read; check errors need an override reason."""
    limits.accept(override_reason or "", limits.OVERRIDE_REASON, field="override_reason")
    update = Update.objects.select_for_update().select_related("incident").get(pk=update.pk)
    _require_approver(by, update.incident)
    self_approved = permissions.second_pair(by, *update.writer_ids)
    if update.state == UpdateState.PUBLISHED:
        raise ClearlineError("This update is already published.", code="already_published")
    current = content_hash_of(update)
    if content_hash != current:
        raise Conflict(
            "The text changed since you read it. Read the saved version, then approve again.",
            field="content_hash",
            code="stale_content",
        )
    report = _check(update) if needs_approval(update) else None
    errors = _errors(report)
    reason = (override_reason or "").strip()
    if errors and not reason:
        raise Refused(
            f"The checks found errors: {_listing(errors)}. Fix them, or write an override "
            "reason to approve the text as it is.",
            report=report,
            status=422,
            field="override_reason",
            code="override_reason_required",
        )
    update.state = UpdateState.APPROVED
    update.approver = permissions.person(by)
    update.approved_at = now or timezone.now()
    update.approved_hash = current
    update.override_reason = reason if errors else ""
    update.overridden_codes = sorted({f.code for f in errors})
    update.save()
    overridden = f", overriding {', '.join(update.overridden_codes)}" if errors else ""
    own = permissions.SELF_APPROVED if self_approved else ""
    audit.record(
        actor=by,
        action="update.approved",
        obj=update,
        summary=f"Approved an update on “{update.incident.title}”{overridden}{own}",
        changes={
            "content_hash": current,
            "approver": update.approver.get_username() if update.approver else None,
            "override_reason": update.override_reason,
            "overridden_codes": update.overridden_codes,
            "self_approved": self_approved,
        },
    )
    return update


def _require_approval(update: Update) -> None:
    """A person publishes only approved text, and only while the checks still let it through."""
    report = _check(update)
    if not update.approved_hash:
        raise Refused(
            "This update is not approved yet. An approver or the incident's commander approves "
            "it before it is published.",
            report=report,
            status=409,
            code="not_approved",
        )
    if update.approved_hash != content_hash_of(update):
        raise Refused(
            "The text changed since it was approved. It needs a new approval before it is "
            "published.",
            report=report,
            status=409,
            code="changed_since_approval",
        )
    blocking = [f for f in _errors(report) if f.code not in update.overridden_codes]
    if blocking:
        raise Refused(
            f"The checks found errors the approval did not override: {_listing(blocking)}. "
            "Fix them and approve again, or an approver overrides them with a written reason.",
            report=report,
            status=422,
            code="checks_failed",
        )


@transaction.atomic
def publish_update(
    *, update: Update, by, now: datetime | None = None, notify: bool = True
) -> Update:
    """Publish approved text; `permissions.SYSTEM` (clearline itself) needs no approval.

    `notify=False` publishes without telling subscribers (Statuspage's "send notifications"
    switch); drills and internal updates never tell them.
    """
    permissions.require_perm(by, "updates.publish_update")
    now = now or timezone.now()
    update = Update.objects.select_for_update().select_related("incident").get(pk=update.pk)
    if update.state == UpdateState.PUBLISHED:
        raise ClearlineError("This update is already published.", code="already_published")
    if not permissions.is_system(by) and needs_approval(update):
        _require_approval(update)
    if update.is_report and update.audience != Audience.PUBLIC:
        raise ClearlineError(
            "The internal report is for the team: it is exported, never published.",
            code="internal_report",
        )
    approved_hash = update.approved_hash
    incident = Incident.objects.select_for_update().get(pk=update.incident_id)
    if update.is_report and not incident.is_resolved:
        raise Conflict(
            "This incident is open again: a report follows its resolution. Publish updates "
            "until it is resolved, then bring the report up to date.",
            code="not_resolved",
        )
    # A report speaks of the incident after the fact: it moves no status, keeps no promise.
    moves_status = not update.is_report and (
        update.audience == Audience.PUBLIC or not incident.is_public
    )
    if not moves_status:
        # An internal note on a public incident must not change what customers see.
        update.status = incident.status
    if (
        update.status != IncidentStatus.RESOLVED
        and update.next_update_due is None
        and update.audience == Audience.PUBLIC
    ):
        update.next_update_due = default_next_update_due(incident, now=now)
    if update.status == IncidentStatus.RESOLVED:
        update.next_update_due = None

    if update.audience == Audience.PUBLIC and not update.is_report:
        update.lateness_seconds = _lateness_seconds(incident, now)
    update.state = UpdateState.PUBLISHED
    update.published_at = now
    update.save()

    before = incident.status
    if moves_status:
        incident.status = update.status
        stamp = STATUS_TIMESTAMP.get(IncidentStatus(update.status))
        if stamp and getattr(incident, stamp) is None:
            setattr(incident, stamp, now)
        if update.status != IncidentStatus.RESOLVED:
            incident.resolved_at = None
        incident.save()

    customer_visible = incident.is_public and update.audience == Audience.PUBLIC
    if customer_visible:
        for row in AffectedComponent.objects.filter(incident=incident).select_related("component"):
            component = row.component
            component.status = public_component_status(component)
            component.save(update_fields=["status", "updated_at"])

    audit.record(
        actor=by,
        action="update.published",
        obj=update,
        summary=f"Published {_what(update)} on “{incident.title}”",
        changes={
            "incident_status": [before, incident.status],
            "kind": update.kind,
            "audience": update.audience,
            "body": update.body,
            "approved_hash": approved_hash,
            "approver": update.approver.get_username() if update.approver else None,
            "override_reason": update.override_reason,
            "overridden_codes": update.overridden_codes,
        },
    )
    # Every publish is an event (the desk's record of who was told reads it); only text the
    # public can read is ever sent to subscribers.
    outbox.publish(
        EventKind.UPDATE_PUBLISHED,
        incident_id=incident.pk,
        update_id=update.pk,
        notify=notify and customer_visible,
    )
    return update


def _what(update: Update) -> str:
    if update.is_report:
        return f"the {update.get_kind_display().lower()}"
    return f"a {update.status} update"


@transaction.atomic
def approve_and_publish(
    *,
    update: Update,
    by,
    content_hash: str,
    override_reason: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> Update:
    """An approver's one action: their approval is recorded, then the text is published."""
    permissions.require_perm(by, "updates.publish_update")
    update = approve_update(
        update=update, by=by, content_hash=content_hash, override_reason=override_reason, now=now
    )
    return publish_update(update=update, by=by, now=now, notify=notify)


@transaction.atomic
def publish_new_update(
    *,
    incident: Incident,
    by,
    approve: bool = False,
    override_reason: str = "",
    notify: bool = True,
    **draft: Any,
) -> Update:
    """Write and publish in one transaction; a refused publish leaves no stray draft behind.

    A new text has no approval yet, so a person publishes it only with `approve=True`, which
    approves it first in their name.
    """
    permissions.require_perm(by, "updates.publish_update")
    update = draft_update(incident=incident, by=by, **draft)
    return _publish_as_saved(
        update, by=by, approve=approve, override_reason=override_reason, notify=notify
    )


@transaction.atomic
def publish_edited_update(
    *,
    update: Update,
    by,
    version: int,
    approve: bool = False,
    override_reason: str = "",
    notify: bool = True,
    **changes: Any,
) -> Update:
    """Save the editor's last changes and publish them, or do neither.

    Changed text loses its approval; `approve=True` approves the saved text in the editor's name.
    """
    permissions.require_perm(by, "updates.publish_update")
    update = edit_update(update=update, by=by, version=version, **changes)
    return _publish_as_saved(
        update, by=by, approve=approve, override_reason=override_reason, notify=notify
    )


def _publish_as_saved(
    update: Update, *, by, approve: bool, override_reason: str, notify: bool
) -> Update:
    """Publish the text just saved; with `approve`, approve exactly that text first."""
    if not approve:
        return publish_update(update=update, by=by, notify=notify)
    return approve_and_publish(
        update=update,
        by=by,
        content_hash=content_hash_of(update),
        override_reason=override_reason,
        notify=notify,
    )


@transaction.atomic
def approve_edited_update(
    *,
    update: Update,
    by,
    version: int,
    content_hash: str,
    override_reason: str = "",
    **changes: Any,
) -> Update:
    """The editor's Approve: approve what the approver has in front of them.

    `content_hash` is the hash of the text they loaded. If they changed nothing, that is what
    gets approved (a save by someone else meanwhile is a conflict); if they changed the text, it
    is saved first, with the usual version check, and the saved text is approved.
    """
    _require_approver(by, update.incident)
    stored = Update.objects.get(pk=update.pk)
    if content_hash_of(_with_changes(stored, **changes)) != content_hash:
        # Their change makes them a writer of the text: refused before anything is saved, on
        # the editor's form, so the words they typed stay in front of them.
        permissions.second_pair(by, getattr(by, "pk", None), field="body")
        update = edit_update(update=update, by=by, version=version, **changes)
        content_hash = content_hash_of(update)
    return approve_update(
        update=update, by=by, content_hash=content_hash, override_reason=override_reason
    )


def _with_changes(
    update: Update,
    *,
    body: str | None = None,
    status: str | None = None,
    next_update_due: datetime | None = None,
) -> Update:
    """The draft as `edit_update` would leave it, without saving."""
    update.body = clean_text(body if body is not None else update.body)
    update.status = status or update.status
    if next_update_due is not None:
        update.next_update_due = next_update_due
    return update
