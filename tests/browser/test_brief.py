"""The brief in a real browser: the copy button puts the plain text on the clipboard, and
without scripts the text stays selectable."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_desk import sign_in
from tests.factories import make_incident

BODY = "Card payments fail for some customers. Next update in 30 minutes."


@pytest.fixture
def incident(transactional_db):
    return make_incident(title="Card payments are declined", body=BODY)


@pytest.mark.browser
def test_it_copies_the_chat_text_to_the_clipboard(live_server, people, incident, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, f"{live_server.url}/desk/incidents/{incident.pk}/brief/", people["support"])
    page.get_by_role("button", name="Copy chat text").click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Card payments are declined — Investigating")
    assert BODY in copied
    assert "<" not in copied
    context.close()


@pytest.mark.browser
def test_it_leaves_the_text_to_select_by_hand_without_scripts(
    live_server, people, incident, browser
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, f"{live_server.url}/desk/incidents/{incident.pk}/brief/", people["support"])
    # The button is in the page, hidden until a script can make it work.
    copy = page.get_by_role("button", name="Copy email text", include_hidden=True)
    expect(copy).to_have_count(1)
    expect(copy).to_be_hidden()
    email = page.get_by_label("For an email reply")
    assert BODY in email.input_value()
    context.close()
