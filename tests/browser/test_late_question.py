"""A question asked after the resolution, answered in public, in a real browser.

Support logs the question on the incident's desk page; the comms owner drafts the answer and
lands in the editor; the commander checks, approves and publishes it; customers read it on the
incident's public page under "Addendum, <date>"."""

import pytest
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.updates.models import Update
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import run_jobs
from tests.loop.conftest import incident_for, resolve
from tests.reviews.conftest import organisation

ANSWER = (
    "Several customers asked whether card payments that were declined between 12:00 and 12:40 "
    "were charged. They were not: every declined payment was reversed the same day, and "
    "payment records show no card charged twice. Questions are welcome at our support address."
)


@pytest.fixture
def resolved(transactional_db, people):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    organisation()
    return resolve(incident_for(people))


@pytest.mark.browser
def test_a_late_question_is_answered_approved_and_shown_as_a_dated_addendum(
    live_server, people, resolved, browser
):
    desk = f"{live_server.url}/desk/incidents/{resolved.pk}/"
    support = browser.new_context().new_page()
    sign_in(support, desk, people["support"])
    support.locator("#loop textarea[name=text]").fill("Were declined cards charged twice?")
    support.locator("#loop input[name=account]").fill("Acme Freight")
    support.get_by_role("button", name="Log the question").click()
    support.get_by_text("Question logged.").wait_for()

    comms = browser.new_context().new_page()
    sign_in(comms, desk, people["comms"])
    comms.locator("#loop textarea[name=body]").fill(ANSWER)
    comms.get_by_role("button", name="Draft the answer").click()
    comms.get_by_role("heading", name="Edit the addendum").wait_for()

    commander = browser.new_context().new_page()
    sign_in(commander, desk, people["commander"])
    commander.get_by_role("link", name="Check, approve and publish the answer").click()
    commander.get_by_role("heading", name="Edit the addendum").wait_for()
    assert commander.locator("#id_body").input_value() == ANSWER
    commander.get_by_role("button", name="Approve and publish").click()
    commander.get_by_text("Update published.").wait_for()

    in_thread(run_jobs)
    page = commander.context.request.get(f"{live_server.url}/incidents/{resolved.public_id}")
    text = page.text()
    addendum = in_thread(lambda: Update.objects.get(incident=resolved, kind="addendum"))
    zone = in_thread(lambda: Organisation.current().zone)
    day = timezone.localdate(addendum.published_at, zone)
    assert f"Addendum, {day.day} {day:%B %Y}" in text
    assert "every declined payment was reversed the same day" in text
    assert "charged twice?" not in text and "Acme Freight" not in text
