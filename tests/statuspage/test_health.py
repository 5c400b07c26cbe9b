"""The banner and the 90-day bars tell the truth about public incident history."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from clearline.statuspage.health import page_status, uptime_bars

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def row(component_id, status, start, end, title="Outage"):
    return {
        "component_id": component_id,
        "incident_id": 1,
        "status": status,
        "incident__started_at": start,
        "incident__resolved_at": end,
        "incident__title": title,
    }


def test_it_marks_the_day_of_a_major_outage_and_counts_its_minutes():
    start = NOW - timedelta(days=1, hours=3)
    bars = uptime_bars(
        component_ids=[7],
        now=NOW,
        zone=ZoneInfo("UTC"),
        rows=[row(7, "major_outage", start, start + timedelta(hours=2))],
    )
    days = bars[7].days
    assert len(days) == 90 and days[-1].day == NOW.date()
    assert days[-2].status == "major_outage" and days[-2].downtime_minutes == 120
    assert "Outage" in days[-2].label
    assert {d.status for d in days[:-2] + days[-1:]} == {"operational"}
    assert bars[7].percent == round(100 * (1 - 120 / (90 * 24 * 60)), 2)


def test_it_splits_an_outage_across_midnight_in_the_organisation_zone():
    zone = ZoneInfo("America/New_York")
    start = datetime(2026, 11, 24, 23, 0, tzinfo=zone)
    bars = uptime_bars(
        component_ids=[1],
        now=NOW,
        zone=zone,
        rows=[row(1, "partial_outage", start, start + timedelta(hours=2))],
    )
    marked = [d for d in bars[1].days if d.status != "operational"]
    assert [d.day.isoformat() for d in marked] == ["2026-11-24", "2026-11-25"]
    assert [round(d.downtime_minutes) for d in marked] == [18, 18]  # 60 min × 0.3 each


def test_it_counts_an_unresolved_outage_up_to_now():
    bars = uptime_bars(
        component_ids=[1],
        now=NOW,
        zone=ZoneInfo("UTC"),
        rows=[row(1, "major_outage", NOW - timedelta(minutes=30), None)],
    )
    assert bars[1].days[-1].downtime_minutes == 30


def test_it_ignores_history_older_than_ninety_days():
    old = NOW - timedelta(days=200)
    bars = uptime_bars(
        component_ids=[1],
        now=NOW,
        zone=ZoneInfo("UTC"),
        rows=[row(1, "major_outage", old, old + timedelta(hours=5))],
    )
    assert bars[1].percent == 100.0


def incident(impact):
    return SimpleNamespace(impact=impact)


def component(status):
    return SimpleNamespace(status=status)


def test_it_takes_the_worst_of_incidents_and_components_for_the_banner():
    assert page_status([component("operational")], [], False) == {
        "indicator": "none",
        "description": "All Systems Operational",
    }
    assert (
        page_status([component("degraded_performance")], [incident("minor")], False)["indicator"]
        == "minor"
    )
    assert (
        page_status([component("operational")], [incident("critical")], False)["indicator"]
        == "critical"
    )
    assert (
        page_status([component("major_outage")], [incident("minor")], False)["description"]
        == "Major System Outage"
    )
    assert page_status([component("operational")], [], True)["indicator"] == "maintenance"
