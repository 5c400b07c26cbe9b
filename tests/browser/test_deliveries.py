"""An update's fan-out watched at the desk: the counts move by themselves while it runs."""

import pytest
from playwright.sync_api import expect

from clearline import worker
from clearline.core.models import OutboxEvent
from clearline.notify.fanout import fan_out
from tests.browser.test_desk import sign_in
from tests.browser.test_editor import in_thread
from tests.factories import make_incident
from tests.notify.conftest import subscribe


@pytest.fixture
def update(transactional_db, smtp, delivery_settings):
    """Three readers' deliveries written, none sent yet."""
    for name in ("kim", "lee", "max"):
        subscribe(f"{name}@example.com")
    incident = make_incident(title="Exports fail")
    fan_out(OutboxEvent.objects.get())
    return incident.updates.get()


def email_cell(page, state: str):
    return page.locator(f'tr[data-channel="email"] td[data-state="{state}"]')


@pytest.mark.browser
def test_the_counts_move_on_the_open_page_as_messages_go_out(
    live_server, people, update, smtp, browser
):
    page = browser.new_context().new_page()
    sign_in(page, f"{live_server.url}/desk/updates/{update.pk}/deliveries/", people["support"])
    expect(email_cell(page, "pending")).to_have_text("3")
    expect(email_cell(page, "delivered")).to_have_text("0")

    in_thread(lambda: worker.run(batch=True, periodic=False))

    expect(email_cell(page, "delivered")).to_have_text("3", timeout=10_000)
    expect(email_cell(page, "pending")).to_have_text("0")
    expect(page.locator("#progress-status")).to_have_text("Every delivery is settled.")
    assert len(smtp.messages) == 3
