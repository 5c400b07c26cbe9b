from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from clearline.accounts.selectors import responders
from clearline.incidents.models import Incident, IncidentStatus
from clearline.promises.models import Reminder, ReminderKind
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


def is_in_force(reminder: Reminder) -> bool:
    """False once a newer public update made a new promise or the incident was resolved."""
    return not reminder.incident.is_resolved and (
        public_updates(reminder.incident).values_list("pk", flat=True).first() == reminder.update_id
    )


def _owner(incident: Incident):
    """Who keeps the promise: the comms owner, else the commander; None leaves it to responders."""
    for person in (incident.comms_owner, incident.commander):
        if person is not None and person.is_active:
            return person
    return None


def people_to_remind(incident: Incident) -> list:
    owner = _owner(incident)
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
