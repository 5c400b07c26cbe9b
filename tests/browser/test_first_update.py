"""The whole first update in a real browser, by two people: open, compose, fix, approve, publish.

The comms owner opens the incident and composes the first update from its facts; the checks
flag a label written where a symptom belongs, and she fixes it. The commander approves the exact
text as a second person, and the comms owner publishes it. The text then reads the same on the
public page, in summary.json and in the feed.
"""

import html
import json
import re
import time
from urllib.parse import urlsplit

import feedparser
import pytest

from clearline.updates.models import Update
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import make_component, run_jobs

LABEL = "Degraded performance on the payments cluster"
SYMPTOM = "Card payments fail at checkout"


@pytest.fixture
def component(transactional_db):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    return make_component("Card payments")


def update_texts(page_html: str) -> list[str]:
    """The text of each update on a public page, unescaped."""
    found = re.findall(r'<div class="update">.*?\n<p>(.*?)</p>', page_html, re.S)
    return [html.unescape(text) for text in found]


def feed_text(summary: str) -> str:
    """The newest update's text in a feed entry (the feed writes line breaks as <br>)."""
    newest = re.search(r"<br />(.*?)</p>", summary, re.S)[1]
    return html.unescape(newest.replace("<br />", "\n"))


@pytest.mark.browser
def test_two_people_get_a_checked_approved_first_update_out(
    live_server, people, component, browser, record_property
):
    comms = browser.new_context().new_page()
    started = time.monotonic()

    # The comms owner opens the incident from the form, naming the commander.
    sign_in(comms, f"{live_server.url}/desk/", people["comms"])
    comms.get_by_role("link", name="Open an incident").first.click()
    comms.fill("#id_title", "Card payments fail")
    comms.select_option("#id_impact", "major")
    comms.get_by_label("Card payments").select_option("partial_outage")
    comms.get_by_label("Incident commander").select_option(label="dana")
    comms.get_by_label("What still works").fill("Bank transfers and invoices work normally.")
    comms.get_by_role("button", name="Open the incident").click()
    comms.get_by_text("Compose the first update now.").wait_for()

    # She composes from the facts; the checks flag the label where a symptom belongs.
    comms.get_by_label("What customers experience").fill(LABEL)
    comms.get_by_label("What customers should do meanwhile").fill(
        "You can pay by bank transfer in the meantime."
    )
    comms.locator('#preview [data-rule="missing-symptom"]').wait_for()

    # She fixes it: the finding goes and the checks have nothing left to flag as an error.
    comms.get_by_label("What customers experience").fill(SYMPTOM)
    comms.locator('#preview [data-rule="missing-symptom"]').wait_for(state="detached")
    assert comms.locator("#preview #checks").get_attribute("data-errors") == "0"
    comms.get_by_role("button", name="Draft it").click()
    comms.get_by_text("Draft written.").wait_for()
    editor_url = comms.url
    body = comms.locator("#id_body").input_value()
    assert SYMPTOM in body

    # Without an approval, publishing is refused.
    comms.get_by_role("button", name="Publish").click()
    comms.get_by_role("alert").filter(has_text="not approved yet").wait_for()
    assert in_thread(lambda: Update.objects.get().state) == "draft"

    # The commander, a second person, approves the text she reads.
    commander = browser.new_context().new_page()
    sign_in(commander, editor_url, people["commander"])
    assert commander.locator("#id_body").input_value() == body
    commander.get_by_role("button", name="Approve", exact=True).click()
    commander.get_by_text("Approved by").first.wait_for()

    # The comms owner publishes the approved text.
    comms.goto(editor_url)
    comms.get_by_role("button", name="Publish").click()
    comms.get_by_text("Update published.").wait_for()
    elapsed = time.monotonic() - started
    in_thread(run_jobs)  # the worker renders the public page
    update = in_thread(
        lambda: Update.objects.select_related("incident__commander", "author", "approver").get()
    )
    assert (update.body, update.state, update.audience) == (body, "published", "public")
    assert update.author.username == people["comms"].username
    assert update.approver.username == people["commander"].username
    assert update.incident.title == "Card payments fail"
    assert update.incident.commander.username == people["commander"].username
    record_property("open_to_published_first_update_seconds", round(elapsed, 2))
    print(f"\nopen incident → published first update, two people, composer: {elapsed:.2f} s")

    # One text everywhere: the public page, the incident page, summary.json and the feed.
    public = comms.context.request
    home = public.get(f"{live_server.url}/").text()
    assert body in update_texts(home)
    summary = json.loads(public.get(f"{live_server.url}/api/v2/summary.json").text())
    [incident] = summary["incidents"]
    assert incident["incident_updates"][0]["body"] == body
    page = public.get(live_server.url + urlsplit(incident["shortlink"]).path).text()
    assert update_texts(page)[0] == body
    feed = feedparser.parse(public.get(f"{live_server.url}/history.atom").body())
    assert feed_text(feed.entries[0].summary) == body
