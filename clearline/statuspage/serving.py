"""Serve snapshot files with validators and caching headers, from memory when unchanged on disk.

A file is checked once each time it changes on disk (JSON parses, HTML is whole, feeds are
well-formed XML); a damaged one is treated as missing and rendered again. What this process
rendered but could not write (a read-only folder, a full disk) is served from memory.

The worker renders every public change. Each web process also watches the last change, off the
request path: a copy older than it is rendered again by the next request that asks for it, once
the worker has had its turn, or at once while the worker cannot write the files.
"""

import hashlib
import json
import logging
import os
import threading
import time
import xml.parsers.expat
from dataclasses import dataclass
from email.utils import formatdate

from django.conf import settings
from django.db import DatabaseError, connection

from clearline.core.headers import SECURITY_HEADERS
from clearline.statuspage import snapshot, snapshot_state

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
}
# Browsers and CDNs may reuse a copy for 10 s, serve it stale while refetching for a minute, and
# keep serving it for a day if clearline cannot answer.
CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=60, stale-if-error=86400"
# After a failed render (database down), serve the old files without retrying for this long.
RETRY_AFTER_FAILURE = 15.0
# How long a request for a file never rendered waits while another request renders.
RENDER_WAIT = 5.0
# Copies held in memory past their time are let go beyond this many (addresses asked for while
# the disk fails; the public ones are far fewer).
HELD_AT_MOST = 1000
# A copy older than the last public change is the worker's to replace for this long.
WORKER_GRACE = 3.0


@dataclass(frozen=True)
class SnapshotFile:
    body: bytes
    etag: str
    last_modified: str
    content_type: str
    mtime: float

    def headers(self) -> list[tuple[str, str]]:
        return [
            ("Content-Type", self.content_type),
            ("Content-Length", str(len(self.body))),
            ("ETag", self.etag),
            ("Last-Modified", self.last_modified),
            ("Cache-Control", CACHE_CONTROL),
            *SECURITY_HEADERS.items(),
        ]

    def not_modified(self, if_none_match: str | None) -> bool:
        if not if_none_match:
            return False
        return (
            self.etag in {tag.strip() for tag in if_none_match.split(",")}
            or if_none_match.strip() == "*"
        )

    def is_fresh(self, now: float) -> bool:
        return now - self.mtime < settings.CLEARLINE_SNAPSHOT_MAX_AGE


# Per file: (what identifies the version on disk, the file, or None when it is damaged).
_cache: dict[str, tuple[tuple[int, int, int], SnapshotFile | None]] = {}
# Rendered here, not written: (served until, rendered at, the file or None when it is no longer
# public). After RETRY_AFTER_FAILURE the next request renders again, so a publish made in
# another process shows here too.
_held: dict[str, tuple[float, float, SnapshotFile | None]] = {}
_last_failure = 0.0
_lock = threading.Lock()


def is_whole(relpath: str, body: bytes) -> bool:
    """Whether a file's bytes are what a render writes, not a damaged or cut-off copy."""
    kind = os.path.splitext(relpath)[1]
    if kind == ".json":
        try:
            json.loads(body)
        except ValueError:
            return False
        return True
    if kind == ".html":
        return body.rstrip().lower().endswith(b"</html>")
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(body, True)
    except xml.parsers.expat.ExpatError:
        return False
    return True


def _item(relpath: str, body: bytes, mtime: float) -> SnapshotFile:
    return SnapshotFile(
        body=body,
        etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        last_modified=formatdate(max(mtime, 0), usegmt=True),
        content_type=CONTENT_TYPES[os.path.splitext(relpath)[1]],
        mtime=mtime,
    )


def load(relpath: str) -> SnapshotFile | None:
    """The file on disk, or None when it is missing or damaged."""
    path = os.path.join(snapshot.snapshot_dir(), relpath)
    try:
        stat = os.stat(path)
        version = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = _cache.get(relpath)
        if cached and cached[0] == version:
            return cached[1]
        with open(path, "rb") as handle:
            body = handle.read()
    except OSError:  # missing, or a folder that cannot be read: the same as no file
        return None
    item = _item(relpath, body, stat.st_mtime) if is_whole(relpath, body) else None
    if item is None:
        log.warning("snapshot: %s is damaged (%d bytes); rendering it again", relpath, len(body))
    _cache[relpath] = (version, item)
    return item


