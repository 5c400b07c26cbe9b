"""When sending fails: retries after a wait, dead letters, a refused address, a hanging
endpoint, and an endpoint that fails for days."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.core.errors import ClearlineError, PermissionDenied
from clearline.core.models import AuditEntry, OutboxEvent
from clearline.notify import retry
from clearline.notify.deliveries import delivery_counts
from clearline.notify.fanout import fan_out
from clearline.notify.models import Delivery, Subscriber
from clearline.notify.sending import send_deliveries
from tests.factories import make_incident
from tests.notify.conftest import subscribe
from tests.notify.test_sending import Inbox
from tests.smtp import SmtpServer
from tests.unchanged import nothing_changes

pytestmark = pytest.mark.usefixtures("delivery_settings")


def test_mail_server_down_during_publish_then_up_delivers_everything_once(
    transactional_db, settings
):
    for n in range(5):
        subscribe(f"reader{n}@example.com")
    server = SmtpServer()  # not listening yet: the mail server is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    incident = make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)

    update = incident.updates.get()
    assert delivery_counts(update.pk)["pending"] == 5
    assert "could not be reached" in Delivery.objects.first().last_error

    with server:
        worker.run(batch=True)  # the clock's retry job finds the due retries
        worker.run(batch=True)  # and a second pass finds nothing left to send

    assert sorted(m["To"] for m in server.messages) == [f"reader{n}@example.com" for n in range(5)]
    counts = delivery_counts(update.pk)
    assert (counts["delivered"], counts["pending"], counts["failed"]) == (5, 0, 0)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}


def test_an_address_the_server_refuses_for_good_fails_without_retrying(transactional_db, smtp):
    subscribe("gone@example.com")
    smtp.refuse("RCPT", "550 5.1.1 No such user")
    make_incident(title="Exports fail")
    worker.run(batch=True)
    worker.run(batch=True)

    delivery = Delivery.objects.get()
    assert delivery.state == "failed" and delivery.attempts == 1
    assert "550 5.1.1 No such user" in delivery.last_error


def test_a_temporary_refusal_is_tried_again(transactional_db, smtp):
    subscribe("kim@example.com")
    smtp.refuse("RCPT", "451 4.3.0 Try again later")
    make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)
    assert Delivery.objects.get().state == "pending"

    smtp.accept()
    worker.run(batch=True)
    [message] = smtp.messages
    assert message["To"] == "kim@example.com"
    assert Delivery.objects.get().state == "delivered"


def test_after_the_last_attempt_a_delivery_is_a_dead_letter_an_admin_can_retry(
    transactional_db, settings, people, smtp
):
    settings.CLEARLINE_DELIVERY_ATTEMPTS = 2
    smtp.refuse("DATA", "421 4.3.2 Shutting down")
    subscribe("kim@example.com")
    make_incident(title="Exports fail")
    worker.run(batch=True)
    worker.run(batch=True)
    delivery = Delivery.objects.get()
    assert delivery.state == "failed" and delivery.attempts == 2

    with nothing_changes():
        with pytest.raises(PermissionDenied):
            retry.retry_delivery(delivery=delivery, by=people["support"])
    smtp.accept()
    retry.retry_delivery(delivery=delivery, by=people["comms"])
    worker.run(batch=True, periodic=False)

    delivery.refresh_from_db()
    assert delivery.state == "delivered" and len(smtp.messages) == 1
    entry = AuditEntry.objects.get(action="delivery.retried")
    assert entry.actor == people["comms"]
    with pytest.raises(ClearlineError, match="Only a failed delivery can be retried"):
        retry.retry_delivery(delivery=delivery, by=people["comms"])


def test_a_hanging_endpoint_does_not_hold_up_the_others(transactional_db, settings):
    settings.CLEARLINE_WEBHOOK_TIMEOUT = 30
    with Inbox() as hanging, Inbox() as first, Inbox() as second:
        hanging.hold.clear()  # it reads the request and never answers until released
        for endpoint in (hanging, first, second):
            subscribe(endpoint.url, channel="slack")
        make_incident(title="Card payments fail")
        sender = threading.Thread(target=worker.run, kwargs={"batch": True, "periodic": False})
        sender.start()
        try:
            assert hanging.arrived.wait(30)
            assert first.arrived.wait(30) and second.arrived.wait(30)
            # Both others are recorded as delivered while the hanging one still holds its request.
            # Read seldom: on the shared-memory test database a read locks the table the
            # worker is marking, and a mark that meets the lock fails the sending job.
            for _ in range(100):
                threading.Event().wait(0.3)
                try:
                    states = dict(Delivery.objects.values_list("subscriber__url", "state"))
                except OperationalError:  # the test database is shared memory: locked a moment
                    states = {}
                if states and states[first.url] == states[second.url] == "delivered":
                    break
            assert states == {
                hanging.url: "sending",
                first.url: "delivered",
                second.url: "delivered",
            }
        finally:
            hanging.hold.set()
            sender.join(60)
    assert Delivery.objects.filter(state="delivered").count() == 3


class Trickle:
    """An endpoint that reads the request and then answers a byte every 0.2 s, never finishing:
    each read sees data in time, so only a deadline on the whole request ends it."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/slack"
        self._stopped = threading.Event()

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            with client:
                client.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 200:
                    if self._stopped.wait(0.2):
                        break
                    try:
                        client.sendall(bytes([byte]))
                    except OSError:
                        break

    def __enter__(self) -> "Trickle":
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopped.set()
        self._listener.close()


