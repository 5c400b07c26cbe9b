"""The distributed backend under a real fan-out: two RQ worker processes share one publish's
deliveries, and every subscriber gets exactly one message."""

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import django_rq
import pytest
from django.db import connection
from django.utils import timezone
from rq import Worker

from clearline.notify.models import Channel, Delivery, Subscriber
from tests import redisq
from tests.factories import make_incident, publish
from tests.servers import clearline_env

REPO = Path(__file__).resolve().parent.parent
READERS = 300

pytestmark = [
    # The workers share the test's own database, which on SQLite would take one writer at a time.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run covers this"),
    pytest.mark.django_db(transaction=True),
]


def database_url(settings) -> str:
    db = settings.DATABASES["default"]
    login = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_workers(env: dict[str, str], count: int) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "clearline", "worker"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(count)
    ]
    redis = django_rq.get_connection("default")
    deadline = time.monotonic() + 120
    while len(Worker.all(connection=redis)) < count:
        assert time.monotonic() < deadline, "the workers did not start"
        assert all(w.poll() is None for w in workers), workers[0].stderr.read().decode()
        time.sleep(0.1)
    return workers


def stop(workers: list[subprocess.Popen]) -> None:
    for process in workers:
        process.send_signal(signal.SIGTERM)
    for process in workers:
        _, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors.decode()


@pytest.mark.slow
def test_two_rq_workers_tell_every_subscriber_exactly_once(rq_backend, smtp, settings, tmp_path):
    incident = make_incident(title="Card payments are declined", published=False)
    readers = [f"reader{n}@example.com" for n in range(READERS)]
    Subscriber.objects.bulk_create(
        Subscriber(channel=Channel.EMAIL, email=address, confirmed_at=timezone.now())
        for address in readers
    )
    env = redisq.worker_env(
        clearline_env(
            tmp_path,
            DATABASE_URL=database_url(settings),
            EMAIL_HOST=smtp.host,
            EMAIL_PORT=str(smtp.port),
            PYTHONPATH=str(REPO),
            LOG_LEVEL="WARNING",
        )
    )
    workers = start_workers(env, 2)
    try:
        publish(incident, "Card payments are declined; we are rolling back the change.")
        deadline = time.monotonic() + 90
        while len(smtp.messages) < READERS and time.monotonic() < deadline:
            if not Delivery.objects.exists() and time.monotonic() > deadline - 70:
                break  # nothing fanned out within 20 s
            time.sleep(0.2)
        time.sleep(1)  # a second copy on its way would arrive now
    finally:
        stop(workers)

    told = Counter(message["To"] for message in smtp.messages)
    assert told == Counter(readers)
    assert Delivery.objects.filter(state="delivered").count() == READERS
