"""`clearline subscribers import FILE.csv [--confirmed]` and `clearline subscribers export`."""

import argparse
import sys
from pathlib import Path
from typing import TextIO

# Files this large show their progress even when stderr is not a terminal (a log keeps it).
LARGE = 1_000


class Progress:
    """`\\r 4,000/10,000` on stderr, redrawn every `step` rows, for a terminal or a large file."""

    def __init__(self, label: str, total: int, stream: TextIO, step: int = 250) -> None:
        self.label, self.total, self.stream, self.step = label, total, stream, step
        self.shown = stream.isatty() or total >= LARGE
        self.last = 0

    def __call__(self, done: int) -> None:
        if self.shown and (done - self.last >= self.step or done == self.total):
            self.last = done
            self.stream.write(f"\r {self.label} {done:,}/{self.total:,}")
            self.stream.flush()

    def end(self) -> None:
        if self.shown:
            self.stream.write("\n")


def cmd_import(args: argparse.Namespace) -> int:
    from clearline.core.errors import ClearlineError
    from clearline.core.permissions import SYSTEM
    from clearline.notify import services, transfer

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"clearline subscribers import: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    total = max(0, len(text.splitlines()) - 1)
    checking = Progress("checked", total, sys.stderr)
    try:
        checked = transfer.read_rows(text, progress=checking)
    except transfer.FileRefused as refused:
        checking.end()
        for error in refused.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        print(f"clearline subscribers import: {refused.message}", file=sys.stderr)
        return 1
    checking.end()
    saving = Progress("imported", len(checked.rows), sys.stderr)
    try:
        result = services.import_subscribers(
            by=SYSTEM, rows=checked.rows, confirmed=args.confirmed, progress=saving
        )
    except ClearlineError as refusal:
        saving.end()
        print(f"clearline subscribers import: {refusal.message}", file=sys.stderr)
        return 1
    saving.end()
    secrets = [made for made in result.added if made.secret]
    if secrets:
        # The one time these exist in clear: printed for whoever runs the import, never logged.
        print("webhook signing secrets (shown only now):")
        for made in secrets:
            print(f"{made.subscriber.url}\t{made.secret}")
    mails = sum(1 for made in result.added if not made.subscriber.confirmed_at)
    print(
        f"clearline: imported {len(result.added):,} subscribers; {result.already:,} were "
        f"subscribed already, {checked.skipped:,} no longer subscribed rows skipped; "
        f"{mails:,} confirmation mails queued",
        file=sys.stderr,
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from clearline.notify import transfer

    count = transfer.export_rows(sys.stdout)
    print(f"clearline: exported {count:,} subscribers", file=sys.stderr)
    return 0


def add_parser(sub, setup) -> None:
    """`setup` is clearline.cli's Django setup, run before either command."""
    parser = sub.add_parser("subscribers", help="import or export subscribers as CSV")
    commands = parser.add_subparsers(dest="subscribers_command", required=True, metavar="ACTION")
    imp = commands.add_parser(
        "import",
        help="add subscribers from a CSV file: all rows or, on any bad row, none",
        description="Columns: email, webhook_url, components (component ids separated by ';', "
        "empty for everything). Every row is checked first; one bad row imports nothing and "
        "each problem is listed with its row and column.",
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument(
        "--confirmed",
        action="store_true",
        help="the addresses confirmed elsewhere already: send no confirmation mail",
    )
    imp.set_defaults(func=lambda args: (setup(), cmd_import(args))[1])
    exp = commands.add_parser(
        "export", help="write every subscriber as CSV to stdout, with its status"
    )
    exp.set_defaults(func=lambda args: (setup(), cmd_export(args))[1])
