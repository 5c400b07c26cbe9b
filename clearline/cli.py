"""The `clearline` command: serve, worker, demo, snapshot, export, import, check.

Each command imports what it needs when it runs: `clearline check`, run once per file from git
hooks and editors, starts without Django and without the other commands (see `main`).
"""

import argparse
import os
import sys
from pathlib import Path


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def collect_static() -> bool:
    """`collectstatic`, unless no static file changed since the last time; whether it ran.
    Compressing every file again took ten seconds of each start on a busy machine."""
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    found = sorted(
        (path, os.stat(storage.path(path)))
        for finder in get_finders()
        for path, storage in finder.list(["CVS", ".*", "*~"])
    )
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for path, info in found:
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".collected"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())
    return True


def web_argv(args: argparse.Namespace) -> list[str]:
    """The web server `clearline serve` runs; the status page benchmark measures this same one.

    granian parses HTTP in Rust and calls the WSGI app from its own threads: on the status page's
    snapshot path it answers about four times the requests of a pure-Python server per core.
    """
    host, _, port = args.bind.rpartition(":")
    argv = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host or "127.0.0.1",
        "--port",
        port,
        "--workers",
        str(args.workers),
        "--blocking-threads",
        str(args.threads),
        "--respawn-failed-workers",
        # A worker that ignores the stop (one still starting does) is killed after this long,
        # so a stop or restart never hangs on it.
        "--workers-kill-timeout",
        "10",
        "--log-level",
        "warning",
    ]
    if args.access_log:
        argv.append("--access-log")
    return [*argv, "clearline.wsgi:application"]


