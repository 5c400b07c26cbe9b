"""A customer subscribes from the status page in a real Chromium with scripts off, confirms from
the mail the SMTP server received, gets the next update by mail, and leaves in one click from
it; every page passes axe-core."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from clearline import worker
from clearline.notify.models import Subscriber
from clearline.statuspage.snapshot import render_everything
from tests.browser.test_editor import in_thread
from tests.factories import make_component, make_incident, publish
from tests.smtp import text_of

CONFIRM_LINK = re.compile(r"https?://\S+/subscribe/confirm/\S+")


@pytest.fixture
def status_page(transactional_db, settings, live_server):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    settings.SITE_URL = live_server.url  # the links in the mail lead to this server
    api = make_component("API", group="Platform")
    make_component("Web app", group="Platform")
    incident = make_incident(
        title="Exports fail", components={api: "partial_outage"}, started_ago=timedelta(hours=1)
    )
    render_everything()
    return {"api": api, "incident": incident}


def confirmation_link(smtp) -> str:
    in_thread(lambda: worker.run(batch=True, periodic=False))
    [message] = smtp.wait_for(1)
    return CONFIRM_LINK.search(text_of(message)).group()


@pytest.mark.browser
def test_a_visitor_subscribes_confirms_hears_the_next_update_and_unsubscribes_without_scripts(
    live_server, status_page, smtp, browser
):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Subscribe to updates").click()
    page.get_by_label("Email address").fill("ana@example.com")
    page.get_by_label("API").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    page.goto(confirmation_link(smtp))
    assert in_thread(lambda: Subscriber.objects.get().confirmed_at) is None
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()
    subscriber = in_thread(lambda: Subscriber.objects.active().get())
    assert subscriber.email == "ana@example.com"
    assert in_thread(lambda: [c.name for c in subscriber.components.all()]) == ["API"]

    page.get_by_role("link", name="manage your subscription").click()
    expect(page.get_by_label("Platform: API")).to_be_checked()

    # The next update on the incident reaches the new subscriber by mail.
    incident = status_page["incident"]
    in_thread(
        lambda: publish(incident, "Exports work again for most customers.", status="monitoring")
    )
    in_thread(lambda: worker.run(batch=True, periodic=False))
    [_, update] = smtp.wait_for(2)
    assert update["To"] == "ana@example.com"
    assert "Exports work again for most customers." in text_of(update)

    # One click on the mail's unsubscribe address ends it.
    page.goto(update["List-Unsubscribe"].strip().strip("<>"))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert in_thread(lambda: Subscriber.objects.active().exists()) is False


def violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{page.url}: {v['id']}: {v['help']}" for v in results.response["violations"]]


@pytest.mark.browser
def test_every_subscription_page_passes_axe(live_server, status_page, smtp, browser):
    page = browser.new_page()
    found = []
    incident = status_page["incident"].public_id
    page.goto(f"{live_server.url}/incidents/{incident}")
    page.get_by_role("link", name="Subscribe to updates on this incident").click()
    expect(page.get_by_text("Exports fail").first).to_be_visible()
    found += violations(page)

    page.goto(live_server.url + "/subscribe")
    found += violations(page)
    page.get_by_role("button", name="Subscribe").click()  # no address: errors on the page
    expect(page.get_by_role("alert")).to_contain_text("Enter the email address")
    found += violations(page)
    page.get_by_label("Email address").fill("ana@example.com")
    page.get_by_role("button", name="Subscribe").click()
    found += violations(page)

    page.goto(confirmation_link(smtp))
    found += violations(page)
    page.get_by_role("button", name="Confirm").click()
    found += violations(page)
    page.get_by_role("link", name="manage your subscription").click()
    found += violations(page)
    manage = page.url
    page.goto(manage + "unsubscribe")
    found += violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    found += violations(page)
    page.goto(live_server.url + "/subscribe/confirm/forged")
    found += violations(page)
    assert found == []