def test_an_endpoint_answering_a_byte_at_a_time_is_cut_off_at_the_deadline(
    transactional_db, settings
):
    settings.CLEARLINE_WEBHOOK_TIMEOUT = 1
    with Trickle() as endpoint:
        subscribe(endpoint.url, channel="slack")
        make_incident(title="Card payments fail")
        started = time.monotonic()
        worker.run(batch=True, periodic=False)
        took = time.monotonic() - started

    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and delivery.attempts == 1
    assert delivery.last_error == "No answer from 127.0.0.1 in time."
    assert took < 5


def test_an_endpoint_failing_for_days_is_switched_off_and_the_admins_told_once(
    transactional_db, people, smtp
):
    with Inbox(status=500) as broken:
        sub = subscribe(broken.url, channel="slack")
        make_incident(title="Card payments fail")
        worker.run(batch=True, periodic=False)
        sub.refresh_from_db()
        assert sub.failing_since is not None and sub.disabled_at is None

        Subscriber.objects.filter(pk=sub.pk).update(
            failing_since=timezone.now() - timedelta(days=3, minutes=1)
        )
        worker.run(batch=True)
        worker.run(batch=True)

    sub.refresh_from_db()
    assert sub.disabled_at is not None and "failed for 3 days" in sub.disabled_reason
    [notice] = smtp.messages
    assert notice["To"] == "alex@example.com"
    assert broken.url in notice["Subject"]
    assert Delivery.objects.get().state == "failed"  # the next try found the endpoint off


def test_a_success_ends_an_endpoints_run_of_failures(transactional_db):
    with Inbox() as endpoint:
        sub = subscribe(endpoint.url, channel="slack")
        Subscriber.objects.filter(pk=sub.pk).update(failing_since=timezone.now())
        make_incident(title="Card payments fail")
        worker.run(batch=True, periodic=False)
    sub.refresh_from_db()
    assert sub.failing_since is None


def test_a_claimed_row_is_not_sent_by_a_second_job(transactional_db, smtp):
    subscribe("kim@example.com")
    make_incident(title="Exports fail")
    fan_out(OutboxEvent.objects.get())
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert send_deliveries(ids) == {"delivered": 1}
    assert send_deliveries(ids) == {}


def test_an_unusable_address_fails_alone_and_the_batch_goes_on(transactional_db, smtp):
    subscribe("kim@exam ple.com\nBcc: everyone@example.com")
    subscribe("lee@example.com")
    make_incident(title="Exports fail")
    worker.run(batch=True)

    assert [m["To"] for m in smtp.messages] == ["lee@example.com"]
    broken = Delivery.objects.get(subscriber__email__startswith="kim")
    assert broken.state == "failed" and broken.attempts == 1
    assert broken.last_error.startswith("The address cannot be used")


def test_the_clock_sends_what_a_dead_workers_claim_held_and_leaves_fresh_rows_to_their_job(
    transactional_db, smtp
):
    subscribe("kim@example.com")
    subscribe("lee@example.com")
    make_incident(title="Exports fail")
    fan_out(OutboxEvent.objects.get())
    held, fresh = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=held.pk).update(
        state="sending",
        claimed_by="a worker killed mid-batch",
        claimed_until=timezone.now() - timedelta(seconds=1),
        attempts=1,
    )

    assert retry.queue_due() == 1  # the fresh row's own job is already queued
    worker.run(batch=True, periodic=False)

    held.refresh_from_db()
    assert held.state == "delivered" and held.attempts == 2
    assert sorted(m["To"] for m in smtp.messages) == ["kim@example.com", "lee@example.com"]


def test_the_clock_sends_the_rows_of_a_job_whose_worker_died_before_claiming_them(
    transactional_db, smtp, settings
):
    subscribe("kim@example.com")
    make_incident(title="Exports fail")
    fan_out(OutboxEvent.objects.get())
    # A worker took the send job and was killed before its claim on the row committed: the job
    # stays "running" for ever and the row untouched.
    job = DBTaskResult.objects.get(task_path="clearline.notify.tasks.send_deliveries")
    job.claim("a worker killed before its claim")
    assert retry.queue_due() == 0  # the job may still be at work
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.CLEARLINE_DELIVERY_LEASE_SECONDS + 1)
    )

    assert retry.queue_due() == 1
    worker.run(batch=True, periodic=False)

    assert [m["To"] for m in smtp.messages] == ["kim@example.com"]
    assert Delivery.objects.get().state == "delivered"


def test_a_batch_running_past_half_its_lease_hands_the_rest_to_a_new_job(
    transactional_db, smtp, settings
):
    settings.CLEARLINE_DELIVERY_LEASE_SECONDS = 0  # every batch is out of time after one message
    for n in range(4):
        subscribe(f"reader{n}@example.com")
    make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)

    assert sorted(m["To"] for m in smtp.messages) == [f"reader{n}@example.com" for n in range(4)]
    assert set(Delivery.objects.values_list("state", "attempts")) == {("delivered", 1)}
