"""The demo's action items: what Tallyhouse changed after its invoice emails arrived late, in
every state the desk shows (done with evidence, in progress, open, and one overdue)."""

from datetime import datetime, timedelta

from clearline.incidents.models import Incident
from clearline.reviews.actions import selectors, services

# (owner, category, days from today it is due, outcome)
ITEMS = [
    (
        "dana",
        "rollback",
        2,
        "Rehearse rolling back a mail relay configuration change in staging",
    ),
    (
        "sam",
        "detection",
        4,
        "Alert the on-call engineer when the outgoing mail queue holds more than 500 "
        "messages for 5 minutes",
    ),
    (
        "dana",
        "release_check",
        9,
        "Require a second reviewer for every change to the mail relay configuration",
    ),
    (
        "sam",
        "runbook",
        -1,
        "Write the runbook for draining a backlog in the outgoing mail queue",
    ),
]
EVIDENCE = (
    "Rehearsed on the staging relay: mail flowed again 3 minutes 40 seconds after we decided "
    "to roll back."
)


def load(*, incident: Incident, people: dict, now: datetime) -> None:
    """Items written a few hours after the incident was resolved, then worked on since."""
    written = incident.resolved_at + timedelta(hours=3)
    today = selectors.today(now=now)
    made = [
        services.create_action_item(
            incident=incident,
            by=people["dana"],
            outcome=outcome,
            owner=people[owner],
            due_date=today + timedelta(days=days),
            category=category,
            now=written,
        )
        for owner, category, days, outcome in ITEMS
    ]
    rollback, alert = made[0], made[1]
    services.close_action_item(
        item=rollback,
        by=people["dana"],
        evidence_note=EVIDENCE,
        now=now - timedelta(days=1, hours=2),
    )
    services.edit_action_item(
        item=alert, by=people["sam"], status="in_progress", now=now - timedelta(days=2)
    )
