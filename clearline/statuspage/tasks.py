"""The public snapshot's background work: render what a change touched, and catch up."""

import logging
import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task  # Django 6: django.tasks
from django_tasks_db.models import DBTaskResult

from clearline.statuspage import snapshot, snapshot_state

log = logging.getLogger(__name__)

# The clock leaves a change younger than this to its own render (after the commit, or its job).
SETTLED_AFTER = 30.0
# While writing keeps failing, the worker tries again after 1, 2, 4… checks, at most this often.
LONGEST_RETRY = 60.0


@task()
def render_public_snapshot(incident_ids: list[int]) -> int:
    """Queued with every public change, in its transaction: writes the files it touched.

    A write failure fails the job (and is noted for admins); the worker's clock retries.
    """
    return len(snapshot.render_after_change(incident_ids, mark=True))


def take_render_jobs(job_ids: list[str]) -> list[str]:
    """The request renders what these queued jobs would: take the ones still waiting, so the
    worker does not render the same files again (one it has claimed already runs as well)."""
    # One conditional UPDATE per job, and only a job this call changed is taken: a worker or
    # another request that claimed it meanwhile keeps it (a read first would take it twice).
    return [
        str(pk)
        for pk in job_ids
        if DBTaskResult.objects.filter(id=pk, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now()
        )
    ]


def settle_render_jobs(job_ids: list[str], *, files: int | None) -> None:
    """Done (`files` written), or given back to the worker (None) when the render failed."""
    jobs = DBTaskResult.objects.filter(id__in=job_ids, status=TaskResultStatus.RUNNING)
    if files is None:
        jobs.update(status=TaskResultStatus.READY, started_at=None)
    else:
        jobs.update(
            status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now(), return_value=files
        )


def catch_up(*, settled_for: float = 0.0) -> bool:
    """Re-render everything when the folder is behind the database or writing last failed.

    Behind: a change committed and no render of it finished (its process and its job's worker
    died, or the folder was restored from an older copy). On the clock, only once the last
    change has been in for `settled_for` seconds: a change just made is being rendered already.
    True when it rendered.
    """
    state = snapshot_state.current()
    failing = state is not None and state.failing_since is not None
    if not failing:
        if not snapshot.is_behind():
            return False
        if state.changed_at and timezone.now() - state.changed_at < timedelta(seconds=settled_for):
            return False
    log.info("snapshot: behind the database or last write failed; rendering everything")
    snapshot.render_everything()
    return True


class SnapshotKeeper:
    """On the worker's clock: catch up now, or after a doubling pause while writing fails."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.failures = 0
        self.next_try = 0.0

    @property
    def name(self) -> str:
        return "snapshot catch-up"

    def __call__(self) -> None:
        if time.monotonic() < self.next_try:
            return
        try:
            catch_up(settled_for=SETTLED_AFTER)
        except snapshot.SnapshotNotWritten:
            self.next_try = time.monotonic() + min(self.every * 2**self.failures, LONGEST_RETRY)
            self.failures += 1
            return
        self.failures, self.next_try = 0, 0.0
