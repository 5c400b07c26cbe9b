"""Draft → published. `publish_update` is the only way anything becomes visible to customers."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core import audit
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.incidents.models import AffectedComponent, Incident, IncidentStatus
from clearline.incidents.services import public_component_status
from clearline.updates.models import Audience, Update, UpdateState
from clearline.updates.selectors import public_updates

STATUS_TIMESTAMP = {
    IncidentStatus.IDENTIFIED: "identified_at",
    IncidentStatus.MONITORING: "monitoring_at",
    IncidentStatus.RESOLVED: "resolved_at",
}


def _require_perm(by, perm: str) -> None:
    # `by=None` is clearline itself (CLI, demo loader); people must hold the permission.
    if by is not None and not by.has_perm(perm):
        raise PermissionDenied()


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
    *, incident: Incident, status: str, body: str, audience: str, next_update_due: datetime | None
) -> None:
    if not body.strip():
        raise ClearlineError("Write the update text.", field="body")
    if status not in IncidentStatus.values:
        raise ClearlineError(f"{status!r} is not an incident status.", field="status")
    if audience not in Audience.values:
        raise ClearlineError(f"{audience!r} is not an audience.", field="audience")
    if next_update_due is not None and timezone.is_naive(next_update_due):
        raise ClearlineError("Give the next update time with a time zone.", field="next_update_due")


@transaction.atomic
def draft_update(
    *,
    incident: Incident,
    by,
    body: str,
    status: str | None = None,
    audience: str = Audience.PUBLIC,
    next_update_due: datetime | None = None,
) -> Update:
    _require_perm(by, "updates.add_update")
    status = status or incident.status
    _validate(
        incident=incident,
        status=status,
        body=body,
        audience=audience,
        next_update_due=next_update_due,
    )
    update = Update.objects.create(
        incident=incident,
        status=status,
        body=body.strip(),
        audience=audience,
        next_update_due=next_update_due,
        author=by if by and by.pk else None,
    )
    audit.record(
        actor=by,
        action="update.drafted",
        obj=update,
        summary=f"Drafted a {status} update on “{incident.title}”",
        changes={"body": update.body, "audience": audience},
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
    _require_perm(by, "updates.change_update")
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
    update.body = (body if body is not None else update.body).strip()
    update.status = status or update.status
    if next_update_due is not None:
        update.next_update_due = next_update_due
    _validate(
        incident=update.incident,
        status=update.status,
        body=update.body,
        audience=update.audience,
        next_update_due=update.next_update_due,
    )
    if update.state == UpdateState.APPROVED:
        update.state, update.approver, update.approved_at = UpdateState.DRAFT, None, None
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


@transaction.atomic
def publish_update(*, update: Update, by, now: datetime | None = None) -> Update:
    _require_perm(by, "updates.publish_update")
    now = now or timezone.now()
    update = Update.objects.select_for_update().select_related("incident").get(pk=update.pk)
    if update.state == UpdateState.PUBLISHED:
        raise ClearlineError("This update is already published.", code="already_published")
    incident = Incident.objects.select_for_update().get(pk=update.incident_id)
    moves_status = update.audience == Audience.PUBLIC or not incident.is_public
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

    if update.audience == Audience.PUBLIC:
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
        summary=f"Published a {update.status} update on “{incident.title}”",
        changes={
            "incident_status": [before, incident.status],
            "audience": update.audience,
            "body": update.body,
        },
    )
    if customer_visible:
        from clearline.statuspage.snapshot import schedule_render

        schedule_render(incident_ids=[incident.pk])
    return update


@transaction.atomic
def publish_new_update(*, incident: Incident, by, **draft: Any) -> Update:
    """Write and publish in one transaction; a refused publish leaves no stray draft behind."""
    return publish_update(update=draft_update(incident=incident, by=by, **draft), by=by)


@transaction.atomic
def publish_edited_update(*, update: Update, by, version: int, **changes: Any) -> Update:
    """Save the editor's last changes and publish them, or do neither."""
    update = edit_update(update=update, by=by, version=version, **changes)
    return publish_update(update=update, by=by)
