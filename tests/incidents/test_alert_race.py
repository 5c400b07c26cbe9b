"""Two Alertmanager replicas deliver the same group at the same moment: one incident opens."""

import json
import logging
import threading
import time

import pytest
from django.db import connection, transaction

from clearline.incidents.alerts.services import receive_alertmanager
from clearline.incidents.models import AlertLink, Incident
from tests.factories import make_alert_source
from tests.incidents.conftest import delivery

# SQLite runs one writer at a time (IMMEDIATE transactions), so there is no race to lose there.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL run covers this"
)


def wait_until_a_transaction_waits_on_a_lock(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second delivery never waited for the first")


@pytest.mark.django_db(transaction=True)
def test_it_opens_one_incident_when_two_deliveries_of_a_group_race(caplog):
    caplog.set_level(logging.INFO, logger="clearline.incidents.alerts")
    source, _ = make_alert_source("alertmanager")
    payload = json.loads(delivery("alertmanager_firing"))
    receipts, errors = {}, []
    first_has_written, commit_first = threading.Event(), threading.Event()

    def deliver(name: str, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                receipts[name] = receive_alertmanager(source=source, payload=payload)
                if hold:  # keep the first transaction open until the second one is inside
                    first_has_written.set()
                    commit_first.wait(10)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=deliver, args=("first",), kwargs={"hold": True})
    second = threading.Thread(target=deliver, args=("second",), kwargs={"hold": False})
    first.start()
    assert first_has_written.wait(10)
    second.start()
    wait_until_a_transaction_waits_on_a_lock()
    commit_first.set()
    first.join(10)
    second.join(10)

    assert errors == []
    assert Incident.objects.count() == 1 and AlertLink.objects.count() == 1
    assert receipts["first"].created and not receipts["second"].created
    assert receipts["second"].incident.pk == receipts["first"].incident.pk
    assert Incident.objects.get().timeline.count() == 1
    assert "a concurrent delivery opened the incident first" in caplog.text
