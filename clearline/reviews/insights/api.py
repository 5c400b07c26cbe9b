"""`GET /api/insights`: the insights page's numbers, for dashboards and `clearline insights`."""

from dataclasses import asdict
from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema

from clearline.accounts.api import requires
from clearline.core.api import Timestamp, reads
from clearline.reviews.insights import selectors

router = Router(tags=["insights"])

Seconds = int | None


class SummaryOut(Schema):
    """Medians over the incidents of the group; counts summed. Times in whole seconds."""

    incidents: int
    first_update_seconds: Seconds = Field(
        description="Median time from when customers were first affected to the first "
        "customer update."
    )
    cadence_seconds: Seconds = Field(
        description="Median of each incident's mean gap between customer updates."
    )
    resolve_seconds: Seconds = Field(description="Median time from start to resolution.")
    resolved: int
    updates: int = Field(description="Customer updates published.")
    promised: int = Field(description="Updates published while a promised next update stood.")
    on_time: int
    late: int
    on_time_share: float | None = Field(description="on_time / promised; null when 0 promised.")
    mean_lateness_seconds: Seconds = Field(
        description="How late the late updates were, on average."
    )
    worst_lateness_seconds: Seconds
    actions_open: int = Field(description="Open or in progress, overdue ones included.")
    actions_overdue: int = Field(description="Open or in progress past their due day.")
    actions_closed: int = Field(description="Done or won't do.")


class KindsOut(Schema):
    real: SummaryOut
    drill: SummaryOut


class PeriodOut(KindsOut):
    start: date = Field(description="First day of the week (Monday) or month.")
    label: str


class InsightIncidentOut(Schema):
    id: str = Field(description="The incident's id.")
    title: str
    kind: Literal["real", "drill"]
    impact: str
    started_at: Timestamp
    resolved_at: Timestamp | None
    first_update_seconds: Seconds
    cadence_seconds: Seconds
    resolve_seconds: Seconds
    updates: int
    on_time: int
    late: int
    lateness_seconds: int = Field(description="The late updates' lateness, summed.")
    worst_lateness_seconds: Seconds
    actions_open: int
    actions_overdue: int
    actions_closed: int


class InsightsOut(Schema):
    by: Literal["month", "week"]
    since: date
    until: date
    time_zone: str = Field(description="The organisation's zone: days and periods are its.")
    generated_at: Timestamp
    overall: KindsOut
    periods: list[PeriodOut]
    incident_count: int = Field(description="Incidents started in the range.")
    incidents: list[InsightIncidentOut] = Field(description="The newest `limit` of them.")
    follow_ups: dict[str, int] | None = Field(
        description="Personal follow-ups of these incidents with key accounts: done, open, "
        "and overdue (open past their due day)."
    )


class InsightsQuery(Schema):
    by: Literal["month", "week"] = "month"
    since: date | None = Field(None, description="First day (default: 12 months or 13 weeks back).")
    until: date | None = Field(None, description="Last day, included (default: today).")
    limit: int = Field(
        100, ge=0, le=selectors.MAX_LISTED, description="How many incidents to list."
    )


def _summary(summary: selectors.Summary) -> dict:
    return {
        **asdict(summary),
        "promised": summary.promised,
        "on_time_share": summary.on_time_share,
    }


def insights_out(found: selectors.Insights) -> dict:
    """The one shape of the numbers: the API answers it and the command line prints it."""
    incidents = []
    for row in found.incidents:
        fields = asdict(row)
        for private in ("id", "public_id", "is_drill"):
            fields.pop(private)
        incidents.append({**fields, "id": row.public_id, "kind": row.kind})
    return {
        "by": found.by,
        "since": found.since,
        "until": found.until,
        "time_zone": found.time_zone,
        "generated_at": found.generated_at,
        "overall": {kind: _summary(found.overall[kind]) for kind in selectors.KINDS},
        "periods": [
            {
                "start": period.start,
                "label": period.label,
                "real": _summary(period.real),
                "drill": _summary(period.drill),
            }
            for period in found.periods
        ],
        "incident_count": found.incident_count,
        "incidents": incidents,
        "follow_ups": found.follow_ups,
    }


@router.get("/insights", response=reads(InsightsOut), auth=requires("incidents.view_incident"))
def get_insights(request, query: Query[InsightsQuery]):
    """Time to first update, updates on time and their lateness, time to resolve, action items,
    for real incidents and drills apart: in all, per week or month, and per incident."""
    found = selectors.insights(by=query.by, since=query.since, until=query.until, limit=query.limit)
    return insights_out(found)
