"""The public snapshot's background work: render what published events touched, and catch up."""

import logging
import time
from datetime import timedelta

from django.utils import timezone

from clearline.core import outbox
from clearline.core.models import OutboxEvent
from clearline.statuspage import snapshot, snapshot_state

log = logging.getLogger(__name__)

CONSUMER = "snapshot"
# The clock leaves a change younger than this to its own job (the relay's turn comes after it).
SETTLED_AFTER = 30.0
# While writing keeps failing, the worker tries again after 1, 2, 4… checks, at most this often.
LONGEST_RETRY = 60.0


@outbox.consumer(CONSUMER, coalesce=True)
def render_published(events: list[OutboxEvent]) -> None:
    """Every event still waiting, in one render: a burst of publishes costs one.

    A write failure fails the job (noted for admins, the files dated back so the web processes
    render them into memory); the relay and the clock's catch-up try again.
    """
    incident_ids = {event.incident_id for event in events if event.incident_id is not None}
    started = time.monotonic()
    try:
        written = snapshot.render_after_change(incident_ids, mark=True)
    except snapshot.SnapshotNotWritten as failed:
        from clearline.statuspage import serving

        serving.hold(failed.unwritten)
        snapshot.mark_stale(failed.unwritten)
        raise
    log.info(
        "snapshot: %d files for %d events in %.0f ms",
        len(written),
        len(events),
        (time.monotonic() - started) * 1000,
    )


def catch_up(*, settled_for: float = 0.0) -> bool:
    """Re-render everything when the folder is behind the database or writing last failed.

    Behind: an event committed and no render of it finished (its job was lost, or the folder
    was restored from an older copy). On the clock, only once the last change has been in for
    `settled_for` seconds: a change just made is being rendered by its job. True when it rendered.
    """
    state = snapshot_state.current()
    failing = state is not None and state.failing_since is not None
    if not failing:
        if not snapshot.is_behind():
            return False
        changed_at = snapshot_state.changed_at()
        if changed_at and timezone.now() - changed_at < timedelta(seconds=settled_for):
            return False
    log.info("snapshot: behind the database or last write failed; rendering everything")
    # Read before the render: the files then show at least these events.
    waiting = list(outbox.waiting(CONSUMER))
    snapshot.render_everything()
    outbox.settle(CONSUMER, waiting)
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
