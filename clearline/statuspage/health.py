"""Overall page status and the 90-day uptime bars, computed from public incident history."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from clearline.incidents.models import STATUS_SEVERITY, Component, ComponentStatus, Incident

IMPACT_RANK = {"none": 0, "minor": 1, "major": 2, "critical": 3}
INDICATOR_DESCRIPTION = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
    "maintenance": "Service Under Maintenance",
}
COMPONENT_INDICATOR = {
    ComponentStatus.OPERATIONAL: "none",
    ComponentStatus.DEGRADED: "minor",
    ComponentStatus.PARTIAL: "major",
    ComponentStatus.MAJOR: "critical",
}
# How much of an interval counts as downtime, by the component's status during it.
DOWNTIME_WEIGHT = {
    ComponentStatus.MAJOR: 1.0,
    ComponentStatus.PARTIAL: 0.3,
    ComponentStatus.DEGRADED: 0.0,
    ComponentStatus.MAINTENANCE: 0.0,
    ComponentStatus.OPERATIONAL: 0.0,
}


def page_status(
    components: list[Component], unresolved: list[Incident], maintenance_active: bool
) -> dict[str, str]:
    """Statuspage's {"indicator", "description"}: the worst of incidents and components."""
    rank = max([IMPACT_RANK[i.impact] for i in unresolved] or [0])
    for component in components:
        indicator = COMPONENT_INDICATOR.get(ComponentStatus(component.status), "none")
        rank = max(rank, IMPACT_RANK[indicator])
    indicator = next(k for k, v in IMPACT_RANK.items() if v == rank)
    if indicator == "none" and (
        maintenance_active or any(c.status == ComponentStatus.MAINTENANCE for c in components)
    ):
        indicator = "maintenance"
    return {"indicator": indicator, "description": INDICATOR_DESCRIPTION[indicator]}


@dataclass
class Day:
    day: date
    status: str  # worst component status seen that day
    downtime_minutes: float
    incident_titles: list[str]

    @property
    def label(self) -> str:
        if self.status == ComponentStatus.OPERATIONAL:
            return f"{self.day:%d %b %Y}: no incidents"
        kind = ComponentStatus(self.status).label.lower()
        return f"{self.day:%d %b %Y}: {kind} — {'; '.join(self.incident_titles)}"


@dataclass
class Uptime:
    days: list[Day]
    percent: float


def uptime_bars(
    *, component_ids: list[int], rows: list[dict], now: datetime, zone: ZoneInfo, days: int = 90
) -> dict[int, Uptime]:
    """Per component, one Day per calendar day (organisation time) for the last `days` days."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    window_start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    grid: dict[int, list[Day]] = {
        cid: [
            Day(first + timedelta(days=n), ComponentStatus.OPERATIONAL, 0.0, [])
            for n in range(days)
        ]
        for cid in component_ids
    }
    for row in rows:
        cid = row["component_id"]
        if cid not in grid:
            continue
        # Only the window counts: a start before it or an end after now (a time stored some
        # other way, even at the calendar's ends) is cut to the window, so the walk below is
        # at most `days` days long.
        start = max(row["incident__started_at"], window_start)
        end = min(row["incident__resolved_at"] or now, now)
        if end <= start:
            continue
        weight = DOWNTIME_WEIGHT[ComponentStatus(row["status"])]
        cursor = start
        while cursor < end:
            local = cursor.astimezone(zone)
            day_end = datetime.combine(
                local.date() + timedelta(days=1), datetime.min.time(), tzinfo=zone
            )
            chunk_end = min(end, day_end)
            index = (local.date() - first).days
            if 0 <= index < days:
                cell = grid[cid][index]
                if (
                    STATUS_SEVERITY[ComponentStatus(row["status"])]
                    > STATUS_SEVERITY[ComponentStatus(cell.status)]
                ):
                    cell.status = row["status"]
                cell.downtime_minutes += weight * (chunk_end - cursor).total_seconds() / 60
                title = row["incident__title"]
                if title not in cell.incident_titles:
                    cell.incident_titles.append(title)
            cursor = chunk_end
    total_minutes = days * 24 * 60
    result = {}
    for cid, cells in grid.items():
        down = min(sum(c.downtime_minutes for c in cells), total_minutes)
        result[cid] = Uptime(days=cells, percent=round(100 * (1 - down / total_minutes), 2))
    return result
