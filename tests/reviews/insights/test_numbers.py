"""Leadership reads the insights of a known history: every number is the one worked out by
hand in conftest.py."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearline.loop.models import FollowUp, KeyAccount
from clearline.reviews.insights.selectors import insights
from tests.reviews.insights.conftest import RANGE, at, run

MIN = 60


def test_real_incidents_and_drills_are_measured_apart(history):
    found = insights(**RANGE)
    real, drill = found.overall["real"], found.overall["drill"]
    assert found.incident_count == 5  # F started before the range
    assert (real.incidents, drill.incidents) == (4, 1)
    # Medians: first updates 10, 20, 30, 6 min → 15; gaps 35, 50, 35 → 35; 80, 70, 135 → 80.
    assert real.first_update_seconds == 15 * MIN
    assert real.cadence_seconds == 35 * MIN
    assert real.resolve_seconds == 80 * MIN
    assert real.resolved == 3
    assert drill.first_update_seconds == 5 * MIN
    assert drill.cadence_seconds == 22 * MIN + 30
    assert drill.resolve_seconds == 50 * MIN


def test_updates_on_time_and_their_lateness(history):
    real, drill = (insights(**RANGE).overall[kind] for kind in ("real", "drill"))
    # The first update of each incident had no promise before it; D's internal note counts
    # for nothing.
    assert (real.updates, real.on_time, real.late, real.promised) == (10, 3, 3, 6)
    assert real.on_time_share == 0.5
    assert real.mean_lateness_seconds == (10 + 20 + 15) * MIN // 3
    assert real.worst_lateness_seconds == 20 * MIN
    assert (drill.on_time, drill.late, drill.on_time_share) == (2, 0, 1.0)
    assert drill.mean_lateness_seconds is None


def test_action_items_open_overdue_and_closed(history):
    real, drill = (insights(**RANGE).overall[kind] for kind in ("real", "drill"))
    assert (real.actions_open, real.actions_overdue, real.actions_closed) == (2, 1, 2)
    assert (drill.actions_open, drill.actions_overdue, drill.actions_closed) == (1, 1, 0)


def test_each_month_has_its_own_numbers(history):
    march, april = insights(**RANGE).periods
    assert (march.label, april.label) == ("Mar 2026", "Apr 2026")
    assert march.real.first_update_seconds == 15 * MIN
    assert march.real.cadence_seconds == 42 * MIN + 30
    assert march.real.resolve_seconds == 75 * MIN
    assert (march.real.on_time, march.real.late, march.real.on_time_share) == (1, 2, 0.3333)
    assert march.drill.incidents == 1 and march.drill.first_update_seconds == 5 * MIN
    assert april.real.first_update_seconds == 18 * MIN
    assert april.real.resolve_seconds == 135 * MIN
    assert april.real.on_time_share == 0.6667
    assert april.drill.incidents == 0 and april.drill.first_update_seconds is None


def test_weeks_start_on_monday_and_empty_weeks_are_listed(history):
    found = insights(by="week", **RANGE)
    assert found.periods[0].start.isoformat() == "2026-02-23"  # the Monday before 1 March
    assert found.periods[0].label == "2026-W09"
    by_label = {p.label: p for p in found.periods}
    assert by_label["2026-W10"].real.first_update_seconds == 10 * MIN  # A, 2 March
    assert by_label["2026-W11"].real.incidents == 0
    assert by_label["2026-W12"].drill.incidents == 1  # C, 20 March
    assert len(found.periods) == 10


def test_each_incident_is_listed_newest_first(history):
    rows = insights(**RANGE).incidents
    assert [row.title for row in rows] == [
        "Webhooks delayed",
        "Exports fail",
        "Drill: payouts delayed",
        "Sign-in slow",
        "Checkout errors",
    ]
    exports = rows[1]
    assert (exports.first_update_seconds, exports.cadence_seconds) == (30 * MIN, 35 * MIN)
    assert (exports.on_time, exports.late, exports.lateness_seconds) == (2, 1, 15 * MIN)
    assert exports.actions_closed == 1
    open_one = rows[0]
    assert (open_one.cadence_seconds, open_one.resolve_seconds) == (None, None)


def test_the_count_of_queries_does_not_grow_with_the_incidents(history):
    with CaptureQueriesContext(connection) as few:
        insights(**RANGE)
    for day in range(1, 9):
        run(f"More trouble {day}", at(4, day + 10, 9), [(5, "investigating", "public")])
    with CaptureQueriesContext(connection) as many:
        found = insights(**RANGE)
    assert found.incident_count == 13
    assert len(many) == len(few)


def test_follow_ups_are_counted_for_the_incidents_in_the_range(history, people):
    """One done and one overdue on A (March), one open on F (February, outside the range)."""
    owner = people["comms"]
    a, f = history["a"], history["f"]
    accounts = [KeyAccount.objects.create(name=name, owner=owner) for name in ("X", "Y", "Z")]
    FollowUp.objects.create(
        incident=a,
        account=accounts[0],
        owner=owner,
        due_date=date(2026, 3, 5),
        state="done",
        note="Called them.",
        done_at=at(3, 4, 9),
    )
    FollowUp.objects.create(incident=a, account=accounts[1], owner=owner, due_date=date(2026, 3, 5))
    FollowUp.objects.create(incident=f, account=accounts[2], owner=owner, due_date=date(2099, 1, 1))
    assert insights(**RANGE).follow_ups == {"done": 1, "open": 1, "overdue": 1}
