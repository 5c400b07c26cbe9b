"""Composing in a real browser: the preview follows the typing, and Draft it opens the editor."""

import pytest

from clearline.updates.models import Update
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import make_incident


@pytest.fixture
def incident(transactional_db):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    return make_incident(title="Exports fail", published=False, segments=[("region", "EU")])


@pytest.mark.browser
def test_the_preview_follows_the_typing_and_the_draft_opens_in_the_editor(
    live_server, people, incident, browser
):
    page = browser.new_page()
    sign_in(page, f"{live_server.url}/desk/incidents/{incident.pk}/", people["comms"])
    page.get_by_role("link", name="Compose the first update").click()
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("What customers experience").fill("Exports <b>fail</b> for large files")
    preview = page.locator("#preview [data-preview-text]")
    preview.wait_for()
    assert "Exports <b>fail</b> for large files." in preview.inner_text()
    assert "customers in the EU region" in preview.inner_text()
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("button", name="Draft it").click()
    page.get_by_text("Draft written.").wait_for()
    assert "/desk/updates/" in page.url
    body = page.locator("#id_body").input_value()
    assert "Exports <b>fail</b> for large files." in body
    draft = in_thread(lambda: Update.objects.select_related("author").get(incident=incident))
    assert (draft.body, draft.state, draft.audience) == (body, "draft", "public")
    assert draft.author.username == people["comms"].username
    assert page.url.endswith(f"/desk/updates/{draft.pk}/edit/")
