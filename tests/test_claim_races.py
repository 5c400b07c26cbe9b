"""Two workers claim the same job at the same instant: exactly one wins, every round.

Each claimer opens its own PostgreSQL connection, then all meet at a barrier and claim at once.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.core import outbox
from clearline.core.models import EventKind, OutboxReceipt
from clearline.promises.models import Reminder
from clearline.promises.services import _claim, check_promises
from tests.factories import make_incident, publish

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run covers this"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 8
runs: Counter = Counter()


@task()
def count_run(job: str) -> str:
    """A job that only notes that it ran, and how often."""
    runs[job] += 1
    return job


def at_once(*claims):
    """Run each claim in its own thread and connection, released together by a barrier."""
    barrier = threading.Barrier(len(claims))
    results: list = [None] * len(claims)
    errors: list[BaseException] = []

    def claimer(index: int, claim) -> None:
        try:
            connection.ensure_connection()  # connect first: the barrier releases the claims
            barrier.wait(timeout=30)
            results[index] = claim()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=claimer, args=(index, claim)) for index, claim in enumerate(claims)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_workers_claiming_one_reminder_send_it_once(people):
    incident = make_incident(title="Exports fail", comms_owner=people["comms"], published=False)
    publish(incident, "Exports fail for everyone.", now=timezone.now() - timedelta(hours=2))
    now = incident.updates.get().next_update_due + timedelta(minutes=1)
    [reminder] = check_promises(now=now)
    for _ in range(ROUNDS):
        Reminder.objects.filter(pk=reminder.pk).update(claimed_at=None, attempts=0)
        won = at_once(lambda: _claim(reminder.pk, now), lambda: _claim(reminder.pk, now))
        assert sorted(won) == [False, True]
        assert Reminder.objects.get(pk=reminder.pk).attempts == 1


def test_two_workers_taking_one_burst_of_events_leave_one_receipt_each(snapshot_dir):
    """Both may render (the folder lock orders them); neither fails on the other's receipts."""
    for round_ in range(ROUNDS):
        with transaction.atomic():
            events = [outbox.publish(EventKind.PAGE_CHANGED) for _ in range(3)]
        ran = at_once(
            lambda first=events[0].pk: outbox.handle(first, "snapshot"),
            lambda last=events[-1].pk: outbox.handle(last, "snapshot"),
        )
        assert True in ran, round_
        receipts = OutboxReceipt.objects.filter(event__in=events, consumer="snapshot")
        assert sorted(receipts.values_list("event_id", flat=True)) == [e.pk for e in events]
    assert (snapshot_dir / "index.html").exists()


def test_two_workers_run_each_queued_job_once():
    jobs = [f"job-{number}" for number in range(ROUNDS)]
    for name in jobs:
        count_run.enqueue(job=name)
    at_once(
        lambda: worker.run(batch=True, periodic=False, worker_id="worker-a"),
        lambda: worker.run(batch=True, periodic=False, worker_id="worker-b"),
    )
    assert {name: runs[name] for name in jobs} == dict.fromkeys(jobs, 1)
    results = DBTaskResult.objects.filter(task_path=count_run.module_path)
    assert sorted(results.values_list("status", flat=True)) == ["SUCCESSFUL"] * ROUNDS
