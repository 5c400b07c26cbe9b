"""The fan-out under real worker processes: one killed with SIGKILL mid-batch and restarted,
and two sharing a PostgreSQL database. Every subscriber gets exactly one message."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection

from clearline.notify.emails import in_flight_at_most
from tests.smtp import SmtpServer
from tests.statuspage.test_snapshot_faults import in_clearline, own_database

SUBSCRIBERS = 2000

SEED = f"""
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
from clearline.notify.models import Subscriber
now = timezone.now()
Subscriber.objects.bulk_create(
    [Subscriber(email=f"reader{{n}}@example.com", confirmed_at=now) for n in range({SUBSCRIBERS})],
    batch_size=1000,
)
from tests.factories import make_incident
result = make_incident(title="Exports fail").updates.get().pk
"""

STATES = """
from clearline.notify.deliveries import delivery_counts
from clearline.notify.models import Delivery
result = [delivery_counts(Delivery.objects.first().event.update_id), sorted(
    set(Delivery.objects.values_list("attempts", flat=True)))]
"""


class SlowSink(SmtpServer):
    """A mail server taking a moment over each recipient, as a busy relay does."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        await asyncio.sleep(0.002)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def worker_env(tmp_path, sink, **database) -> dict[str, str]:
    return {
        **database,
        "DJANGO_SETTINGS_MODULE": "clearline.settings",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "CLEARLINE_EMAIL_BATCH": "50",
        "CLEARLINE_DELIVERY_LEASE_SECONDS": "10",
        "CLEARLINE_RETRY_CHECK_SECONDS": "1",
        "CLEARLINE_RETRY_BASE_SECONDS": "0",
    }


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "clearline", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_everyone(sink: SmtpServer, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while len({m["To"] for m in sink.messages}) < SUBSCRIBERS:
        assert time.monotonic() < deadline, f"only {len(sink.messages)} messages arrived"
        time.sleep(0.2)


def wait_until_settled(env: dict[str, str], timeout: float = 600) -> tuple[dict, list]:
    """The counts once nothing is pending: a row whose message arrived just before its worker
    died is sent again (with the same Message-ID) when its claim lapses."""
    deadline = time.monotonic() + timeout
    while True:
        counts, attempts = in_clearline(env, STATES)
        if counts["pending"] == 0 or time.monotonic() > deadline:
            return counts, attempts
        time.sleep(1)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def assert_each_told_once(sink: SmtpServer, *, in_flight: int = 0) -> None:
    """One message per subscriber; a killed worker may repeat the ones it had in flight, with
    the same Message-ID, which mail programs show once."""
    per_recipient = Counter(m["To"] for m in sink.messages)
    assert set(per_recipient) == {f"reader{n}@example.com" for n in range(SUBSCRIBERS)}
    ids = {(m["To"], m["Message-ID"]) for m in sink.messages}
    assert len(ids) == SUBSCRIBERS
    assert sum(per_recipient.values()) - SUBSCRIBERS <= in_flight


@pytest.mark.slow
def test_a_worker_killed_mid_fan_out_and_restarted_tells_everyone_once(tmp_path, capsys):
    with SlowSink() as sink, own_database(tmp_path) as base_env:
        env = {**base_env, **worker_env(tmp_path, sink)}
        in_clearline(env, SEED)

        started = time.monotonic()
        first = start_worker(env)
        while len(sink.messages) < SUBSCRIBERS // 4:
            assert first.poll() is None and time.monotonic() - started < 120
            time.sleep(0.05)
        rate = len(sink.messages) / (time.monotonic() - started)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        at_kill = len(sink.messages)

        second = start_worker(env)
        try:
            wait_for_everyone(sink)
            counts, attempts = wait_until_settled(env)
        finally:
            stop(second)

    assert_each_told_once(sink, in_flight=in_flight_at_most())
    assert (counts["delivered"], counts["pending"], counts["failed"]) == (SUBSCRIBERS, 0, 0)
    assert attempts in ([1], [1, 2])  # the batch held at the kill is claimed a second time
    with capsys.disabled():
        print(f"\n  killed after {at_kill} messages, {rate:.0f} messages/s to the slow sink")


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run covers this")
def test_two_workers_on_postgresql_send_each_message_once(tmp_path, capsys):
    with SlowSink() as sink, own_database(tmp_path) as base_env:
        env = {**base_env, **worker_env(tmp_path, sink)}
        in_clearline(env, SEED)
        started = time.monotonic()
        workers = [start_worker(env) for _ in range(2)]
        try:
            wait_for_everyone(sink)
            elapsed = time.monotonic() - started
            counts, _ = wait_until_settled(env)
        finally:
            for process in workers:
                stop(process)

    assert_each_told_once(sink)
    assert (counts["delivered"], counts["pending"], counts["failed"]) == (SUBSCRIBERS, 0, 0)
    with capsys.disabled():
        print(f"\n  two workers: {SUBSCRIBERS / elapsed:.0f} messages/s to the slow sink")
