"""A resolved incident with a full record, as a careful team leaves it: most tests start here."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.brief import services as brief
from clearline.incidents import services as incidents
from clearline.updates.services import approve_and_publish, content_hash_of, draft_update
from tests.factories import make_component, run_jobs

FIRST = (
    "Since {start}, invoice emails to customers in the EU region are arriving up to 40 minutes "
    "late. Invoices can still be created and paid through their links. Our messaging team is "
    "investigating. Next update by {next}."
)
# What the commander settled in the ledger, and what is still open.
LEDGER = [
    ("fact", "data_safety", "No invoice data was changed or lost: the delay was only in sending."),
    ("question", "cause", "Did the mail settings change at 08:55 start the backlog?"),
]
RESOLUTION = (
    "Invoice emails to customers in the EU region, which arrived up to 40 minutes late, are on "
    "time again. We confirmed it by sending test invoices every five minutes for half an hour "
    "and checking when each arrived. Invoice data was not affected."
)


def at(moment: datetime, zone) -> str:
    local = moment.astimezone(zone)
    return f"{local:%H:%M} {local.tzname()}"


def publish_text(incident, body: str, *, status: str, by, approver, at_time: datetime):
    update = draft_update(incident=incident, by=by, body=body, status=status)
    return approve_and_publish(
        update=update, by=approver, content_hash=content_hash_of(update), now=at_time
    )


def tallyhouse() -> Organisation:
    org = Organisation.current()
    org.name, org.time_zone = "Tallyhouse", "Europe/London"
    org.support_email = "help@tallyhouse.example"
    org.save()
    return org


@pytest.fixture
def org(db):
    return tallyhouse()


@pytest.fixture
def record(org, people):
    return make_record(org, people)


def make_record(org, people):
    """Invoice emails ran late for EU customers for 90 minutes; the ledger holds what stayed
    safe as confirmed and the cause as an open question; support logged what customers said."""
    now = timezone.now()
    start = (now - timedelta(hours=3)).replace(second=0, microsecond=0)
    component = make_component("Email delivery")
    incident = incidents.open_incident(
        by=people["comms"],
        title="Invoice emails delivered late",
        impact="minor",
        started_at=start,
        commander=people["commander"],
        comms_owner=people["comms"],
        components={component: "degraded_performance"},
        segments=[("region", "EU")],
        still_works="Invoices can still be created, viewed and paid through their links.",
    )
    for kind, subject, text in LEDGER:
        incidents.add_fact(
            incident=incident, by=people["commander"], kind=kind, subject=subject, text=text
        )
    incidents.add_timeline_entry(
        incident=incident,
        by=people["commander"],
        kind="verified",
        occurred_at=start + timedelta(minutes=85),
        text="We sent test invoices every five minutes and each arrived within a minute",
    )
    brief.log_signal(
        incident=incident,
        by=people["support"],
        kind="report",
        text="Our invoices have not arrived for an hour.",
        account="Brightwater Ltd",
        symptom="invoice email missing",
        reported_at=start + timedelta(minutes=20),
    )
    for minutes, account in ((25, "Brightwater Ltd"), (30, "Kestrel Studio")):
        brief.log_signal(
            incident=incident,
            by=people["support"],
            kind="question",
            text="Do we need to resend the invoices?",
            account=account,
            reported_at=start + timedelta(minutes=minutes),
        )
    zone = org.zone
    publish_text(
        incident,
        FIRST.format(start=at(start, zone), next=at(start + timedelta(minutes=50), zone)),
        status="investigating",
        by=people["comms"],
        approver=people["commander"],
        at_time=start + timedelta(minutes=10),
    )
    return incident


def resolve(incident, people, *, at_time: datetime):
    """The comms owner's resolution, published by the commander."""
    return publish_text(
        incident,
        RESOLUTION,
        status="resolved",
        by=people["comms"],
        approver=people["commander"],
        at_time=at_time,
    )


@pytest.fixture
def resolved(record, people):
    """The record above, resolved 90 minutes after it started, and the worker run after it."""
    resolve(record, people, at_time=record.started_at + timedelta(minutes=90))
    run_jobs()
    record.refresh_from_db()
    return record


@pytest.fixture
def desk(client, people):
    """The comms owner, signed in at the desk."""
    client.force_login(people["comms"])
    return client
