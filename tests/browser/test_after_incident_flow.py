"""The whole after-incident half in one real browser, timed: from the resolution to an action
item closed with evidence.

The comms owner (a responder) writes the resolution and the commander (an approver) publishes
it. The worker drafts the preliminary report and proposes the review. The commander reads the
report's checks, approves and publishes it, and customers read it under "Preliminary report".
The comms owner puts the customer liaison in the room, schedules the review, fills a Five Whys
answer pointing at the timeline, and adds an action item whose evidence then closes it.
Every step is a click or a form; the database is only read, to confirm what the pages said.
"""

import html
import re
import time
from datetime import timedelta

import pytest

from clearline.reviews.actions.selectors import today
from clearline.reviews.models import ActionItem, Review
from clearline.updates.models import Update
from tests.browser.test_action_items import add_and_close
from tests.browser.test_after_incident import resolve_in_browser
from tests.browser.test_editor import in_thread
from tests.factories import run_jobs
from tests.reviews.prelim.conftest import make_record, tallyhouse

WHY = "Why did invoice emails wait for up to 40 minutes?"
BECAUSE = "The mail queue had no alert on its length, so the backlog grew unseen."
OUTCOME = "Page the on-call engineer when the invoice mail queue holds over 500 messages"
EVIDENCE = "The new alert paged the on-call engineer 3 minutes into the staging rehearsal."


@pytest.fixture
def record(transactional_db, people):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    incident = make_record(tallyhouse(), people)
    incident.verified_entry = incident.timeline.get(kind="verified")
    return incident


@pytest.fixture
def due(transactional_db):
    return today() + timedelta(days=10)


def _run_worker() -> None:
    in_thread(run_jobs)


@pytest.mark.browser
def test_a_resolution_is_followed_through_to_a_closed_action_item(
    live_server, people, record, due, browser, record_property
):
    started = time.monotonic()
    desk = f"{live_server.url}/desk/incidents/{record.pk}/"

    # A responder writes the resolution; an approver publishes it.
    comms, commander = resolve_in_browser(browser, desk, people)

    # The worker drafts the preliminary report, with nobody asking for it; its checks are shown.
    _run_worker()
    commander.goto(desk)
    commander.get_by_role("link", name="Check, approve and publish the preliminary report").click()
    commander.get_by_role("heading", name="Edit the preliminary report").wait_for()
    checks = commander.locator("#checks")
    checks.wait_for()
    assert checks.get_attribute("data-errors") == "0"
    assert "40 minutes late" in checks.locator(".reader-test").inner_text()
    drafted = commander.locator("#id_body").input_value()
    assert "We are still checking" in drafted
    commander.get_by_role("button", name="Approve and publish").click()
    commander.get_by_text("Update published.").wait_for()

    # Customers read it on the incident's public page, under its own heading.
    _run_worker()
    commander.goto(f"{live_server.url}/incidents/{record.public_id}")
    section = re.search(
        r"<h2[^>]*>Preliminary report</h2>(.*?)</section>", commander.content(), re.S
    )
    assert section and drafted in html.unescape(section.group(1))
    commander.go_back()

    # The review the worker proposed: the support lead who heard the customers joins the
    # comms owner as a customer liaison, then everyone is invited.
    comms.goto(desk)
    comms.get_by_role("link", name="Review", exact=True).click()
    comms.get_by_role("heading", name="Blameless review").wait_for()
    comms.select_option("#id_role", value="customer_liaison")
    comms.select_option("#id_user", value=str(people["support"].pk))
    comms.get_by_role("button", name="Add to the room").click()
    comms.get_by_text("Added to the room.").wait_for()
    liaisons = comms.locator('tr[data-role="customer_liaison"]')
    assert liaisons.filter(has_text=people["support"].username).count() == 1
    assert comms.locator("#liaison-missing").count() == 0
    comms.get_by_role("button", name="Schedule and invite everyone").click()
    comms.get_by_text("Scheduled.", exact=False).wait_for()
    assert comms.locator("#review-state").inner_text() == "Review scheduled"

    # Five Whys in the write-up, the answer resting on a moment of the timeline.
    comms.locator("#id_why_0_question").fill(WHY)
    comms.locator("#id_why_0_answer").fill(BECAUSE)
    comms.select_option("#id_why_0_entry", value=str(record.verified_entry.pk))
    comms.get_by_role("button", name="Save the write-up").click()
    comms.get_by_text("Write-up saved.").wait_for()
    assert comms.locator("#id_why_0_answer").input_value() == BECAUSE

    # An action item added on the incident's desk page, then closed with its evidence.
    comms.goto(desk)
    add_and_close(comms, outcome=OUTCOME, owner=people["comms"], due=due, evidence=EVIDENCE)

    elapsed = time.monotonic() - started
    record_property("after_incident_flow_seconds", round(elapsed, 2))
    print(f"\nresolution → closed action item, three screens, two people: {elapsed:.2f} s")

    def stored():
        report = Update.objects.select_related("approver").get(incident=record, kind="preliminary")
        review = Review.objects.prefetch_related("whys", "attendees").get(incident=record)
        return report, review, list(review.whys.all()), ActionItem.objects.get(incident=record)

    report, review, whys, action = in_thread(stored)
    assert (report.state, report.approver_id, report.body) == (
        "published",
        people["commander"].pk,
        drafted,
    )
    assert review.state == "scheduled"
    liaisons = {a.user_id for a in review.attendees.all() if a.role == "customer_liaison"}
    assert people["support"].pk in liaisons
    assert [(w.answer, w.timeline_entry_id) for w in whys] == [(BECAUSE, record.verified_entry.pk)]
    assert (action.outcome, action.status, action.evidence_note) == (OUTCOME, "done", EVIDENCE)
