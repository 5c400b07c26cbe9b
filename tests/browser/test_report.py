"""From a reviewed incident to the published customer report, in a real browser.

The comms owner drafts the reports from the record at the desk; the commander opens the
plain-language customer report in the editor, sees it checked with no errors, approves and
publishes it. Customers then read it on the incident's page and download its PDF through the
page's link; the PDF's text carries every section."""

import io
import time

import pytest
from pypdf import PdfReader

from clearline.reviews.reports import drafting
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import run_jobs
from tests.reviews.reports.conftest import make_filled


@pytest.fixture
def reviewed(transactional_db, people):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    return make_filled(people)


@pytest.mark.browser
def test_a_reviewed_incident_leads_to_a_published_report_and_its_pdf(
    live_server, people, reviewed, browser, record_property
):
    started = time.monotonic()
    desk = f"{live_server.url}/desk/incidents/{reviewed.pk}/"

    comms = browser.new_context().new_page()
    sign_in(comms, desk, people["comms"])
    comms.get_by_role("link", name="Reports", exact=True).click()
    comms.get_by_role("button", name="Draft the reports from the record").click()
    comms.get_by_text("Reports drafted from the record.").wait_for()
    assert "0 errors" in comms.locator("#report-plain").inner_text()

    commander = browser.new_context(accept_downloads=True).new_page()
    sign_in(commander, f"{desk}reports/", people["commander"])
    commander.get_by_role(
        "link", name="Edit, check and approve the customer report (plain language)"
    ).click()
    commander.get_by_role("heading", name="Edit the incident report").wait_for()
    assert commander.locator("#checks").get_attribute("data-errors") == "0"
    assert "## What we are changing" in commander.locator("#id_body").input_value()
    commander.get_by_role("button", name="Approve and publish").click()
    commander.get_by_text("Update published.").wait_for()

    in_thread(run_jobs)  # the worker renders the public page
    commander.goto(f"{live_server.url}/incidents/{reviewed.public_id}")
    commander.get_by_role("heading", name="Incident report", exact=True).wait_for()
    commander.get_by_role("heading", name="What stayed safe").wait_for()
    link = commander.get_by_role("link", name="Download the report as PDF")
    assert link.get_attribute("href").endswith(".pdf")
    with commander.expect_download() as download:
        link.click()
    pdf = download.value
    content = open(pdf.path(), "rb").read()
    elapsed = time.monotonic() - started
    record_property("reviewed_incident_to_published_report_pdf_seconds", round(elapsed, 2))

    assert pdf.suggested_filename.endswith(".pdf")
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )
    for heading in drafting.headings("plain"):
        assert heading in text, heading
    assert "Tallyhouse" in text
