"""The worker's relay: an outbox event whose job was lost (a queue that lost it, a process that
died between its commit and queueing) is queued again, and the public page catches up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.core import outbox
from clearline.core.models import OutboxEvent, OutboxReceipt
from clearline.core.tasks import handle_event
from tests.factories import make_incident, run_jobs, run_worker

TEXT = "Exports fail for everyone; we are restarting the export workers."


def lose_the_jobs(*, age: timedelta) -> OutboxEvent:
    """The last publish's jobs never reach a worker, and it happened `age` ago."""
    DBTaskResult.objects.filter(task_path=handle_event.module_path).delete()
    OutboxEvent.objects.update(created_at=timezone.now() - age)
    return OutboxEvent.objects.latest("pk")


def test_the_relay_queues_a_lost_event_and_the_page_catches_up(db, snapshot_dir):
    make_incident(title="Exports fail", body=TEXT)
    event = lose_the_jobs(age=timedelta(minutes=1))
    run_jobs()
    assert not (snapshot_dir / "index.html").exists()  # nothing was left to run

    assert outbox.relay() >= 1
    run_jobs()

    assert TEXT in (snapshot_dir / "index.html").read_text()
    assert OutboxReceipt.objects.filter(event=event, consumer="snapshot").exists()
    assert outbox.relay() == 0  # handled: nothing to queue again


def test_the_relay_leaves_a_young_event_to_its_own_job(db):
    make_incident(title="Exports fail", body=TEXT)
    lose_the_jobs(age=timedelta(seconds=5))
    assert outbox.relay() == 0


@pytest.fixture
def listener():
    """A second consumer, as the subscriber fan-out is: it notes every event it is given."""
    seen: list[int] = []
    outbox.consumer("listener")(lambda event: seen.append(event.pk))
    yield seen
    outbox._consumers.pop("listener")


def test_a_batch_worker_relays_before_it_works_the_queue(db, listener):
    make_incident(title="Exports fail", body=TEXT)
    event = lose_the_jobs(age=timedelta(minutes=1))

    run_worker()  # as cron runs it, with the periodic work

    assert listener == [event.pk]
    assert OutboxReceipt.objects.filter(event=event, consumer="listener").exists()


def test_the_clock_runs_the_relay(db):
    assert any(isinstance(check, worker.Relay) for check in worker.local_checks())
