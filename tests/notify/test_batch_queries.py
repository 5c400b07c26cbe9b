"""A send job's database work does not grow with its batch: a fan-out to thousands reads each
subscriber once, with the batch, and then writes one row per message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearline.core.models import OutboxEvent
from clearline.notify.fanout import fan_out
from clearline.notify.models import Delivery
from clearline.notify.sending import send_deliveries
from tests.factories import make_incident
from tests.notify.conftest import subscribe
from tests.notify.test_sending import Inbox

pytestmark = pytest.mark.usefixtures("delivery_settings")


def unsent_rows() -> list[int]:
    """Publish an incident; its delivery rows, written and not yet sent."""
    make_incident(title="Exports fail")
    fan_out(OutboxEvent.objects.get())
    return list(Delivery.objects.order_by("pk").values_list("pk", flat=True))


def queries_to_send(ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        send_deliveries(ids)
    # The per-message marks go to the driver directly; everything else goes through Django.
    return len(captured)


def all_delivered() -> bool:
    return set(Delivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_ten_times_the_emails_take_the_same_queries(transactional_db, smtp):
    for n in range(33):
        subscribe(f"reader{n}@example.com")
    ids = unsent_rows()

    assert queries_to_send(ids[:3]) == queries_to_send(ids[3:])
    assert len(smtp.messages) == 33 and all_delivered()


def test_three_times_the_endpoints_take_the_same_queries(transactional_db):
    with Inbox() as endpoint:
        for n in range(8):
            subscribe(f"{endpoint.url}/{n}", channel="slack")
        ids = unsent_rows()

        assert queries_to_send(ids[:2]) == queries_to_send(ids[2:])
    assert len(endpoint.bodies) == 8 and all_delivered()
