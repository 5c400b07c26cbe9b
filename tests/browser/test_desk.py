"""The desk in a real browser: sign in, open an incident, publish, and work the timeline."""

import time

import pytest

from clearline.incidents.models import Incident, TimelineEntry
from clearline.updates.models import Update
from tests.browser.test_editor import in_thread
from tests.factories import PASSWORD, make_component, make_incident, run_jobs

TEXT = (
    "Card payments are failing for some customers. Our payments team is investigating. "
    "Next update in 30 minutes."
)


@pytest.fixture
def component(transactional_db):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    return make_component("Card payments")


@pytest.fixture
def incident(transactional_db):
    return make_incident(title="Exports are slow")


def sign_in(page, url, user):
    page.goto(url)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
def test_it_takes_a_commander_from_sign_in_to_a_published_first_update(
    live_server, people, component, one_person_team, browser, record_property
):
    """A team of one: the commander writes, approves and publishes the first update."""
    page = browser.new_page()
    started = time.monotonic()

    sign_in(page, f"{live_server.url}/desk/", people["commander"])
    page.get_by_role("link", name="Open an incident").first.click()
    page.fill("#id_title", "Card payments fail")
    page.select_option("#id_impact", "major")
    page.get_by_label("Card payments").select_option("partial_outage")
    page.get_by_role("button", name="Open the incident").click()
    page.get_by_text("Compose the first update now.").wait_for()
    page.get_by_role("link", name="write the text yourself").click()
    page.fill("#id_body", TEXT)
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Update published.").wait_for()
    in_thread(run_jobs)  # the worker renders the public page
    page.goto(f"{live_server.url}/")
    public = page.content()

    elapsed = time.monotonic() - started
    record_property("first_update_flow_seconds", round(elapsed, 2))
    print(f"\nfirst update flow in the browser: {elapsed:.2f} s")
    assert TEXT in public
    assert "Card payments fail" in public

    # What the screens said is what the database holds.
    update = in_thread(lambda: Update.objects.select_related("incident", "approver").get())
    assert update.incident.title == "Card payments fail"
    assert update.incident.impact == "major"
    assert update.body == TEXT
    assert (update.state, update.audience) == ("published", "public")
    assert update.status == "investigating"
    assert update.approver.username == people["commander"].username
    assert in_thread(lambda: list(Incident.objects.values_list("title", flat=True))) == [
        "Card payments fail"
    ]


@pytest.mark.browser
def test_it_adds_a_timeline_entry_without_reloading_the_page(
    live_server, people, incident, browser
):
    page = browser.new_page()
    sign_in(page, f"{live_server.url}/desk/incidents/{incident.pk}/", people["comms"])
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("What happened").fill("Rolled back the export worker.")
    page.get_by_role("button", name="Add to the timeline").click()
    page.locator("#timeline li", has_text="Rolled back the export worker.").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.get_by_label("What happened").input_value() == ""
    entries = in_thread(
        lambda: list(
            TimelineEntry.objects.filter(incident=incident).values_list("text", "author__username")
        )
    )
    assert entries == [("Rolled back the export worker.", people["comms"].username)]
