"""A key account's follow-up handed on, then the account unlinked, in a real browser.

The comms owner opens the incident's desk page, hands the account owner's follow-up to
themselves with a later date, and then finds the account was linked by mistake: unlinking it
takes the open follow-up with it."""

from datetime import timedelta

import pytest

from clearline.core.permissions import SYSTEM
from clearline.loop import accounts, selectors
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import make_user
from tests.loop.conftest import incident_for, resolve
from tests.reviews.conftest import organisation


@pytest.fixture
def linked(transactional_db, people):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    organisation()
    incident = resolve(incident_for(people))
    acme = accounts.save_key_account(
        by=SYSTEM, name="Acme Freight", owner=make_user("kim", "viewer")
    )
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    return incident, selectors.today() + timedelta(days=9)


@pytest.mark.browser
def test_a_follow_up_is_handed_on_and_a_mistaken_link_taken_back(
    live_server, people, linked, browser
):
    incident, later = linked
    page = browser.new_page()
    sign_in(page, f"{live_server.url}/desk/incidents/{incident.pk}/", people["comms"])

    page.get_by_role(
        "link", name="Change owner or due date of the follow-up with Acme Freight"
    ).click()
    page.get_by_role("heading", name="Change the follow-up with Acme Freight").wait_for()
    page.get_by_label("Owner").select_option(label="sam")
    page.get_by_label("Due date").fill(later.isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"sam follows up with Acme Freight by {later:%A} {later.day}").wait_for()
    assert page.url.endswith(f"/desk/incidents/{incident.pk}/#loop")

    page.locator("#loop summary", has_text="Unlink").click()
    assert page.get_by_text(f"Its open follow-up (sam, due {later.day} {later:%B %Y})").is_visible()
    page.get_by_role("button", name="Unlink Acme Freight").click()
    page.get_by_text("Acme Freight is no longer linked to this incident.").wait_for()
    assert page.get_by_text("Its open follow-up went with the link.").is_visible()
    assert page.get_by_text("No key account is linked. Support").is_visible()
    assert in_thread(lambda: incident.follow_ups.count()) == 0
