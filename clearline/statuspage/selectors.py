"""Public selectors: the only source for public pages, JSON, feeds and snapshots.

Everything here excludes internal incidents, drills, drafts and internal updates. A public surface
that queries models directly is a bug.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Min, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from clearline.brief.models import Answer, AnswerState, Topic
from clearline.core.clock import EARLIEST, in_zone
from clearline.incidents.models import (
    AffectedComponent,
    Component,
    ComponentGroup,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Visibility,
)
from clearline.updates.models import Update


def public_incidents() -> QuerySet[Incident]:
    """Incident.objects.public(), with what the pages show of each read in a few queries."""
    return (
        Incident.objects.public()
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=Update.objects.public().order_by("-published_at", "-id"),
                to_attr="public_updates",
            ),
            Prefetch(
                "affected",
                # The group too: Statuspage's component documents name it, once per row.
                queryset=AffectedComponent.objects.select_related(
                    "component", "component__group"
                ).filter(component__showcase=True),
                to_attr="public_affected",
            ),
            "segments",
        )
        .order_by("-started_at", "-id")
    )


def unresolved_incidents() -> QuerySet[Incident]:
    # The open statuses by name, not "not resolved", so the status index can find them.
    open_statuses = [s for s in IncidentStatus.values if s != IncidentStatus.RESOLVED]
    return public_incidents().filter(status__in=open_statuses)


def incidents_between(start: datetime, end: datetime) -> QuerySet[Incident]:
    return public_incidents().filter(started_at__gte=start, started_at__lt=end)


def incident_by_public_id(public_id: str) -> Incident | None:
    return public_incidents().filter(public_id=public_id).first()


def public_faq(incident: Incident) -> list[Answer]:
    """Answers to customers' questions an approver chose to show on this incident's page.

    Only for a public, non-drill incident, and only while the text is the one approved.
    """
    if not incident.is_public:
        return []
    answers = Answer.objects.filter(
        incident=incident,
        incident__visibility=Visibility.PUBLIC,
        incident__is_drill=False,
        topic=Topic.FAQ,
        state=AnswerState.APPROVED,
        show_on_status_page=True,
    ).order_by("approved_at", "id")
    return [answer for answer in answers if answer.is_approved]


def public_components() -> QuerySet[Component]:
    return Component.objects.filter(showcase=True).select_related("group")


def component_groups() -> QuerySet[ComponentGroup]:
    return ComponentGroup.objects.prefetch_related(
        Prefetch(
            "components",
            queryset=Component.objects.filter(showcase=True),
            to_attr="public_components",
        )
    )


def public_maintenances() -> QuerySet[Maintenance]:
    return Maintenance.objects.public().prefetch_related(
        Prefetch("components", queryset=Component.objects.filter(showcase=True))
    )


def upcoming_maintenances() -> QuerySet[Maintenance]:
    return public_maintenances().filter(status=MaintenanceStatus.SCHEDULED)


def active_maintenances() -> QuerySet[Maintenance]:
    return public_maintenances().filter(
        status__in=[MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING]
    )


def outage_rows_since(start: datetime) -> QuerySet[AffectedComponent]:
    """Component impact of public incidents that overlap [start, now], for the uptime bars."""
    # Two index lookups (still open; resolved since `start`) rather than one test of every
    # incident ever published.
    still_open = public_incidents().filter(resolved_at__isnull=True).values("pk")
    resolved_since = public_incidents().filter(resolved_at__gte=start).values("pk")
    return AffectedComponent.objects.filter(
        Q(incident__in=still_open) | Q(incident__in=resolved_since)
    ).values(
        "component_id",
        "incident_id",
        "status",
        "incident__started_at",
        "incident__resolved_at",
        "incident__title",
    )


def page_began() -> datetime | None:
    """When the public page began: its first component or its first public incident's start,
    whichever is earlier. Times before clearline's earliest date (stored some other way) do not
    count, so they cannot open the calendar to any month."""
    first_component = Component.objects.filter(created_at__gte=EARLIEST).aggregate(
        first=Min("created_at")
    )["first"]
    first_incident = (
        public_incidents()
        .filter(started_at__gte=EARLIEST)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return min(filter(None, [first_component, first_incident]), default=None)


def nearest_incident_month(
    instant: datetime, zone: ZoneInfo, *, older: bool, within: tuple[datetime, datetime]
) -> datetime | None:
    """The nearest month (in `zone`) with a public incident started before `instant` (older) or
    at or after it, among incidents started `within` [first, last) instants.

    One row, not the list of every month: a page's links must not cost more as history grows.
    """
    rows = public_incidents().filter(started_at__gte=within[0], started_at__lt=within[1])
    if older:
        rows = rows.filter(started_at__lt=instant).order_by("-started_at")
    else:
        rows = rows.filter(started_at__gte=instant).order_by("started_at")
    started = rows.values_list("started_at", flat=True).first()
    if started is None:
        return None
    local = in_zone(started, zone)
    return datetime(local.year, local.month, 1, tzinfo=zone)


def incident_months(zone: ZoneInfo, *, within: tuple[datetime, datetime]) -> list[datetime]:
    """The first instant of every month (in `zone`) with a public incident started `within`
    [first, last) instants, newest first."""
    return list(
        public_incidents()
        .filter(started_at__gte=within[0], started_at__lt=within[1])
        .annotate(month=TruncMonth("started_at", tzinfo=zone))
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )
