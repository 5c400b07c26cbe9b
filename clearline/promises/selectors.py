from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery

from clearline.accounts.models import Organisation
from clearline.accounts.selectors import responders
from clearline.incidents.models import Incident, IncidentStatus
from clearline.loop import selectors as loop
from clearline.loop.models import FollowUp
from clearline.promises.models import Reminder, ReminderKind
from clearline.reviews.actions.selectors import overdue_action_items, overdue_from, today
from clearline.reviews.models import ActionItem
from clearline.updates.models import Update
from clearline.updates.selectors import public_updates


def _promises_in_force() -> QuerySet[Incident]:
    """The id of the promise in force on every unresolved incident, drills and internal ones too."""
    return (
        Incident.objects.exclude(status=IncidentStatus.RESOLVED)
        .annotate(promise=Subquery(public_updates(OuterRef("pk")).values("pk")[:1]))
        .values("promise")
    )


def promises_due(*, before: datetime) -> QuerySet[Update]:
    """Promised updates that fall due before `before` and have not been kept yet."""
    return Update.objects.filter(
        pk__in=_promises_in_force(), next_update_due__lte=before
    ).select_related("incident")


def actions_gone_overdue(*, now: datetime, attempts: int) -> list[tuple[ActionItem, datetime]]:
    """Each overdue action item with the moment it went overdue, unless its reminder for that
    moment was sent or has used its `attempts`."""
    zone = Organisation.current().zone
    items = list(overdue_action_items(on=today(now=now, zone=zone)))
    finished = set(
        Reminder.objects.filter(action_item__in=items)
        .filter(Q(sent_at__isnull=False) | Q(attempts__gte=attempts))
        .values_list("action_item_id", "due_at")
    )
    due = [(item, overdue_from(item.due_date, zone)) for item in items]
    return [(item, at) for item, at in due if (item.pk, at) not in finished]


def follow_ups_gone_overdue(*, now: datetime, attempts: int) -> list[tuple[FollowUp, datetime]]:
    """Each overdue follow-up with the moment it went overdue, unless its reminder for that
    moment was sent or has used its `attempts`."""
    items = list(loop.follow_ups(overdue=True, on=loop.today(now=now)))
    finished = set(
        Reminder.objects.filter(follow_up__in=items)
        .filter(Q(sent_at__isnull=False) | Q(attempts__gte=attempts))
        .values_list("follow_up_id", "due_at")
    )
    due = [(item, loop.overdue_from(item.due_date)) for item in items]
    return [(item, at) for item, at in due if (item.pk, at) not in finished]


def is_in_force(reminder: Reminder) -> bool:
    """False once a newer public update made a new promise or the incident was resolved; for an
    action item, once it is closed or given a new due date."""
    if reminder.follow_up_id is not None:
        follow_up = reminder.follow_up
        return not follow_up.is_done and loop.overdue_from(follow_up.due_date) == reminder.due_at
    if reminder.action_item_id is not None:
        item = reminder.action_item
        zone = Organisation.current().zone
        return not item.is_closed and overdue_from(item.due_date, zone) == reminder.due_at
    return not reminder.incident.is_resolved and (
        public_updates(reminder.incident).values_list("pk", flat=True).first() == reminder.update_id
    )


def _owner(incident: Incident):
    """Who keeps the promise: the comms owner, else the commander; None leaves it to responders."""
    for person in (incident.comms_owner, incident.commander):
        if person is not None and person.is_active:
            return person
    return None


def people_to_remind(reminder: Reminder) -> list:
    """An action item's owner, while active; for an update, whoever keeps the promise."""
    if reminder.follow_up_id is not None:
        owner = reminder.follow_up.owner
        return [owner] if owner.is_active else []
    if reminder.action_item_id is not None:
        owner = reminder.action_item.owner
        return [owner] if owner.is_active else []
    owner = _owner(reminder.incident)
    return [owner] if owner else list(responders())


def reminders_for(user) -> list[Reminder]:
    """The reminders a person should see on the desk: promises in force they keep, most urgent
    kind per incident."""
    reminders = (
        Reminder.objects.filter(update__in=_promises_in_force())
        .select_related("incident__comms_owner", "incident__commander")
        .order_by("due_at", "incident_id")
    )
    shown: dict[int, Reminder] = {}
    for reminder in reminders:
        kept = shown.get(reminder.incident_id)
        if kept is not None and kept.kind == ReminderKind.OVERDUE:
            continue
        owner = _owner(reminder.incident)
        if owner is None and not responders().filter(pk=user.pk).exists():
            continue
        if owner is not None and owner.pk != user.pk:
            continue
        shown[reminder.incident_id] = reminder
    return list(shown.values())
