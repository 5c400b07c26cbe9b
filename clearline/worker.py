"""`clearline worker`: the task worker of the configured backend, plus a clock for periodic jobs.

On the database backend (the default) it is django-tasks' database worker; with
CLEARLINE_TASK_BACKEND=rq it is an RQ worker on the same queue in Redis.

The task engine has no cron. Each worker runs a clock thread that queues clearline's periodic
jobs every few seconds, unless one is already waiting. Several workers may run: the jobs are
idempotent and claim their own work, so an extra run costs a query, never a second email.

The clock also checks, in the worker itself (so on every machine that runs one), that the public
snapshot shows what the database holds (so does the worker as it starts), and relays outbox
events a consumer has left unhandled for a while (a lost job) back to the queue.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from clearline.core import outbox, queueing
from clearline.notify import tasks as notify_tasks
from clearline.promises import tasks as promise_tasks
from clearline.reviews.actions import tasks as action_tasks
from clearline.statuspage import tasks as snapshot_tasks
from clearline.statuspage.snapshot import SnapshotNotWritten

logger = logging.getLogger(__name__)


def periodic_jobs() -> dict:
    """Job → seconds between runs."""
    return {
        promise_tasks.check_promises: settings.CLEARLINE_PROMISE_CHECK_SECONDS,
        notify_tasks.send_due_retries: settings.CLEARLINE_RETRY_CHECK_SECONDS,
        action_tasks.send_due_action_webhooks: settings.CLEARLINE_RETRY_CHECK_SECONDS,
    }


# How often the clock looks for outbox events whose job was lost (they wait RELAY_AFTER first).
RELAY_EVERY = 10.0


class Relay:
    """On the clock: queue again the outbox events a consumer has left unhandled too long."""

    name = "outbox relay"

    def __call__(self) -> None:
        if queued := outbox.relay():
            logger.warning("outbox: queued %d unhandled events again", queued)


def local_checks() -> dict:
    """Check → seconds between runs: run by the clock itself, not queued."""
    every = settings.CLEARLINE_SNAPSHOT_CHECK_SECONDS
    return {snapshot_tasks.SnapshotKeeper(every): every, Relay(): RELAY_EVERY}


def queue_periodic(job, every: float = 1.0) -> bool:
    """Queue a periodic job unless a run is already waiting; True if one was queued.

    On RQ, "waiting" is "queued by any worker within the last `every` seconds": Redis cannot
    find a job by its task without reading the whole queue, which a fan-out makes long.
    """
    if queueing.in_database(job):
        if DBTaskResult.objects.ready().filter(task_path=job.module_path).exists():
            return False
    else:
        import django_rq

        redis = django_rq.get_connection(job.queue_name)
        key = f"clearline:periodic:{job.module_path}"
        if not redis.set(key, "queued", nx=True, px=max(1, int(every * 1000))):
            return False
    job.enqueue()
    return True


class Clock(threading.Thread):
    """Queues each periodic job on its own period until the process ends."""

    def __init__(self, jobs: dict, checks: dict | None = None) -> None:
        super().__init__(name="clearline-clock", daemon=True)
        self.jobs = {**jobs, **(checks or {})}
        self.checks = set(checks or ())
        self.stopped = threading.Event()

    def run(self) -> None:
        next_run = dict.fromkeys(self.jobs, 0.0)
        while not self.stopped.is_set():
            for job, every in self.jobs.items():
                if time.monotonic() < next_run[job]:
                    continue
                next_run[job] = time.monotonic() + every
                try:
                    if job in self.checks:
                        job()
                    else:
                        queue_periodic(job, every)
                except Exception:
                    # A database blip must not stop the clock; the next period tries again.
                    logger.exception("Could not run %s", job.name)
            connections.close_all()  # this thread's own connections; the worker's stay open
            self.stopped.wait(max(0.0, min(next_run.values()) - time.monotonic()))


def run(
    *,
    batch: bool = False,
    interval: float | None = None,
    periodic: bool = True,
    worker_id: str | None = None,
) -> None:
    """Work the queue until stopped, running the periodic jobs on their clock.

    `batch`: queue the periodic jobs once (unless `periodic` is off), run everything that is
    due, and return: for cron-style deployments and tests. `interval`: seconds between looks
    at an empty queue (CLEARLINE_WORKER_POLL_SECONDS when not given).
    """
    if not queueing.in_database():
        _run_rq(batch=batch, periodic=periodic, worker_id=worker_id)
        return
    worker = Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=settings.CLEARLINE_WORKER_POLL_SECONDS if interval is None else interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )
    if periodic:
        _catch_up_at_start()
    if batch:
        if periodic:
            Relay()()
        for job in periodic_jobs() if periodic else ():
            queue_periodic(job)
        worker.run()
        return
    Clock(periodic_jobs(), local_checks()).start()
    # Ctrl-C or SIGTERM: finish the task in hand, then exit; a second one stops at once.
    worker.configure_signals()
    worker.run()


def _run_rq(*, batch: bool, periodic: bool, worker_id: str | None) -> None:
    """The same as `run`, with an RQ worker on the default queue in Redis."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    class RQWorker(SimpleWorker):
        # Jobs run in this process, one after another, as on the database backend: no fork per
        # job. Each starts and ends without a database connection that has gone stale.
        def execute_job(self, job, queue):
            close_old_connections()
            try:
                return super().execute_job(job, queue)
            finally:
                close_old_connections()

    queue = django_rq.get_queue(DEFAULT_TASK_QUEUE_NAME, job_class=Job)
    rq_worker = RQWorker(
        [queue], connection=queue.connection, job_class=Job, name=worker_id or get_random_string(32)
    )
    if periodic:
        _catch_up_at_start()
    if batch:
        for job in periodic_jobs() if periodic else ():
            queue_periodic(job)
    else:
        Clock(periodic_jobs(), local_checks()).start()
    # RQ's own signal handling: SIGTERM finishes the job in hand, a second one stops at once.
    # The scheduler moves jobs queued with run_after onto the queue when they are due.
    level = settings.LOGGING["root"]["level"]
    rq_worker.work(burst=batch, with_scheduler=True, logging_level=level)


def _catch_up_at_start() -> None:
    """A publish whose process died at its commit, or files a full disk kept out, reach the page
    as soon as a worker starts; a failure here leaves the retrying to the clock."""
    try:
        snapshot_tasks.catch_up()
    except SnapshotNotWritten:
        pass  # noted and logged by the render; the clock retries
    except Exception:
        logger.exception("Could not bring the public snapshot up to date at start-up")
