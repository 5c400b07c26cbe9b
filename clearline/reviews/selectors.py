"""What the desk and the private API read of the after-incident records. Nothing here is public."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from clearline.incidents.models import Fact, FactKind, FactStatus, Incident
from clearline.reviews.models import PlanItem


def plan_of(incident: Incident, *, now: datetime | None = None) -> list[PlanItem]:
    """The incident's first-week plan by due time, each item with `overdue` set."""
    now = now or timezone.now()
    items = list(
        PlanItem.objects.filter(incident=incident).select_related(
            "owner", "closed_by", "completed_by"
        )
    )
    for item in items:
        item.overdue = item.is_overdue(now)
    return items


def overdue_items(*, now: datetime | None = None) -> QuerySet[PlanItem]:
    """Open steps past their due time on every incident, the longest overdue first."""
    return (
        PlanItem.objects.overdue(now or timezone.now())
        .select_related("incident", "owner")
        .order_by("due_at", "id")
    )


def plan_item(public_id: str) -> PlanItem | None:
    return PlanItem.objects.filter(public_id=public_id).select_related("incident", "owner").first()


def settled_facts(incident: Incident, subject: str) -> list[str]:
    """The texts of the ledger's confirmed facts (and answered questions) on `subject`, oldest
    first: what the after-incident texts may state."""
    return list(
        Fact.objects.filter(
            incident=incident,
            kind=FactKind.FACT,
            status__in=[FactStatus.CONFIRMED, FactStatus.ANSWERED],
            subject=subject,
        )
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )
