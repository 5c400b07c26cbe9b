"""The RQ backend (CLEARLINE_TASK_BACKEND=rq): a job reaches Redis only when its transaction
commits, `clearline worker` runs it there, and two worker processes share one queue without
running any job twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import django_rq
import pytest
from django.db import connection, transaction
from django_tasks import task
from rq import Worker

from clearline import worker
from clearline.core import queueing
from clearline.incidents.models import Incident
from tests import redisq
from tests.factories import make_incident
from tests.servers import clearline_env

REPO = Path(__file__).resolve().parent.parent
JOBS = 200


@task()
def note_title(incident_id: int) -> None:
    """Reads a row of the transaction that queued it, and notes what it read in Redis."""
    title = Incident.objects.get(pk=incident_id).title
    django_rq.get_connection("default").set(f"title:{incident_id}", title)


@task()
def count_run(number: int) -> None:
    """Counts its runs, and notes which worker process ran it."""
    redis = django_rq.get_connection("default")
    redis.incr(f"runs:{number}")
    redis.hset("ran-by", number, os.getpid())
    time.sleep(0.005)  # long enough that both workers are busy at once


class RolledBack(Exception):
    pass


def queued(redis) -> int:
    return redis.llen("rq:queue:default")


def test_a_job_queued_in_a_transaction_that_rolls_back_never_runs(transactional_db, rq_backend):
    with pytest.raises(RolledBack), transaction.atomic():
        incident = make_incident(title="Exports fail", published=False)
        queueing.enqueue(note_title, incident_id=incident.pk)
        raise RolledBack
    assert queued(rq_backend) == 0

    worker.run(batch=True, periodic=False)

    assert queued(rq_backend) == 0
    assert rq_backend.keys("title:*") == []


def test_a_committed_job_reaches_the_queue_at_the_commit_and_runs(transactional_db, rq_backend):
    with transaction.atomic():
        incident = make_incident(title="Exports fail", published=False)
        queueing.enqueue(note_title, incident_id=incident.pk)
        # Not yet on the queue: a worker elsewhere would look for an incident it cannot see.
        assert queued(rq_backend) == 0
    assert queued(rq_backend) == 1

    worker.run(batch=True, periodic=False)

    assert queued(rq_backend) == 0
    assert rq_backend.get(f"title:{incident.pk}") == b"Exports fail"


def test_the_periodic_check_is_queued_once_a_period_however_many_clocks_ask(db, rq_backend):
    from clearline.promises import tasks as promise_tasks

    assert worker.queue_periodic(promise_tasks.check_promises, 60) is True
    assert worker.queue_periodic(promise_tasks.check_promises, 60) is False
    assert queued(rq_backend) == 1


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite run covers this")
def test_two_worker_processes_run_every_job_of_one_queue_exactly_once(tmp_path, rq_backend):
    # A SQLite file of their own, only for the workers' start-up: these jobs write to Redis alone.
    env = redisq.worker_env(clearline_env(tmp_path, PYTHONPATH=str(REPO), LOG_LEVEL="WARNING"))
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True, timeout=300
    )
    command = [sys.executable, "-m", "clearline", "worker"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    try:
        connection = django_rq.get_connection("default")
        deadline = time.monotonic() + 120
        while len(Worker.all(connection=connection)) < 2 and time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers), workers[0].stderr.read().decode()
            time.sleep(0.1)
        for number in range(JOBS):
            note = count_run.enqueue(number=number)
            assert note.id
        while queued(rq_backend) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            _, errors = process.communicate(timeout=60)
            assert process.returncode == 0, errors.decode()

    runs = [int(rq_backend.get(f"runs:{number}") or 0) for number in range(JOBS)]
    assert runs == [1] * JOBS
    assert len(set(rq_backend.hvals("ran-by"))) == 2  # both workers took a share
