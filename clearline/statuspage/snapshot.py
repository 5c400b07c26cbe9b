"""The public snapshot: every public page, JSON document and feed written as files.

Every public change writes an outbox event in its transaction; the worker's "snapshot" consumer
(statuspage.tasks) renders what the waiting events touched, so the publishing request renders
nothing and a change that commits reaches the files even when its process dies at the commit;
`clearline snapshot` re-renders everything. The app and nginx
serve these files, so the public page keeps answering through a traffic spike and while the
database is down.
"""

import fcntl
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core.clock import CLOCK_SKEW, in_zone
from clearline.incidents.models import ComponentStatus, Incident
from clearline.statuspage import feeds, selectors, snapshot_state, v2
from clearline.statuspage.health import page_status, uptime_bars

log = logging.getLogger(__name__)

V2_DOCUMENTS = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
]
FEEDS = {"history.atom": feeds.HistoryAtomFeed, "history.rss": feeds.HistoryFeed}
RECENT_DAYS = 14
HISTORY_MONTHS = 3
_INCIDENT = re.compile(r"^/incidents/([a-z0-9]{12})/?$")
_MONTH = re.compile(r"^/history/(\d{4})-(\d{2})/?$")
# In the snapshot folder: the public change (snapshot_state) its files show. Never served: only
# the addresses file_for maps are.
MARKER = ".version"


class NotPublic(Exception):
    """The address names nothing the public may see."""


class SnapshotNotWritten(Exception):
    """The files were rendered but could not be written (a read-only folder, a full disk).

    `unwritten` holds what was rendered and not written (None: a file that had to go and could
    not be removed), for the process to serve from memory.
    """

    def __init__(self, error: OSError, unwritten: dict[str, bytes | None]):
        super().__init__(str(error))
        self.error = error
        self.unwritten = unwritten


def snapshot_dir() -> Path:
    return Path(settings.CLEARLINE_SNAPSHOT_DIR)


def file_for(url_path: str) -> str | None:
    """The snapshot file behind a public address, or None when the address is not public."""
    if url_path in {"/", "/index.html"}:
        return "index.html"
    if url_path in {"/history", "/history/"}:
        return "history/index.html"
    if url_path in {"/history.atom", "/history.rss"}:
        return url_path[1:]
    if url_path.startswith("/api/v2/") and url_path[len("/api/v2/") :] in V2_DOCUMENTS:
        return url_path[1:]
    if match := _INCIDENT.match(url_path):
        return f"incidents/{match.group(1)}.html"
    if match := _MONTH.match(url_path):
        return f"history/{match.group(1)}-{match.group(2)}.html"
    return None


@dataclass
class RenderContext:
    """What one render run reads from the database, read once and shared by every file."""

    now: datetime = field(default_factory=timezone.now)

    @cached_property
    def org(self) -> Organisation:
        return Organisation.current()

    @cached_property
    def components(self) -> list:
        return list(selectors.public_components())

    @cached_property
    def groups(self) -> list:
        return list(selectors.component_groups())

    @cached_property
    def unresolved(self) -> list[Incident]:
        return list(selectors.unresolved_incidents())

    @cached_property
    def upcoming(self) -> list:
        return list(selectors.upcoming_maintenances())

    @cached_property
    def active_maintenance(self) -> list:
        return list(selectors.active_maintenances())

    @cached_property
    def status(self) -> dict[str, str]:
        return page_status(self.components, self.unresolved, bool(self.active_maintenance))

    @cached_property
    def v2(self) -> dict[str, dict]:
        return v2.documents(self.org)

    def month_start(self, year: int, month: int) -> datetime:
        return datetime(year, month, 1, tzinfo=self.org.zone)

    def month_of(self, instant: datetime) -> datetime:
        local = in_zone(instant, self.org.zone)
        return self.month_start(local.year, local.month)

    @cached_property
    def first_month(self) -> datetime:
        """History begins with the month the public page began (never after this month)."""
        return self.month_of(min(selectors.page_began() or self.now, self.now))

    @cached_property
    def last_month(self) -> datetime:
        return self.month_of(self.now + CLOCK_SKEW)

    @property
    def history_span(self) -> tuple[datetime, datetime]:
        """The first instant of the history and the first one after it."""
        return self.first_month, _next_month(self.last_month)

    def has_month(self, year: int, month: int) -> bool:
        """Whether the month has a history page: only months of the page's life do, so a
        request for any other month is a 404 that writes nothing."""
        first, last = self.first_month, self.last_month
        return (first.year, first.month) <= (year, month) <= (last.year, last.month)

    def base(self) -> dict:
        return {
            "org": self.org,
            "status": self.status,
            "generated_at": self.now,
            "zone": self.org.zone,
            "site_url": v2.page_url(self.org),
        }


