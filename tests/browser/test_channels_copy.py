"""Copying an update's renderings in a real browser, with scripts and without."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_desk import sign_in
from tests.factories import make_incident, publish

TEXT = 'Exports fail for "Team" & <EU> plans 📦\nNext update in 30 minutes.'


@pytest.fixture
def update(transactional_db, people):
    incident = make_incident(title="Exports fail", by=people["comms"])
    return publish(incident, TEXT, status="identified", by=people["comms"])


@pytest.mark.browser
def test_a_support_viewer_copies_the_plain_text_with_one_click(
    live_server, people, update, browser
):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, f"{live_server.url}/desk/updates/{update.pk}/channels/", people["support"])
    page.locator('button[data-copy="copy-text"]').click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#copy-text").input_value()
    assert f"\n\n{TEXT}\n\n" in copied
    context.close()


@pytest.mark.browser
def test_without_scripts_the_text_is_there_to_select(live_server, people, update, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, f"{live_server.url}/desk/updates/{update.pk}/channels/", people["support"])
    # One copy button per rendering, each in the page and hidden until a script can make it work.
    buttons = page.locator("button[data-copy]")
    expect(buttons).to_have_count(6)
    for button in buttons.all():
        expect(button).to_be_hidden()
    text = page.locator("#copy-text")
    assert text.is_visible() and TEXT in text.input_value()
    context.close()
