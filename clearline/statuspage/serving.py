"""Serve snapshot files with validators and caching headers, from memory when unchanged on disk."""

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate

from django.conf import settings
from django.db import DatabaseError

from clearline.core.headers import SECURITY_HEADERS
from clearline.statuspage import snapshot

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


_cache: dict[str, tuple[int, SnapshotFile]] = {}
_last_failure = 0.0
_lock = threading.Lock()


def load(relpath: str) -> SnapshotFile | None:
    path = os.path.join(snapshot.snapshot_dir(), relpath)
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    cached = _cache.get(relpath)
    if cached and cached[0] == stat.st_mtime_ns:
        return cached[1]
    with open(path, "rb") as handle:
        body = handle.read()
    mtime = stat.st_mtime
    item = SnapshotFile(
        body=body,
        etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        last_modified=formatdate(max(mtime, 0), usegmt=True),
        content_type=CONTENT_TYPES[os.path.splitext(relpath)[1]],
        mtime=mtime,
    )
    _cache[relpath] = (stat.st_mtime_ns, item)
    return item


def fresh_file(url_path: str) -> SnapshotFile | None:
    """The file for a public address when it can be served without touching the database."""
    relpath = snapshot.file_for(url_path)
    if relpath is None:
        return None
    item = load(relpath)
    if item is not None and (item.is_fresh(time.time()) or _recently_failed()):
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
    item = load(relpath)
    if item is not None and (item.is_fresh(time.time()) or _recently_failed()):
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
    finally:
        _lock.release()
    if relpath not in written:
        raise snapshot.NotPublic(url_path)
    return load(relpath)