def _next_month(start: datetime) -> datetime:
    return (start + timedelta(days=32)).replace(day=1)


def _render_index(ctx: RenderContext) -> str:
    since = ctx.now - timedelta(days=90)
    uptime = uptime_bars(
        component_ids=[c.pk for c in ctx.components],
        rows=list(selectors.outage_rows_since(since)),
        now=ctx.now,
        zone=ctx.org.zone,
    )
    recent = list(
        selectors.public_incidents().filter(
            status="resolved", resolved_at__gte=ctx.now - timedelta(days=RECENT_DAYS)
        )
    )
    ungrouped = [c for c in ctx.components if c.group_id is None]
    groups = []
    for g in ctx.groups:
        members = [c for c in ctx.components if c.group_id == g.pk]
        if members:
            worst = v2.worst_status(members)
            groups.append(
                {
                    "group": g,
                    "components": members,
                    "status": worst,
                    "status_label": ComponentStatus(worst).label,
                }
            )
    for c in ctx.components:
        c.uptime = uptime[c.pk]
    return render_to_string(
        "statuspage/index.html",
        {
            **ctx.base(),
            "groups": groups,
            "ungrouped": ungrouped,
            "unresolved": ctx.unresolved,
            "upcoming": ctx.upcoming,
            "active_maintenance": ctx.active_maintenance,
            "recent": recent,
            "recent_days": RECENT_DAYS,
        },
    )


def _render_incident(ctx: RenderContext, public_id: str) -> str:
    incident = selectors.incident_by_public_id(public_id)
    if incident is None:
        raise NotPublic(public_id)
    return render_to_string(
        "statuspage/incident.html",
        {**ctx.base(), "incident": incident, "faq": selectors.public_faq(incident)},
    )


def _months_page(ctx: RenderContext, first: datetime, count: int, *, title: str) -> str:
    months = []
    start = first
    for _ in range(count):
        end = _next_month(start)
        months.append({"start": start, "incidents": list(selectors.incidents_between(start, end))})
        start = (start - timedelta(days=1)).replace(day=1)
    span = ctx.history_span
    older = selectors.nearest_incident_month(
        months[-1]["start"], ctx.org.zone, older=True, within=span
    )
    newer = selectors.nearest_incident_month(
        _next_month(first), ctx.org.zone, older=False, within=span
    )
    return render_to_string(
        "statuspage/history.html",
        {
            **ctx.base(),
            "months": months,
            "title": title,
            "older": older,
            "newer": newer,
        },
    )


def _render_history(ctx: RenderContext) -> str:
    current, first = ctx.month_of(ctx.now), ctx.first_month
    lived = (current.year - first.year) * 12 + current.month - first.month + 1
    count = max(1, min(HISTORY_MONTHS, lived))
    return _months_page(ctx, current, count, title="Incident history")


def _render_month(ctx: RenderContext, year: int, month: int) -> str:
    if not 1 <= month <= 12 or not ctx.has_month(year, month):
        raise NotPublic(f"{year}-{month}")
    start = ctx.month_start(year, month)
    return _months_page(ctx, start, 1, title=f"Incidents in {start:%B %Y}")


def render_file(relpath: str, ctx: RenderContext) -> bytes:
    if relpath == "index.html":
        return _render_index(ctx).encode()
    if relpath == "history/index.html":
        return _render_history(ctx).encode()
    if relpath in FEEDS:
        return feeds.render_feed(FEEDS[relpath], ctx.org)
    if relpath.startswith("api/v2/"):
        doc = ctx.v2[relpath[len("api/v2/") :]]
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if relpath.startswith("incidents/"):
        return _render_incident(ctx, relpath[len("incidents/") : -len(".html")]).encode()
    if relpath.startswith("history/"):
        year, month = relpath[len("history/") : -len(".html")].split("-")
        return _render_month(ctx, int(year), int(month)).encode()
    raise NotPublic(relpath)


def write_file(relpath: str, body: bytes) -> None:
    """Atomic: a reader sees the old file or the new one, never half of one."""
    target = snapshot_dir() / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rendered_version() -> int | None:
    """The public change the files show; None for a folder no render has marked."""
    try:
        return int((snapshot_dir() / MARKER).read_text())
    except (OSError, ValueError):
        return None


