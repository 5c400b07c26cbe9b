"""Follow-ups: each key account an incident touched gets a personal word from its owner once
the incident is resolved, by a due date counted in the organisation's business days."""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core import audit, limits, permissions
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.incidents.models import Incident
from clearline.loop.models import FollowUp, FollowUpState, IncidentAccount

NOT_YOURS = "Only the follow-up's owner or a responder marks it done."


def due_date_from(moment: datetime) -> date:
    """The day a follow-up starting at `moment` is due: the configured number of business
    days after that day in the organisation's calendar (2 unless set otherwise)."""
    org = Organisation.current()
    start = timezone.localdate(moment, org.zone)
    days = settings.CLEARLINE_FOLLOW_UP_BUSINESS_DAYS
    return org.calendar.nth_business_day_after(start, days) if days > 0 else start


def create_follow_ups(*, incident: Incident, now: datetime | None = None) -> list[FollowUp]:
    """A follow-up for every key account linked to the resolved `incident` that has none yet,
    owned by the account's owner; the new ones. Safe to run again."""
    incident = Incident.objects.get(pk=incident.pk)  # its status as committed, not as passed
    if not incident.is_resolved:
        return []
    now = now or timezone.now()
    due = due_date_from(now)
    links = (
        IncidentAccount.objects.filter(incident=incident)
        .exclude(account__follow_ups__incident=incident)
        .select_related("account__owner")
    )
    made = []
    with transaction.atomic():
        for link in links:
            follow_up, created = FollowUp.objects.get_or_create(
                incident=incident,
                account=link.account,
                defaults={"owner": link.account.owner, "due_date": due, "created_at": now},
            )
            if created:
                made.append(follow_up)
                audit.record(
                    actor=permissions.SYSTEM,
                    action="follow_up.created",
                    obj=follow_up,
                    summary=f"Follow-up for {link.account.owner.get_username()} with "
                    f"“{link.account.name}” on “{incident.title}”, due {due:%d %B %Y}",
                    changes={"due_date": due.isoformat()},
                )
    return made


def may_complete(by, follow_up: FollowUp) -> bool:
    if permissions.is_system(by) or by.has_perm("loop.change_followup"):
        return True
    return getattr(by, "pk", None) == follow_up.owner_id and by.has_perm("loop.view_followup")


@transaction.atomic
def complete_follow_up(
    *, follow_up: FollowUp, by, note: str, now: datetime | None = None
) -> FollowUp:
    """Mark a follow-up done with a note of what was said; a done follow-up stays done."""
    if not may_complete(by, follow_up):
        raise PermissionDenied(NOT_YOURS)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.is_done:
        raise Conflict("This follow-up is already done.", code="already_done")
    note = (note or "").replace("\r\n", "\n").strip()
    if not note:
        raise ClearlineError(
            "Write a note: what you told the customer, and anything still owed.", field="note"
        )
    limits.accept(note, limits.ACTION_NOTE, field="note")
    follow_up.state = FollowUpState.DONE
    follow_up.note = note
    follow_up.done_at = now or timezone.now()
    follow_up.done_by = permissions.person(by)
    follow_up.save()
    audit.record(
        actor=by,
        action="follow_up.done",
        obj=follow_up,
        summary=f"Followed up with “{follow_up.account.name}” on “{follow_up.incident.title}”",
        changes={"note": note},
    )
    return follow_up
