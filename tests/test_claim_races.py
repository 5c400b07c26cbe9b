"""Two workers claim the same job at the same instant: exactly one wins, every round.

Each claimer opens its own PostgreSQL connection, then all meet at a barrier and claim at once.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.promises.models import Reminder
from clearline.promises.services import _claim, check_promises
from clearline.statuspage import tasks as snapshot_tasks
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


def test_two_requests_taking_one_render_job_take_it_once(people):
    for _ in range(ROUNDS):
        job = snapshot_tasks.render_public_snapshot.enqueue(incident_ids=[])
        taken = at_once(
            lambda job=job: snapshot_tasks.take_render_jobs([job.id]),
            lambda job=job: snapshot_tasks.take_render_jobs([job.id]),
        )
        assert sorted(taken) == [[], [str(job.id)]]
        assert DBTaskResult.objects.get(id=job.id).status == "RUNNING"


def test_a_request_and_a_worker_never_both_run_a_render_job(people):
    """The request takes the job or the worker claims it, never both."""
    for round_ in range(ROUNDS):
        job = count_run.enqueue(job=f"render-{round_}")
        taken, _ = at_once(
            lambda job=job: snapshot_tasks.take_render_jobs([job.id]),
            lambda name=f"worker-{round_}": worker.run(batch=True, periodic=False, worker_id=name),
        )
        ran_in_worker = runs[f"render-{round_}"]
        assert (len(taken), ran_in_worker) in {(1, 0), (0, 1)}


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
