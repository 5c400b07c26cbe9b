"""What the desk, the API, the export and the reminder check read of action items."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.accounts.roles import ROLES
from clearline.incidents.models import Incident
from clearline.reviews.models import ActionItem
from clearline.reviews.models.actions import OPEN_STATUSES


def today(*, now: datetime | None = None, zone: ZoneInfo | None = None) -> date:
    """The organisation's date (`zone` when the caller holds it): an item due on it is not
    overdue until the day is out there."""
    return timezone.localdate(now or timezone.now(), zone or Organisation.current().zone)


def overdue_from(due_date: date, zone: ZoneInfo) -> datetime:
    """The moment an item due on `due_date` goes overdue: its day is over in `zone`."""
    return datetime.combine(due_date + timedelta(days=1), time.min, tzinfo=zone)


def is_overdue(item: ActionItem, *, on: date) -> bool:
    return item.status in OPEN_STATUSES and item.due_date < on


def _late(on: date | None) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=on or today())


def _with_people(items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return items.select_related("incident", "owner", "created_by", "closed_by")


def action_items(
    *,
    incident: Incident | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    on: date | None = None,
) -> QuerySet[ActionItem]:
    """Action items, soonest due first; of one incident, in one status, overdue or not as of
    the date `on` (the organisation's today by default)."""
    items = ActionItem.objects.all()
    if incident is not None:
        items = items.filter(incident=incident)
    if status is not None:
        items = items.filter(status=status)
    if overdue is not None:
        late = _late(on)
        items = items.filter(late) if overdue else items.exclude(late)
    return _with_people(items).order_by("due_date", "id")


def overdue_action_items(*, on: date | None = None) -> QuerySet[ActionItem]:
    """Open and in-progress items whose due date had passed on the date `on` (the
    organisation's today by default), across every incident."""
    return _with_people(ActionItem.objects.filter(_late(on))).order_by("due_date", "id")


def action_item(public_id: str) -> ActionItem | None:
    return _with_people(ActionItem.objects.filter(public_id=public_id)).first()


def listed(items: QuerySet[ActionItem], *, on: date) -> list[ActionItem]:
    """The items with `overdue` and `days_late` set on each as of `on`, for the desk to mark."""
    found = list(items)
    for item in found:
        item.overdue = is_overdue(item, on=on)
        item.days_late = (on - item.due_date).days if item.overdue else 0
    return found


def possible_owners() -> QuerySet:
    """Who may own an action item: the active people with a role."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=ROLES) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
