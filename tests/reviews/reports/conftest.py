"""A resolved incident whose record a careful team has filled in: the timeline's key moments,
the cause confirmed in the ledger, the review's write-up and two action items with owners and
due dates. Reports drafted from it should pass their own checks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.incidents import services as incidents
from clearline.reviews import review as reviews
from clearline.reviews.actions import services as actions
from tests.factories import run_jobs
from tests.reviews.prelim.conftest import make_record, resolve, tallyhouse

MOMENTS = [
    (5, "noticed", "The queue of outgoing invoice emails grew past its alert level"),
    (40, "cause_found", "A change to the mail settings at 08:55 halved the sending rate"),
    (55, "change_made", "We restored the earlier mail settings and sent the waiting emails"),
    (80, "restored", "Invoice emails were leaving within a minute again"),
]
CAUSE = "A change to our mail settings halved how fast invoice emails were sent."
ACTIONS = [
    ("Add an alert when invoice emails wait more than five minutes", "detection", 7),
    (
        "Add a release check that sends a test invoice after every mail settings change",
        "release_check",
        14,
    ),
]


def fill_record(incident, people):
    start = incident.started_at
    for minutes, kind, text in MOMENTS:
        incidents.add_timeline_entry(
            incident=incident,
            by=people["commander"],
            kind=kind,
            occurred_at=start + timedelta(minutes=minutes),
            text=text,
        )
    incidents.add_fact(
        incident=incident, by=people["commander"], kind="fact", subject="cause", text=CAUSE
    )
    today = timezone.localdate()
    for outcome, category, days in ACTIONS:
        actions.create_action_item(
            incident=incident,
            by=people["commander"],
            outcome=outcome,
            owner=people["commander"],
            due_date=today + timedelta(days=days),
            category=category,
        )
    return incident


def write_review(incident, people):
    review = incident.review
    return reviews.edit_writeup(
        review=review,
        by=people["commander"],
        version=review.version,
        missed="The queue alert fired, but nobody watched it outside office hours.",
        done="The earlier mail settings are back and every waiting email was sent.",
        next_steps="Alert the on-call engineer on the queue length.",
        customer_signal="Two accounts asked whether to resend invoices.",
        whys=[
            reviews.WhyIn("Why were invoice emails late?", "The sending rate was halved."),
            reviews.WhyIn("Why was the rate halved?", "A mail settings change lowered it."),
        ],
        factors=[reviews.FactorIn("No check runs after a mail settings change.", "release")],
    )


@pytest.fixture
def filled(db, people):
    return make_filled(people)


def make_filled(people):
    """The invoice-email incident resolved 90 minutes after it started, its record filled in."""
    incident = make_record(tallyhouse(), people)
    fill_record(incident, people)
    resolve(incident, people, at_time=incident.started_at + timedelta(minutes=90))
    run_jobs()
    incident.refresh_from_db()
    write_review(incident, people)
    return incident


def publish_edition(incident, people, edition: str = "plain"):
    """The comms owner drafts the reports; the commander approves the edition as written and
    publishes it; the worker renders the public page."""
    from clearline.reviews.reports import services
    from clearline.updates.services import approve_update, content_hash_of

    reports = {r.edition: r for r in services.draft_reports(incident=incident, by=people["comms"])}
    report = reports[edition]
    approve_update(
        update=report.update, by=people["commander"], content_hash=content_hash_of(report.update)
    )
    report.update.refresh_from_db()
    services.publish_report(report=report, by=people["commander"])
    run_jobs()
    report.update.refresh_from_db()
    return reports
