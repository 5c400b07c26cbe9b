"""The public snapshot's background work: render what a change touched, and catch up."""

import logging
import time

from django.utils import timezone
from django_tasks import TaskResultStatus, task  # Django 6: django.tasks
from django_tasks_db.models import DBTaskResult

from clearline.statuspage import snapshot, snapshot_state

log = logging.getLogger(__name__)

# While writing keeps failing, the worker tries again after 1, 2, 4… checks, at most this often.
LONGEST_RETRY = 60.0


@task()
def render_public_snapshot(incident_ids: list[int]) -> int:
    """Queued with every public change, in its transaction: writes the files it touched.

    A write failure fails the job (and is noted for admins); the worker's clock retries.
    """
    return len(snapshot.render_after_change(incident_ids, mark=True))


def settle_render_jobs(job_ids: list[str], *, files: int) -> None:
    """The request wrote what these queued jobs would have: the worker need not render again.

    Only jobs still waiting: one a worker has already claimed runs, and renders the same files.
    """
    now = timezone.now()
    DBTaskResult.objects.filter(id__in=job_ids, status=TaskResultStatus.READY).update(
        status=TaskResultStatus.SUCCESSFUL, started_at=now, finished_at=now, return_value=files
    )


def catch_up() -> bool:
    """Re-render everything when the folder is behind the database or writing last failed.

    Behind: a change committed and no render of it finished (its process and its job's worker
    died, or the folder was restored from an older copy). True when it rendered.
    """
    state = snapshot_state.current()
    failing = state is not None and state.failing_since is not None
    if not failing and not snapshot.is_behind():
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
            catch_up()
        except snapshot.SnapshotNotWritten:
            self.next_try = time.monotonic() + min(self.every * 2**self.failures, LONGEST_RETRY)
            self.failures += 1
            return
        self.failures, self.next_try = 0, 0.0
