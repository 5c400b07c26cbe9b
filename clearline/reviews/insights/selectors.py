"""The numbers leadership asks about: were updates fast and on time, how long incidents lasted,
whether the changes that came of them were made — for real incidents and for drills apart.

The database does the counting: one grouped query over the incidents and their published
customer updates, one over the action items. Python then only takes medians over those rows
(a median is not a portable SQL aggregate) and sorts them into weeks or months in the
organisation's zone.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import connections
from django.db.models import Count, FloatField, Func, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core.errors import ClearlineError
from clearline.incidents.models import Incident
from clearline.reviews.actions.selectors import today
from clearline.reviews.models import ActionItem
from clearline.reviews.models.actions import CLOSED_STATUSES, OPEN_STATUSES
from clearline.updates.models import Audience, UpdateKind, UpdateState

PERIODS = ("month", "week")
# How far back the page looks unless asked: a year of months, a quarter of weeks.
DEFAULT_SPAN = {"month": 12, "week": 13}
KINDS = ("real", "drill")
MAX_DAYS = 3660
MAX_LISTED = 1000


@dataclass(frozen=True, slots=True)
class IncidentFigures:
    """One incident's response, as measured from its record."""

    id: int
    public_id: str
    title: str
    is_drill: bool
    impact: str
    started_at: datetime
    resolved_at: datetime | None
    # From when customers were first affected to the first customer update published.
    first_update_seconds: int | None
    # The mean gap between its published customer updates; needs two of them.
    cadence_seconds: int | None
    resolve_seconds: int | None
    updates: int
    # Updates published while an earlier one's promise stood: on time, or late by some seconds.
    on_time: int
    late: int
    lateness_seconds: int
    worst_lateness_seconds: int | None
    actions_open: int = 0
    actions_overdue: int = 0
    actions_closed: int = 0

    @property
    def kind(self) -> str:
        return "drill" if self.is_drill else "real"


