"""Follow-ups: each key account an incident touched gets a personal word from its owner once
the incident is resolved, by a due date counted in the organisation's business days."""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.accounts.roles import role_of
from clearline.core import audit, clock, limits, permissions
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.incidents.models import Incident
from clearline.loop import selectors
from clearline.loop.models import FollowUp, FollowUpState, IncidentAccount

NOT_YOURS = "Only the follow-up's owner or a responder marks it done."
ONLY_OPEN = "This follow-up is done: its owner and due date stay as they were when it was closed."
WITHDRAWN = "This follow-up was withdrawn: its key account is no longer linked to the incident."


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
    follow_up = _locked(follow_up)
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


def _locked(follow_up: FollowUp) -> FollowUp:
    """The follow-up as stored, locked; one withdrawn meanwhile (its account was unlinked) is a
    conflict rather than a crash."""
    # Only the follow-up's own row is locked: the incident and the people are read, not held.
    found = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("incident", "account", "owner")
        .filter(pk=follow_up.pk)
        .first()
    )
    if found is None:
        raise Conflict(WITHDRAWN, code="withdrawn")
    return found


def _require_due(due_date: date, *, now: datetime) -> None:
    today = selectors.today(now=now)
    if due_date < today:
        raise ClearlineError(
            f"{due_date:%d %B %Y} has passed; give today or a later date.", field="due_date"
        )
    if due_date - today > clock.PLAN_AHEAD:
        raise ClearlineError(
            f"Pick a date within {clock.PLAN_AHEAD.days} days: a follow-up is a word soon "
            "after the incident.",
            field="due_date",
        )


@transaction.atomic
def change_follow_up(
    *,
    follow_up: FollowUp,
    by,
    owner=None,
    due_date: date | None = None,
    now: datetime | None = None,
) -> FollowUp:
    """Hand an open follow-up to another owner, or move its due date (None keeps a value).
    A due date that is not changed may have passed: handing over an overdue follow-up is
    exactly when this is needed."""
    permissions.require_perm(by, "loop.change_followup")
    follow_up = _locked(follow_up)
    if follow_up.is_done:
        raise Conflict(ONLY_OPEN, code="already_done")
    before_owner, before_due = follow_up.owner, follow_up.due_date
    changes, said = {}, []
    if owner is not None and owner.pk != before_owner.pk:
        if not owner.is_active or role_of(owner) is None:
            raise ClearlineError(
                f"{owner.get_username()} cannot own a follow-up: owners are active people with "
                "a role in clearline.",
                field="owner",
            )
        follow_up.owner = owner
        changes["owner"] = [before_owner.get_username(), owner.get_username()]
        said.append(f"handed to {owner.get_username()}")
    if due_date is not None and due_date != before_due:
        _require_due(due_date, now=now or timezone.now())
        follow_up.due_date = due_date
        changes["due_date"] = [before_due.isoformat(), due_date.isoformat()]
        said.append(f"due {due_date:%d %B %Y}")
    if not changes:
        return follow_up
    follow_up.save(update_fields=["owner", "due_date"])
    if "owner" in changes:
        # An overdue reminder already sent went to the person before: the new owner is
        # reminded on the next promise check, as if the follow-up had just gone overdue.
        from clearline.promises.models import Reminder

        Reminder.objects.filter(follow_up=follow_up).delete()
    audit.record(
        actor=by,
        action="follow_up.changed",
        obj=follow_up,
        summary=f"Follow-up with “{follow_up.account.name}” on “{follow_up.incident.title}”: "
        + ", ".join(said),
        changes=changes,
    )
    return follow_up
