"""Queueing a job on the task backend the settings chose, at the moment its worker may run it.

The database backend writes the job as a row in the caller's transaction: a rollback takes the
job with it, and no worker sees it before the commit. A queue outside the database (RQ on Redis)
hands a job to a worker at once, before the rows the job reads are visible, and keeps it after a
rollback; there the job is queued when the transaction commits.
"""

from django.db import transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def in_database(task: Task | None = None) -> bool:
    """True when `task`'s jobs (by default: every job) are rows in the application's database."""
    backend = task.get_backend() if task else task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return isinstance(backend, DatabaseBackend)


def enqueue(task: Task, **kwargs) -> None:
    """Queue `task(**kwargs)` to run once the current transaction (if any) has committed."""
    if in_database(task):
        task.enqueue(**kwargs)
        return
    # robust: the change is already committed; a queue that is down must not turn it into an
    # error for the user. What is lost here the outbox relay queues again.
    transaction.on_commit(lambda: task.enqueue(**kwargs), robust=True)