@dataclass(frozen=True)
class Summary:
    """A group of incidents (real or drills, in one period or all): medians and counts."""

    incidents: int
    first_update_seconds: int | None
    cadence_seconds: int | None
    resolve_seconds: int | None
    resolved: int
    updates: int
    on_time: int
    late: int
    # Among the late ones: how late on average, and the latest.
    mean_lateness_seconds: int | None
    worst_lateness_seconds: int | None
    actions_open: int
    actions_overdue: int
    actions_closed: int

    @property
    def promised(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_share(self) -> float | None:
        """On-time updates over those a promise applied to; None when no promise was due."""
        return round(self.on_time / self.promised, 4) if self.promised else None


@dataclass(frozen=True)
class Period:
    start: date
    label: str
    real: Summary
    drill: Summary


@dataclass(frozen=True)
class Insights:
    by: str
    since: date
    until: date
    time_zone: str
    generated_at: datetime
    overall: dict[str, Summary]
    periods: list[Period]
    incidents: list[IncidentFigures]
    incident_count: int
    # The account owners' personal follow-ups of these incidents: done, open, overdue.
    follow_ups: dict[str, int] | None = field(default=None)


def follow_ups(*, incident_ids: Iterable[int]) -> dict[str, int]:
    """The account owners' personal follow-ups of these incidents: done, open, and overdue
    (open past their due day in the organisation's zone)."""
    # By name, not by import: the follow-ups app sits beside this one and reads its reports.
    follow_up = apps.get_model("loop", "FollowUp")
    counts = {"done": 0, "open": 0, "overdue": 0}
    ids = list(incident_ids)
    for start in range(0, len(ids), 900):  # within every database's limit of query parameters
        found = follow_up.objects.filter(incident_id__in=ids[start : start + 900]).aggregate(
            done=Count("pk", filter=Q(state="done")),
            open=Count("pk", filter=Q(state="open")),
            overdue=Count("pk", filter=Q(state="open", due_date__lt=today())),
        )
        for key in counts:
            counts[key] += found[key]
    return counts


def _median(values: list[int]) -> int | None:
    return int(median(values)) if values else None


def summarise(rows: list[IncidentFigures]) -> Summary:
    late_total = sum(row.lateness_seconds for row in rows)
    late = sum(row.late for row in rows)
    worst = [row.worst_lateness_seconds for row in rows if row.worst_lateness_seconds]
    return Summary(
        incidents=len(rows),
        first_update_seconds=_median(
            [r.first_update_seconds for r in rows if r.first_update_seconds is not None]
        ),
        cadence_seconds=_median([r.cadence_seconds for r in rows if r.cadence_seconds is not None]),
        resolve_seconds=_median([r.resolve_seconds for r in rows if r.resolve_seconds is not None]),
        resolved=sum(1 for r in rows if r.resolve_seconds is not None),
        updates=sum(r.updates for r in rows),
        on_time=sum(r.on_time for r in rows),
        late=late,
        mean_lateness_seconds=round(late_total / late) if late else None,
        worst_lateness_seconds=max(worst) if worst else None,
        actions_open=sum(r.actions_open for r in rows),
        actions_overdue=sum(r.actions_overdue for r in rows),
        actions_closed=sum(r.actions_closed for r in rows),
    )


def period_start(moment: datetime, *, by: str, zone: ZoneInfo) -> date:
    day = timezone.localtime(moment, zone).date()
    if by == "week":
        return day - timedelta(days=day.weekday())  # weeks start on Monday, as ISO weeks do
    return day.replace(day=1)


def _next(start: date, by: str) -> date:
    if by == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _label(start: date, by: str) -> str:
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%b %Y")


def _previous(start: date, by: str) -> date:
    if by == "week":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


def default_since(*, by: str, on: date) -> date:
    """The first day of the period DEFAULT_SPAN periods back, counting the one holding `on`."""
    start = on - timedelta(days=on.weekday()) if by == "week" else on.replace(day=1)
    for _ in range(DEFAULT_SPAN[by] - 1):
        start = _previous(start, by)
    return start


def incident_figures(*, since: datetime, until: datetime) -> list[IncidentFigures]:
    """Every incident that started in [since, until), newest first, with its response measured.

    Two queries whatever the number of incidents: the updates are joined once (so nothing is
    counted twice) and the action items are counted in a query of their own.
    """
    customer = Q(
        updates__state=UpdateState.PUBLISHED,
        updates__audience=Audience.PUBLIC,
        updates__kind=UpdateKind.UPDATE,
    )
    late = customer & Q(updates__lateness_seconds__gt=0)
    rows = (
        Incident.objects.filter(started_at__gte=since, started_at__lt=until)
        .values("id", "public_id", "title", "is_drill", "impact")
        .annotate(
            started=Epoch("started_at"),
            resolved=Epoch("resolved_at"),
            first=Epoch(Min("updates__published_at", filter=customer)),
            last=Epoch(Max("updates__published_at", filter=customer)),
            updates_count=Count("updates", filter=customer),
            on_time=Count("updates", filter=customer & Q(updates__lateness_seconds=0)),
            late=Count("updates", filter=late),
            lateness=Sum("updates__lateness_seconds", filter=late),
            worst=Max("updates__lateness_seconds", filter=late),
        )
        .order_by("-started_at", "-id")
    )
    rows = _read(rows)
    actions = _action_counts(since=since, until=until) if rows else {}
    return [_figures(row, actions.get(row["id"], {})) for row in rows]


class Epoch(Func):
    """A time as seconds since 1970, computed by the database.

    The durations are differences of these: numbers cross the driver as they are, where 40,000
    times would each be parsed into a datetime (two thirds of the page's time over 10,000
    incidents). SQLite keeps times as UTC text, which julianday() reads.
    """

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _read(rows: QuerySet) -> list[dict]:
    """The rows as the driver returns them: numbers and text, nothing for Django to convert
    (its per-value converters would cost a third of the time over 10,000 incidents)."""
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _action_counts(*, since: datetime, until: datetime) -> dict[int, dict[str, int]]:
    on = today()
    # The incidents are chosen by the same window rather than by a list of ids: 10,000 ids
    # would pass SQLite's limit on query parameters.
    counted = (
        ActionItem.objects.filter(incident__started_at__gte=since, incident__started_at__lt=until)
        .values("incident_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=on)),
            closed=Count("id", filter=Q(status__in=CLOSED_STATUSES)),
        )
        .order_by()
    )
    return {row.pop("incident_id"): row for row in counted}


def _figures(row: dict, actions: dict[str, int]) -> IncidentFigures:
    first, last, count = row["first"], row["last"], row["updates_count"]
    started, resolved = row["started"], row["resolved"]
    return IncidentFigures(
        id=row["id"],
        public_id=row["public_id"],
        title=row["title"],
        is_drill=bool(row["is_drill"]),  # SQLite answers 0 or 1
        impact=row["impact"],
        started_at=datetime.fromtimestamp(started, UTC),
        resolved_at=None if resolved is None else datetime.fromtimestamp(resolved, UTC),
        first_update_seconds=None if first is None else round(first - started),
        cadence_seconds=round((last - first) / (count - 1)) if count > 1 else None,
        resolve_seconds=None if resolved is None else round(resolved - started),
        updates=count,
        on_time=row["on_time"],
        late=row["late"],
        lateness_seconds=row["lateness"] or 0,
        worst_lateness_seconds=row["worst"],
        actions_open=actions.get("open", 0),
        actions_overdue=actions.get("overdue", 0),
        actions_closed=actions.get("closed", 0),
    )


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def insights(
    *,
    by: str = "month",
    since: date | None = None,
    until: date | None = None,
    limit: int = 100,
) -> Insights:
    """The insights of incidents started from `since` up to and including `until` (days in the
    organisation's zone), by week or month; the `limit` newest incidents listed one by one."""
    if by not in PERIODS:
        raise ClearlineError(f"Choose one of {', '.join(PERIODS)}.", field="by")
    if not 0 <= limit <= MAX_LISTED:
        raise ClearlineError(f"List 0 to {MAX_LISTED} incidents.", field="limit")
    org = Organisation.current()
    zone = org.zone
    now = timezone.now()
    until = until or timezone.localtime(now, zone).date()
    since = since or default_since(by=by, on=until)
    if since > until:
        raise ClearlineError(
            "The range ends before it begins: since is after until.", field="since"
        )
    if (until - since).days > MAX_DAYS:
        raise ClearlineError("Ask for ten years at most.", field="since")
    rows = incident_figures(
        since=_midnight(since, zone), until=_midnight(until + timedelta(days=1), zone)
    )
    grouped: dict[tuple[date, str], list[IncidentFigures]] = {}
    for row in rows:
        key = (period_start(row.started_at, by=by, zone=zone), row.kind)
        grouped.setdefault(key, []).append(row)
    periods = []
    start = period_start(_midnight(since, zone), by=by, zone=zone)
    while start <= until:
        periods.append(
            Period(
                start=start,
                label=_label(start, by),
                real=summarise(grouped.get((start, "real"), [])),
                drill=summarise(grouped.get((start, "drill"), [])),
            )
        )
        start = _next(start, by)
    return Insights(
        by=by,
        since=since,
        until=until,
        time_zone=org.time_zone,
        generated_at=now,
        overall={kind: summarise([r for r in rows if r.kind == kind]) for kind in KINDS},
        periods=periods,
        incidents=rows[:limit],
        incident_count=len(rows),
        follow_ups=follow_ups(incident_ids=[row.id for row in rows]),
    )