def hold(bodies: dict[str, bytes | None]) -> None:
    """Serve these from memory: they were rendered and could not be written."""
    now, until = time.time(), time.monotonic() + RETRY_AFTER_FAILURE
    if len(_held) > HELD_AT_MOST:
        for old in [path for path, (ends, _, _) in list(_held.items()) if ends < time.monotonic()]:
            _held.pop(old, None)
    for relpath, body in bodies.items():
        _held[relpath] = (until, now, None if body is None else _item(relpath, body, now))


def _must_follow() -> float | None:
    """The last public change (epoch seconds) when copies older than it must not be served."""
    changed = snapshot_state.changed_at()
    if changed is None or not snapshot.is_behind():
        return None
    failing = snapshot_state.write_failure() is not None
    if not failing and time.time() - changed.timestamp() < WORKER_GRACE:
        return None
    return changed.timestamp()


class ChangeWatch(threading.Thread):
    """Reads the last public change every few moments, so no request waits on the database."""

    def __init__(self, every: float) -> None:
        super().__init__(name="clearline-snapshot-watch", daemon=True)
        self.every = every
        self.must_follow: float | None = None

    def run(self) -> None:
        while True:
            try:
                self.must_follow = _must_follow()
            except Exception:  # noqa: BLE001 - the database is down: serve what there is
                self.must_follow = None
                connection.close()
            time.sleep(self.every)


_watch: dict = {"pid": None, "thread": None}
_watch_lock = threading.Lock()


def _stale_before() -> float | None:
    every = settings.CLEARLINE_SNAPSHOT_WATCH_SECONDS
    if not every:
        return None
    with _watch_lock:
        if _watch["pid"] != os.getpid():  # first use in this process (a web server forks)
            _watch["pid"], _watch["thread"] = os.getpid(), ChangeWatch(every)
            _watch["thread"].start()
    return _watch["thread"].must_follow


def _best(relpath: str) -> tuple[SnapshotFile | None, bool]:
    """The newest good copy (held in memory or on disk), and whether it needs no new render.

    A held None (fresh) means the address is no longer public.
    """
    disk = load(relpath)
    stale_before = _stale_before()
    held = _held.get(relpath)
    if held is not None:
        until, rendered_at, item = held
        if disk is None or disk.mtime <= rendered_at:
            behind = stale_before is not None and rendered_at < stale_before
            return item, time.monotonic() < until and not behind
        _held.pop(relpath, None)  # written since: the disk has it
    behind = disk is not None and stale_before is not None and disk.mtime < stale_before
    return disk, disk is not None and disk.is_fresh(time.time()) and not behind


def fresh_file(url_path: str) -> SnapshotFile | None:
    """The file for a public address when it can be served without touching the database."""
    relpath = snapshot.file_for(url_path)
    if relpath is None:
        return None
    item, fresh = _best(relpath)
    if item is not None and (fresh or _recently_failed()):
        return item
    return None


def _recently_failed() -> bool:
    return time.monotonic() - _last_failure < RETRY_AFTER_FAILURE


def current_file(url_path: str) -> SnapshotFile | None:
    """The file for a public address, rendering it first when missing or stale.

    Raises snapshot.NotPublic for addresses that show nothing public. Returns None only when the
    file has never been rendered and the database cannot render it now.
    """
    global _last_failure
    relpath = snapshot.file_for(url_path)
    if relpath is None:
        raise snapshot.NotPublic(url_path)
    item, fresh = _best(relpath)
    if item is None and fresh:
        raise snapshot.NotPublic(url_path)
    if item is not None and (fresh or _recently_failed()):
        return item
    # One request renders; the others serve the file they have rather than queue behind it. A
    # database that stopped answering (hung, or cut off without a reset) then holds that one
    # render, never the readers; a file never rendered waits a little, then answers 503.
    if not _lock.acquire(timeout=0 if item is not None else RENDER_WAIT):
        return item
    try:
        written = snapshot.render([relpath])
    except DatabaseError:
        _last_failure = time.monotonic()
        log.warning("database unavailable; serving the last snapshot of %s", relpath)
        return item
    except snapshot.SnapshotNotWritten as failed:
        hold(failed.unwritten)
        item, _ = _best(relpath)
        if item is None:
            raise snapshot.NotPublic(url_path) from None
        return item
    finally:
        _lock.release()
    if relpath not in written:
        raise snapshot.NotPublic(url_path)
    _held.pop(relpath, None)
    return load(relpath)
