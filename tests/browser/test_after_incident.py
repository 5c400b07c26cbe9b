"""From the resolution to the preliminary report on the public page, in a real browser.

The comms owner drafts the resolution and the commander publishes it; the worker drafts the
preliminary report from the record. The commander opens it, sees it checked as a preliminary
report (a sentence stating the open question as a fact is flagged as it is typed, and goes when
it is taken out), approves and publishes it. Customers then read it on the incident's page under
"Preliminary report".
"""

import html
import re
import time

import pytest

from clearline.reviews.models import PlanItem
from clearline.updates.models import Update
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import run_jobs
from tests.reviews.prelim.conftest import make_record, tallyhouse

RESOLUTION = (
    "Invoice emails to customers in the EU region, which arrived up to 40 minutes late, are on "
    "time again. We confirmed it by sending test invoices every five minutes for half an hour "
    "and checking when each arrived. Invoice data was not affected."
)
AS_FACT = " The backlog was caused by the mail settings change at 08:55 UTC."


def resolve_in_browser(browser, desk: str, people):
    """The comms owner writes the resolution; the commander approves and publishes it. Both
    pages are returned, signed in, for what each does next."""
    comms = browser.new_context().new_page()
    sign_in(comms, desk, people["comms"])
    comms.get_by_role("link", name="Resolve", exact=True).click()
    comms.fill("#id_body", RESOLUTION)
    comms.get_by_role("button", name="Save draft").click()
    comms.get_by_text("Draft saved.").wait_for()
    commander = browser.new_context().new_page()
    sign_in(commander, desk, people["commander"])
    commander.get_by_role("link", name="Edit or publish this draft").click()
    commander.get_by_role("button", name="Approve and publish").click()
    commander.get_by_text("Update published.").wait_for()
    return comms, commander


@pytest.fixture
def record(transactional_db, people):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    return make_record(tallyhouse(), people)


@pytest.mark.browser
def test_a_resolution_leads_to_a_checked_approved_preliminary_report_on_the_public_page(
    live_server, people, record, browser, record_property
):
    started = time.monotonic()
    desk = f"{live_server.url}/desk/incidents/{record.pk}/"

    _, commander = resolve_in_browser(browser, desk, people)

    # The worker drafts the preliminary report; the incident page offers it to the commander.
    in_thread(run_jobs)
    commander.goto(desk)
    commander.get_by_role("link", name="Check, approve and publish the preliminary report").click()
    commander.get_by_role("heading", name="Edit the preliminary report").wait_for()
    checks = commander.locator("#checks")
    assert checks.get_attribute("data-errors") == "0"
    assert "40 minutes late" in checks.locator(".reader-test").inner_text()
    drafted = commander.locator("#id_body").input_value()
    assert "We are still checking" in drafted and "help@tallyhouse.example" in drafted

    # Stating the open question as a fact is flagged as it is typed, and goes when taken out.
    commander.locator("#id_body").fill(drafted + AS_FACT)
    commander.locator('#checks [data-rule="unsupported-claim"]').wait_for()
    commander.locator("#id_body").fill(drafted)
    commander.locator('#checks [data-rule="unsupported-claim"]').wait_for(state="detached")
    commander.get_by_role("button", name="Approve and publish").click()
    commander.get_by_text("Update published.").wait_for()

    # Customers read it on the incident's page, under its own heading.
    in_thread(run_jobs)
    public = commander.context.request.get(f"{live_server.url}/incidents/{record.public_id}")
    page = public.text()
    elapsed = time.monotonic() - started
    record_property("resolution_to_public_preliminary_report_seconds", round(elapsed, 2))
    print(f"\nresolution → preliminary report on the public page, two people: {elapsed:.2f} s")

    section = re.search(r"<h2[^>]*>Preliminary report</h2>(.*?)</section>", page, re.S)
    assert section and drafted in html.unescape(section.group(1))
    report = in_thread(
        lambda: Update.objects.select_related("approver").get(incident=record, kind="preliminary")
    )
    assert (report.state, report.approver.username, report.body) == (
        "published",
        people["commander"].username,
        drafted,
    )
    facts = in_thread(lambda: PlanItem.objects.get(incident=record, step="facts").state)
    assert facts == "done"
