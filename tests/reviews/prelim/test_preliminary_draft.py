"""A resolution drafts the preliminary report from the record, in the worker, once.

The comms owner resolves the incident; by the time the worker has run, a draft waits for an
approver that says only what the record holds as settled.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.checks import claimed_subjects
from clearline.core.errors import Conflict
from clearline.core.permissions import SYSTEM
from clearline.incidents import services as incidents
from clearline.reviews import preliminary
from clearline.reviews.preliminary import preliminary_report
from clearline.updates import checking
from clearline.updates.models import Update
from tests.factories import make_incident, publish, run_jobs
from tests.reviews.prelim.conftest import resolve


def test_the_resolution_leaves_the_drafting_to_the_worker(record, people):
    resolve(record, people, at_time=timezone.now())
    assert preliminary_report(record) is None
    run_jobs()
    report = preliminary_report(record)
    assert (report.kind, report.state, report.status, report.audience) == (
        "preliminary",
        "draft",
        "resolved",
        "public",
    )
    assert report.author is None  # clearline drafted it: any approver may approve it


def test_it_gives_the_time_window_with_dates_and_the_zone(resolved, org):
    body = preliminary_report(resolved).body
    start = resolved.started_at.astimezone(org.zone)
    end = resolved.resolved_at.astimezone(org.zone)
    assert (
        f"lasted from {start:%H:%M} {start.tzname()} on {start:%A} {start.day} {start:%B} "
        f"until {end:%H:%M} {end.tzname()}" in body
    )
    assert "(1 hour 30 minutes)" in body


def test_it_tells_what_customers_experienced_in_the_past_tense(resolved):
    body = preliminary_report(resolved).body
    assert (
        "What customers experienced: invoice emails to customers in the EU region were "
        "arriving up to 40 minutes late." in body
    )
    assert "“invoice email missing” (1 report)" in body
    assert "This affected customers in the EU region." in body


def test_it_says_what_stayed_safe_from_the_confirmed_facts_only(resolved):
    body = preliminary_report(resolved).body
    # After a colon the fact reads on in lower case.
    assert "What stayed safe: no invoice data was changed or lost" in body
    assert "Invoices could still be created, viewed and paid through their links." in body
    assert "How we checked the fix: we sent test invoices every five minutes" in body


def test_it_puts_the_open_question_as_a_question_being_checked_never_as_a_fact(resolved):
    body = preliminary_report(resolved).body
    assert re.search(r"still checking[^.]*: “Did the mail settings change at 08:55 start", body)
    assert "cause" not in claimed_subjects(body)


def test_it_promises_the_review_by_the_fifth_business_day_and_says_where_to_ask(resolved, org):
    body = preliminary_report(resolved).body
    day = preliminary.review_by(resolved.resolved_at, org)
    assert day.weekday() < 5
    assert f"A full review of this incident will follow by {day:%A} {day.day} {day:%B}" in body
    assert "write to help@tallyhouse.example" in body


def test_the_draft_passes_its_own_checks_as_written(resolved):
    report = preliminary_report(resolved)
    checked = checking.check_draft(incident=resolved, body=report.body, kind="preliminary")
    assert [(f.code, f.message) for f in checked.findings] == []
    assert "40 minutes late" in checked.reader_test.what_happened


def test_a_thin_record_gets_honest_gaps_not_invented_facts(people, org):
    incident = make_incident(title="Exports fail", status="investigating", by=people["comms"])
    publish(incident, "Exports work again.", status="resolved")
    run_jobs()
    body = preliminary_report(incident).body
    assert "We are still confirming which customers were affected." in body
    assert "What stayed safe" not in body and "still checking" not in body


def test_it_is_drafted_once_however_often_the_incident_is_resolved(resolved, people):
    publish(resolved, "Emails are late again for EU customers.", status="investigating")
    publish(resolved, "Emails are on time again.", status="resolved")
    run_jobs()
    assert Update.objects.filter(incident=resolved, kind="preliminary").count() == 1
    again = preliminary.draft_preliminary_report(incident=resolved, by=SYSTEM)
    assert again == preliminary_report(resolved)


def test_a_resolution_from_more_than_a_week_ago_gets_no_report(people, org):
    incident = make_incident(title="Exports fail", started_ago=timedelta(days=10))
    publish(
        incident, "Exports work again.", status="resolved", now=timezone.now() - timedelta(days=9)
    )
    run_jobs()
    assert preliminary_report(incident) is None


def test_an_internal_note_that_resolves_drafts_nothing(people, org):
    incident = make_incident(title="Staging disk full", visibility="internal", published=False)
    publish(incident, "Old snapshots removed.", status="resolved", audience="internal")
    run_jobs()
    assert preliminary_report(incident) is None


def test_it_is_refused_before_the_incident_is_resolved(record, people):
    with pytest.raises(Conflict) as refusal:
        preliminary.draft_preliminary_report(incident=record, by=people["comms"])
    assert refusal.value.code == "not_resolved"
    assert preliminary_report(record) is None


def test_a_drill_gets_its_draft_too_the_whole_flow_runs(people, org):
    drill = make_incident(title="Drill: payouts late", is_drill=True)
    incidents.add_fact(
        incident=drill, by=SYSTEM, kind="fact", subject="data_safety", text="No payout was lost."
    )
    publish(drill, "Practice run over: payouts are on time again.", status="resolved")
    run_jobs()
    assert "no payout was lost" in preliminary_report(drill).body
