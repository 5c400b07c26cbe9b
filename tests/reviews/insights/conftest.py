"""A history of incidents whose every insight can be worked out by hand (times in UTC, the
organisation's zone in tests; major incidents promise the next update in 30 minutes).

March 2026
  A real, started 03-02 10:00: updates 10:10, 10:40 (on time), resolved 11:20 (10 min late).
     first 10 min, between (11:20-10:10)/2 = 35 min, resolved after 80 min.
     Action items: one done, one overdue (due 03-10), one open due a month from today.
  B real, started 03-16 09:00: update 09:20, resolved 10:10 (20 min late).
     first 20 min, between 50 min, resolved after 70 min.
  C drill, started 03-20 14:00: updates 14:05, 14:30 (on time), resolved 14:50 (on time).
     first 5 min, between 22.5 min, resolved after 50 min. One overdue action item.
April 2026
  D real, started 04-06 08:00: an internal note 08:15 (not an update to customers), updates
     08:30, 09:00 (on time), 09:45 (15 min late), resolved 10:15 (on time, to the second).
     first 30 min, between (10:15-08:30)/3 = 35 min, resolved after 135 min. One won't do.
  E real, started 04-20 12:00, still open: update 12:06. first 6 min.
February 2026 (outside the range the tests ask for)
  F real, started 02-15 10:00: update 11:00.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from clearline.core.permissions import SYSTEM
from clearline.incidents.services import open_incident
from clearline.reviews.actions.services import close_action_item, create_action_item
from tests.factories import publish

SINCE, UNTIL = date(2026, 3, 1), date(2026, 4, 30)
RANGE = {"since": SINCE, "until": UNTIL}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def run(title: str, started: datetime, updates: list, *, is_drill: bool = False):
    """Open an incident at `started` and publish (minute offset, status, audience) in order."""
    incident = open_incident(
        by=SYSTEM, title=title, started_at=started, impact="major", is_drill=is_drill
    )
    for offset, status, audience in updates:
        publish(
            incident,
            f"{title}: {status} at +{offset} min.",
            status=status,
            audience=audience,
            now=started + timedelta(minutes=offset),
        )
    incident.refresh_from_db()
    return incident


def item(incident, owner, *, due: date, made: datetime, outcome: str):
    return create_action_item(
        incident=incident,
        by=SYSTEM,
        outcome=outcome,
        owner=owner,
        due_date=due,
        category="runbook",
        now=made,
    )


@pytest.fixture
def history(db, people):
    public = "public"
    owner = people["comms"]
    a = run(
        "Checkout errors",
        at(3, 2, 10),
        [(10, "investigating", public), (40, "identified", public), (80, "resolved", public)],
    )
    b = run("Sign-in slow", at(3, 16, 9), [(20, "investigating", public), (70, "resolved", public)])
    c = run(
        "Drill: payouts delayed",
        at(3, 20, 14),
        [(5, "investigating", public), (30, "monitoring", public), (50, "resolved", public)],
        is_drill=True,
    )
    d = run(
        "Exports fail",
        at(4, 6, 8),
        [
            (15, "investigating", "internal"),
            (30, "investigating", public),
            (60, "identified", public),
            (105, "monitoring", public),
            (135, "resolved", public),
        ],
    )
    e = run("Webhooks delayed", at(4, 20, 12), [(6, "investigating", public)])
    f = run("Old outage", at(2, 15, 10), [(60, "investigating", public)])

    made = at(3, 2, 12)
    done = item(a, owner, due=date(2026, 3, 5), made=made, outcome="Write the checkout runbook")
    close_action_item(item=done, by=SYSTEM, evidence_note="Runbook used in the March drill.")
    item(a, owner, due=date(2026, 3, 10), made=made, outcome="Alert on checkout error rates")
    ahead = timezone.now()
    item(
        a, owner, due=ahead.date() + timedelta(days=30), made=ahead, outcome="Rehearse the rollback"
    )
    item(c, owner, due=date(2026, 3, 25), made=at(3, 20, 15), outcome="Time the payouts failover")
    dropped = item(
        d, owner, due=date(2026, 4, 9), made=at(4, 6, 11), outcome="Split the export queue"
    )
    close_action_item(
        item=dropped, by=SYSTEM, status="wont_do", wont_do_reason="The queue is being retired."
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
