"""The application's way into the checks: which kind an update is, and what it is compared with."""

from datetime import UTC, datetime, timedelta

from clearline.updates.checking import check_draft, content_hash, kind_for
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
