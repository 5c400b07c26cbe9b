"""The review in a real browser: from the incident to its review page, the customer liaison put
in the room, a Five Whys answer pointing at the timeline, blame flagged in the checks panel as
it is typed, the write-up saved and the review marked held. Timed end to end."""

import time

import pytest

from clearline.reviews.models import Review
from tests.browser.test_editor import in_thread, sign_in
from tests.reviews.conftest import incident_for, organisation, resolve

BLAME = "The on-call engineer should have known better."


@pytest.fixture
def incident(transactional_db, people):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    organisation()
    incident = resolve(incident_for(people, comms_owner=None))
    incident.cause_entry = incident.timeline.get(kind="cause_found")
    return incident


@pytest.mark.browser
def test_a_responder_fills_and_holds_the_review(
    live_server, people, incident, browser, record_property
):
    entry = incident.cause_entry
    started = time.perf_counter()
    page = sign_in(browser, f"{live_server.url}/desk/incidents/{incident.pk}/", people["comms"])
    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("heading", name="Blameless review").wait_for()
    assert page.locator("#liaison-missing").is_visible()

    page.select_option("#id_role", value="customer_liaison")
    page.select_option("#id_user", value=str(people["support"].pk))
    page.get_by_role("button", name="Add to the room").click()
    page.get_by_text("Added to the room.").wait_for()
    assert page.locator("#liaison-missing").count() == 0
    assert (
        page.locator('tr[data-role="customer_liaison"]')
        .inner_text()
        .startswith("Customer liaison\tvic\t")
    )

    page.locator("#id_why_0_question").fill("Why were card payments declined?")
    page.locator("#id_why_0_answer").fill("The gateway's certificate had expired.")
    page.select_option("#id_why_0_entry", value=str(entry.pk))
    typed = time.perf_counter()
    page.locator("#id_missed").press_sequentially(BLAME, delay=5)
    blame = page.locator('#checks [data-rule="blame-language"]')
    blame.wait_for(timeout=5000)
    shown = time.perf_counter() - typed
    assert "CL150" in blame.inner_text()
    assert page.locator("#checks mark", has_text="should have known").count() == 1

    page.get_by_role("button", name="Save the write-up").click()
    page.get_by_text("Write-up saved.").wait_for()
    page.get_by_role("button", name="Mark as held").click()
    page.get_by_text("Marked as held.").wait_for()
    assert page.locator("#review-state").inner_text() == "Review held"
    elapsed = time.perf_counter() - started

    review = in_thread(lambda: Review.objects.prefetch_related("whys", "attendees").get())
    [why] = review.whys.all()
    assert why.timeline_entry_id == entry.pk and review.missed == BLAME
    assert review.state == "held" and review.held_at is not None
    assert {a.role for a in review.attendees.all()} == {"commander", "customer_liaison"}
    record_property("review_flow_seconds", round(elapsed, 2))
    record_property("blame_shown_seconds", round(shown, 2))
    print(f"\nreview flow: {elapsed:.2f} s; blame flagged {shown:.2f} s after typing began")
