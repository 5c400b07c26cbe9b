"""Whether the public snapshot shows what the database holds: the last event and write failures.

Every change the public can see writes an outbox event in its own transaction; the snapshot
folder records the last event its files show (snapshot.MARKER). A failure to write the
files (a read-only folder, a full disk) is kept here so that every process knows of it: it is
logged once per distinct failure and shown to admins on the desk until a whole render succeeds.
"""

import errno
import logging
import time
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from clearline.core import outbox
from clearline.statuspage.models import SnapshotState

log = logging.getLogger("clearline.statuspage.snapshot")

# A process records the same failure again at most this often (each failing request tries to
# write, and must not cost a database write, nor a log line, every time).
NOTE_AGAIN_AFTER = 60.0
_noted: dict = {"failure": None, "at": 0.0}


def public_version() -> int:
    """The last public change: the newest outbox event's id (0 before the first)."""
    latest = outbox.latest_event()
    return latest.pk if latest else 0


def changed_at() -> datetime | None:
    latest = outbox.latest_event()
    return latest.created_at if latest else None


def current() -> SnapshotState | None:
    return SnapshotState.objects.filter(pk=1).first()


def write_failure() -> SnapshotState | None:
    """The failure admins are shown, while the files cannot be written."""
    return SnapshotState.objects.filter(pk=1, failing_since__isnull=False).first()


def describe(error: OSError) -> str:
    """The same words for the same failure, whichever file it struck."""
    code = errno.errorcode.get(error.errno or 0, "")
    reason = error.strerror or str(error)
    return f"{reason} ({code}) in {settings.CLEARLINE_SNAPSHOT_DIR}" if code else reason


def note_write_failure(error: OSError) -> None:
    failure = describe(error)
    if _noted["failure"] == failure and time.monotonic() - _noted["at"] < NOTE_AGAIN_AFTER:
        return
    _noted.update(failure=failure, at=time.monotonic())
    try:
        with transaction.atomic():
            SnapshotState.objects.get_or_create(pk=1)
            state = SnapshotState.objects.select_for_update().get(pk=1)
            new = state.failure != failure or state.failing_since is None
            state.failing_since = state.failing_since or timezone.now()
            state.failure = failure
            state.save(update_fields=["failing_since", "failure"])
    except DatabaseError:
        new = True  # no one else can know of it either: this process says it
    if new:
        log.error(
            "snapshot: cannot write the public files: %s. The status page is served from "
            "memory; the worker keeps retrying.",
            failure,
        )


def note_written() -> None:
    """A whole render was written: a failure, if there was one, is over."""
    _noted.update(failure=None, at=0.0)
    ended = SnapshotState.objects.filter(pk=1, failing_since__isnull=False)
    if ended.update(failing_since=None, failure=""):
        log.warning("snapshot: the public files are written again")
