"""Action items in a real browser: the commander adds one to a resolved incident on its desk
page, and the owner's evidence closes it, each without leaving the page."""

import time
from datetime import timedelta

import pytest

from clearline.reviews.actions.selectors import today
from clearline.reviews.models import ActionItem
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import make_incident

OUTCOME = "Alert the on-call engineer when the mail queue holds more than 500 messages"
EVIDENCE = "The alert paged the on-call engineer 3 minutes into the staging rehearsal."


def add_and_close(page, *, outcome: str, owner, due, evidence: str) -> None:
    """On an incident's desk page: add a detection action item, then close it with evidence."""
    page.get_by_label("Outcome").fill(outcome)
    page.get_by_label("Owner").select_option(label=owner.username)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Category").select_option("detection")
    page.get_by_role("button", name="Add the action item").click()
    item = page.locator("#actions li.action-item", has_text=outcome)
    item.wait_for()
    item.get_by_text("Close this item").click()
    item.get_by_label("Evidence note").fill(evidence)
    item.get_by_role("button", name="Close the item").click()
    page.locator("#actions li.action-item", has_text=evidence).wait_for()


@pytest.fixture
def resolved(transactional_db):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    return make_incident(title="Invoice emails delivered late", status="resolved")


@pytest.fixture
def due(transactional_db):
    return today() + timedelta(days=5)


@pytest.mark.browser
def test_an_action_item_is_added_and_closed_with_evidence(
    live_server, people, resolved, due, browser, record_property
):
    page = browser.new_page()
    sign_in(page, f"{live_server.url}/desk/incidents/{resolved.pk}/", people["commander"])
    page.evaluate("window.stillTheSamePage = true")
    started = time.monotonic()

    add_and_close(page, outcome=OUTCOME, owner=people["comms"], due=due, evidence=EVIDENCE)

    elapsed = time.monotonic() - started
    record_property("action_item_flow_seconds", round(elapsed, 2))
    print(f"\naction item added and closed with evidence in the browser: {elapsed:.2f} s")
    assert page.evaluate("window.stillTheSamePage") is True
    stored = in_thread(lambda: ActionItem.objects.select_related("owner", "closed_by").get())
    assert (stored.outcome, stored.owner.username, stored.due_date) == (OUTCOME, "sam", due)
    assert (stored.status, stored.evidence_note, stored.closed_by.username) == (
        "done",
        EVIDENCE,
        "dana",
    )