def is_behind() -> bool:
    rendered = rendered_version()
    return rendered is None or rendered < snapshot_state.public_version()


def _mark(version: int) -> None:
    rendered = rendered_version()
    if rendered is None or rendered < version:
        write_file(MARKER, str(version).encode())


@contextmanager
def _folder_lock() -> Iterator[None]:
    """Renders take turns across the processes on this machine, so an older one never lands last.

    The lock is on the folder itself, which needs no write permission: a read-only folder still
    locks, and the render then fails at its first write.
    """
    folder = snapshot_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and with it the lock


_render_lock = threading.Lock()


def render(
    relpaths: Iterable[str],
    ctx: RenderContext | None = None,
    *,
    mark: bool = False,
    keep_unwritten: bool = True,
) -> list[str]:
    """Render and write the given files; a file that is no longer public is removed.

    `mark`: the files are all a change touched, so the folder then shows the public change read
    before rendering. When writing fails, rendering goes on into memory (unless `keep_unwritten`
    is off) and SnapshotNotWritten carries what was not written.
    """
    ctx = ctx or RenderContext()
    written: list[str] = []
    unwritten: dict[str, bytes | None] = {}
    error: OSError | None = None
    # Template date filters must speak the organisation's time zone, not the server's.
    # A change's render takes turns with the others; a page asked for takes no turn, so a reader
    # never waits on a whole-snapshot render.
    turn = _folder_lock() if mark else nullcontext()
    with _render_lock, turn, timezone.override(ctx.org.zone):
        # Read before the content, so the files show at least this change.
        version = snapshot_state.public_version() if mark else 0
        for relpath in dict.fromkeys(relpaths):
            if error is not None and not keep_unwritten:
                break
            try:
                body = render_file(relpath, ctx)
            except NotPublic:
                body = None
            try:
                if error is not None:
                    unwritten[relpath] = body
                elif body is None:
                    (snapshot_dir() / relpath).unlink(missing_ok=True)
                else:
                    write_file(relpath, body)
                    written.append(relpath)
            except OSError as failed:
                error = failed
                unwritten[relpath] = body
        if mark and error is None:
            try:
                _mark(version)
            except OSError as failed:
                error = failed
    if error is not None:
        snapshot_state.note_write_failure(error)
        raise SnapshotNotWritten(error, unwritten)
    return written


def core_files() -> list[str]:
    # The most-read first: a render writes them in this order, so the page and the JSON that
    # integrations poll show a change a few hundred ms before the history and the feeds do.
    return [
        "index.html",
        *(f"api/v2/{name}" for name in V2_DOCUMENTS),
        "history/index.html",
        *FEEDS,
    ]


def month_file(instant: datetime, zone) -> str:
    local = in_zone(instant, zone)
    return f"history/{local.year:04d}-{local.month:02d}.html"


def files_for_incidents(incidents: Iterable[Incident], zone) -> list[str]:
    paths = []
    for incident in incidents:
        paths += [f"incidents/{incident.public_id}.html", month_file(incident.started_at, zone)]
    return paths


def render_after_change(incident_ids: Iterable[int] = (), *, mark: bool = False) -> list[str]:
    """The core files and the given incidents' pages; `mark` when that is all a change touched."""
    ctx = RenderContext()
    incidents = Incident.objects.filter(pk__in=list(incident_ids))
    return render(core_files() + files_for_incidents(incidents, ctx.org.zone), ctx, mark=mark)


def render_everything() -> list[str]:
    """Every public file: `clearline snapshot`, start-up, after an import, and to catch up."""
    ctx = RenderContext()
    paths = core_files() + files_for_incidents(selectors.public_incidents(), ctx.org.zone)
    for month in selectors.incident_months(ctx.org.zone, within=ctx.history_span):
        paths.append(month_file(month, ctx.org.zone))
    # Pages that are no longer public (an incident made internal) must not stay on disk: they
    # render as not public, which removes them.
    keep = set(paths)
    paths += [
        f"incidents/{old.name}"
        for old in snapshot_dir().glob("incidents/*.html")
        if f"incidents/{old.name}" not in keep
    ]
    written = render(paths, ctx, mark=True, keep_unwritten=False)
    snapshot_state.note_written()
    return written


def mark_stale(relpaths: Iterable[str]) -> None:
    """Date the files back so every process renders them on their next request (best effort:
    a read-only folder keeps its dates)."""
    for relpath in relpaths:
        path = snapshot_dir() / relpath
        try:
            os.utime(path, (0, 0))
        except OSError:
            continue