def cmd_serve(args: argparse.Namespace) -> int:
    _django()

    from clearline.statuspage.snapshot import SnapshotNotWritten, render_everything

    _migrate()
    collect_static()
    try:
        render_everything()
    except SnapshotNotWritten as failed:
        # Serve anyway: the pages render into memory, admins see why, the worker retries.
        print(f"clearline: could not write the public snapshot: {failed}", file=sys.stderr)
    print(
        f"clearline: serving on http://{args.bind}  (status page at /, desk at /desk/)", flush=True
    )
    argv = web_argv(args)
    if args.with_worker:
        from clearline.supervisor import run_side_by_side

        worker = [sys.executable, "-m", "clearline", "worker"]
        return run_side_by_side({"web server": argv, "worker": worker})
    os.execv(sys.executable, argv)
    return 0  # pragma: no cover - execv does not return


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    from clearline import worker

    worker.run(batch=args.batch, interval=args.interval)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from clearline import demo

    _migrate()
    if args.if_empty and demo.has_data():
        print("clearline: data already present, demo not loaded again")
    else:
        demo.load()
        print("clearline: demo data loaded")
    for line in demo.ensure_logins():
        print(line)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    from clearline.statuspage.snapshot import (
        SnapshotNotWritten,
        render_after_change,
        render_everything,
    )

    try:
        written = render_after_change() if args.core else render_everything()
    except SnapshotNotWritten as failed:
        print(f"clearline snapshot: could not write the files: {failed}", file=sys.stderr)
        return 1
    print(f"clearline: wrote {len(written)} files to {settings.CLEARLINE_SNAPSHOT_DIR}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _django()
    from clearline.core import transfer

    text = transfer.export_json()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text)
        print(f"clearline: exported to {args.output}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    _django()
    from clearline.core import transfer
    from clearline.core.errors import ClearlineError

    _migrate()
    text = sys.stdin.read() if args.input == "-" else Path(args.input).read_text()
    from clearline.statuspage.snapshot import SnapshotNotWritten, render_everything

    try:
        count = transfer.import_json(text)
    except ClearlineError as error:
        print(f"clearline import: {error.message}", file=sys.stderr)
        return 2
    print(f"clearline: imported {count} objects", file=sys.stderr)
    try:
        render_everything()
    except SnapshotNotWritten as failed:
        # The data is in: admins see why, and the worker writes the files when it can.
        print(f"clearline import: could not write the public snapshot: {failed}", file=sys.stderr)
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    _django()
    from clearline.accounts.throttling import unlock

    cleared = unlock(args.username)
    if cleared:
        print(f"clearline: {args.username} may sign in again ({cleared} lockout records cleared)")
    else:
        print(f"clearline: {args.username} was not locked out")
    return 0


def cmd_deliveries(args: argparse.Namespace) -> int:
    _django()
    import json

    from clearline.core.errors import ClearlineError
    from clearline.core.permissions import SYSTEM
    from clearline.notify import deliveries, retry

    try:
        update = deliveries.find_update(args.update_id)
        if args.retry_failed:
            count = retry.retry_failed(update_id=update.pk, by=SYSTEM)
            print(f"clearline: {count} failed deliveries queued again", file=sys.stderr)
    except ClearlineError as error:
        print(f"clearline deliveries: {error.message}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(deliveries.report(update), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(deliveries.report_text(update))
    return 0


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 3600:
        raise argparse.ArgumentTypeError(f"give seconds between 0 and 3600, not {value!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    from clearline.checks import cli as checks_cli
    from clearline.incidents import drill_cli
    from clearline.loop import cli as accounts_cli
    from clearline.notify import cli as subscribers_cli
    from clearline.reviews import review_cli
    from clearline.reviews.actions import cli as actions_cli
    from clearline.reviews.insights import cli as insights_cli
    from clearline.reviews.reports import cli as reports_cli

    parser, sub = _parser()

    serve = sub.add_parser("serve", help="migrate, render the snapshot and start the web server")
    serve.add_argument(
        "--bind",
        default=os.environ.get("CLEARLINE_BIND", "127.0.0.1:8000"),
        help="address:port to listen on (default 127.0.0.1:8000)",
    )
    serve.add_argument("--workers", type=int, default=2, help="web processes (default 2)")
    serve.add_argument("--threads", type=int, default=4, help="threads per process (default 4)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--with-worker",
        action="store_true",
        help="also run `clearline worker` beside the web server, each restarted if it dies; "
        "Ctrl-C stops both",
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker",
        help="run background jobs: reminders for promised updates and queued tasks",
        description="Run the task worker (of the database, or of Redis with "
        "CLEARLINE_TASK_BACKEND=rq) and queue clearline's periodic jobs (the promise check every "
        "CLEARLINE_PROMISE_CHECK_SECONDS). On PostgreSQL or Redis run as many as you like, on any "
        "machine that reaches them; on SQLite run one. Ctrl-C or SIGTERM stops after the task "
        "in hand.",
    )
    worker.add_argument(
        "--batch",
        action="store_true",
        help="check promises once, run every task that is due, then exit (for cron)",
    )
    worker.add_argument(
        "--interval",
        type=_seconds,
        default=None,
        help="seconds between looks at an empty queue on the database backend (default "
        "CLEARLINE_WORKER_POLL_SECONDS, 0.2); an RQ worker is woken by Redis instead",
    )
    worker.set_defaults(func=cmd_worker)

    demo = sub.add_parser("demo", help="load the demo company and print the demo logins")
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="only load when the database holds no incidents or components",
    )
    demo.set_defaults(func=cmd_demo)

    snap = sub.add_parser("snapshot", help="re-render every public page, JSON and feed to files")
    snap.add_argument(
        "--core",
        action="store_true",
        help="only what changes with the passing of time alone (front page, history, feeds, "
        "JSON): for a timer; incident pages change only when published to",
    )
    snap.set_defaults(func=cmd_snapshot)

    export = sub.add_parser("export", help="write everything to one JSON file")
    export.add_argument("output", nargs="?", default="-", help="file to write (default stdout)")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="restore an export into an empty database")
    imp.add_argument("input", nargs="?", default="-", help="file to read (default stdin)")
    imp.set_defaults(func=cmd_import)

    unlock = sub.add_parser("unlock", help="lift a sign-in lockout after too many wrong passwords")
    unlock.add_argument("username", help="whose lockout to lift, from every address")
    unlock.set_defaults(func=cmd_unlock)
    deliveries = sub.add_parser(
        "deliveries", help="who was told about an update: counts per channel and every delivery"
    )
    deliveries.add_argument("update_id", help="the update's number or public id")
    deliveries.add_argument("--format", choices=["text", "json"], default="text")
    deliveries.add_argument(
        "--retry-failed", action="store_true", help="queue every failed delivery again first"
    )
    deliveries.set_defaults(func=cmd_deliveries)
    checks_cli.add_parser(sub)
    subscribers_cli.add_parser(sub, _django)
    review_cli.add_parser(sub, _django)
    actions_cli.add_parser(sub, _django)
    insights_cli.add_parser(sub, _django)
    drill_cli.add_parser(sub, _django)
    reports_cli.add_parser(sub, _django)
    accounts_cli.add_parser(sub, _django)
    return parser


def _parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(
        prog="clearline",
        description="Incident communication: status page, update desk, notifications, reviews.",
    )
    return parser, parser.add_subparsers(dest="command", required=True, metavar="COMMAND")


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if words[:1] == ["check"]:
        # Only the check command's parser: the others would import their modules (and Django's
        # pieces) for nothing. Usage, help and errors read exactly as with the full parser.
        from clearline.checks import cli as checks_cli

        parser, sub = _parser()
        checks_cli.add_parser(sub)
    else:
        parser = build_parser()
    args = parser.parse_args(words)
    return args.func(args)
