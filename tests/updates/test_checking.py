"""The application's way into the checks: which kind an update is, and what it is compared with."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.accounts.services import change_check_settings
from clearline.incidents.services import add_fact, settle_fact
from clearline.updates.checking import check_draft, content_hash, history_index, kind_for
from clearline.updates.services import Refused, approve_update, content_hash_of, draft_update
from tests.factories import make_incident, publish

STOCK = "We apologize for any inconvenience. Sign-in fails for some customers."


def test_an_incident_with_nothing_published_gets_a_first_update(db):
    incident = make_incident(published=False)
    assert kind_for(incident, "investigating") == "first"
    assert check_draft(incident=incident, body=STOCK).kind == "first"


def test_later_updates_are_progress_updates_and_the_fix_is_a_resolution(db):
    incident = make_incident()
    assert kind_for(incident, "identified") == "update"
    assert kind_for(incident, "resolved") == "resolved"


def test_a_draft_is_checked_with_the_catalog_rules(db):
    report = check_draft(incident=make_incident(published=False), body=STOCK)
    assert {"stock-apology", "missing-next-update"} <= report.rules
    assert report.has_errors


def test_a_paragraph_published_for_another_incident_is_boilerplate(db):
    paragraph = (
        "Our engineers are looking into reports that some customers cannot sign in to the "
        "dashboard from the web or the mobile app, and we will keep this page updated as we "
        "learn more about what is going on and what it means for your team."
    )
    publish(make_incident(title="Earlier"), paragraph)
    report = check_draft(incident=make_incident(title="Now", published=False), body=paragraph)
    assert "boilerplate" in report.rules


def test_the_content_hash_changes_with_the_words_the_status_and_the_promise(db):
    due = datetime(2026, 3, 3, 9, 40, tzinfo=UTC)
    base = content_hash(body="Exports fail.", status="investigating", next_update_due=due)
    assert base == content_hash(body="Exports fail.\n", status="investigating", next_update_due=due)
    assert base != content_hash(body="Exports fail!", status="investigating", next_update_due=due)
    assert base != content_hash(body="Exports fail.", status="identified", next_update_due=due)
    later = due + timedelta(minutes=5)
    assert base != content_hash(body="Exports fail.", status="investigating", next_update_due=later)


GOOD = (
    "Since 09:40 UTC some customers on the EU region cannot sign in to the dashboard. "
    "Existing sessions still work. We will post the next update by 10:30 UTC. "
)


def codes(report) -> set[str]:
    return {finding.code for finding in report.findings}


def confirm(incident, person, subject: str, text: str):
    """The commander records a confirmed fact in the ledger."""
    return add_fact(incident=incident, by=person, kind="fact", subject=subject, text=text)


def test_a_claim_with_a_confirmed_fact_behind_it_passes(db, people):
    incident = make_incident(status="identified")
    confirm(incident, people["commander"], "cause", "A configuration change broke sign-in.")
    report = check_draft(incident=incident, body=GOOD + "It was caused by a configuration change.")
    assert "CL122" not in codes(report)


def test_a_claim_with_only_an_open_question_is_blocked_once(db, people):
    incident = make_incident(status="identified")
    add_fact(incident=incident, by=people["comms"], subject="cause", text="What changed at 09:35?")
    report = check_draft(incident=incident, body=GOOD + "It was caused by a configuration change.")
    # The open question blocks the claim (CL116); CL122 adds no second finding on the same words.
    assert "CL116" in codes(report) and "CL122" not in codes(report)
    assert report.has_errors


def test_a_withdrawn_fact_supports_nothing(db, people):
    incident = make_incident(status="identified")
    fact = confirm(incident, people["commander"], "data_safety", "No exports were lost.")
    settle_fact(fact=fact, by=people["commander"], status="withdrawn")
    report = check_draft(incident=incident, body=GOOD + "No data was lost.")
    assert "CL122" in codes(report)


def test_an_open_data_safety_question_blocks_no_data_was_lost(db, people):
    incident = make_incident(status="monitoring")
    confirm(incident, people["commander"], "data_safety", "Stored files were not touched.")
    add_fact(
        incident=incident, by=people["comms"], subject="data_safety", text="Were any exports lost?"
    )
    body = GOOD + "We repeated the failed sign-ins and each one worked. No data was lost."
    report = check_draft(incident=incident, body=body, status="resolved")
    blocked = [f for f in report.findings if f.code == "CL116"]
    assert [body[f.start : f.end] for f in blocked] == ["No data was lost"]
    assert "Were any exports lost?" in blocked[0].message
    assert "CL122" not in codes(report)


def test_the_status_being_published_is_the_one_compared(db):
    incident = make_incident(status="investigating")
    body = GOOD + "The issue is resolved."
    assert "CL121" in codes(check_draft(incident=incident, body=body))
    assert "CL121" not in codes(check_draft(incident=incident, body=body, status="resolved"))


def test_the_organisation_glossary_makes_an_internal_name_jargon(db, people):
    org = Organisation.current()
    change_check_settings(org=org, by=people["admin"], check_glossary="Falcon\n")
    report = check_draft(incident=make_incident(), body=GOOD + "We restarted Falcon.")
    jargon = [f for f in report.findings if f.rule == "jargon"]
    assert [f.message for f in jargon] == [
        '"Falcon" is an internal or soft label, not what customers saw.'
    ]


def test_history_is_read_again_once_something_new_is_published(db, django_assert_num_queries):
    publish(make_incident(title="Earlier"), "Exports failed for an hour.")
    assert "Exports failed for an hour." in history_index().texts
    with django_assert_num_queries(1):  # only the stamp of what is published
        history_index()
    publish(make_incident(title="Later"), "Invoices were late.")
    assert "Invoices were late." in history_index().texts


OPENING = (
    "Since 09:40 UTC some customers on the EU region cannot sign in to the dashboard. "
    "Existing sessions still work. "
)


def _clock(moment: datetime, zone: str = "UTC") -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%H:%M}"


def test_the_next_update_time_in_the_text_is_held_to_the_promised_one(db):
    incident = make_incident()
    due = datetime(2026, 3, 3, 7, 3, tzinfo=UTC)
    body = OPENING + "We will post the next update by 07:30 UTC."
    assert "CL123" in codes(check_draft(incident=incident, body=body, next_update_due=due))
    right = due.replace(minute=30)
    assert "CL123" not in codes(check_draft(incident=incident, body=body, next_update_due=right))
    # Without a promised time there is nothing to hold the words to.
    assert "CL123" not in codes(check_draft(incident=incident, body=body))


def test_a_time_without_a_zone_is_read_in_the_organisation_s_zone(db):
    org = Organisation.current()
    org.time_zone = "Europe/Berlin"
    org.save()
    incident = make_incident()
    due = datetime(2026, 3, 3, 7, 30, tzinfo=UTC)  # 08:30 in Berlin
    for written, mismatch in [("08:30 CET", False), ("8:30 am CET", False), ("09:30 CET", True)]:
        body = OPENING + f"We will post the next update by {written}."
        report = check_draft(incident=incident, body=body, next_update_due=due)
        assert ("CL123" in codes(report)) is mismatch, written


def test_publishing_a_text_that_promises_another_time_needs_an_override(db, people):
    incident = make_incident()
    due = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    other = due + timedelta(minutes=27)
    body = OPENING + f"We will post the next update by {_clock(other)} UTC."
    update = draft_update(
        incident=incident, by=people["comms"], body=body, status="identified", next_update_due=due
    )
    with pytest.raises(Refused, match="CL123 next-update-mismatch"):
        approve_update(update=update, by=people["commander"], content_hash=content_hash_of(update))
    fixed = OPENING + f"We will post the next update by {_clock(due)} UTC."
    update = draft_update(
        incident=incident, by=people["comms"], body=fixed, status="identified", next_update_due=due
    )
    approved = approve_update(
        update=update, by=people["commander"], content_hash=content_hash_of(update)
    )
    assert approved.approved_hash
