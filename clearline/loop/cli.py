"""`clearline accounts import FILE.csv` and `clearline accounts export`."""

import argparse
import sys
from pathlib import Path


def cmd_import(args: argparse.Namespace) -> int:
    from clearline.core.permissions import SYSTEM
    from clearline.loop import accounts

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"clearline accounts import: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    try:
        added, changed = accounts.import_key_accounts(by=SYSTEM, text=text)
    except accounts.ImportRefused as refused:
        print(
            f"clearline accounts import: nothing was imported from {args.file}; "
            f"{len(refused.problems)} problem(s):",
            file=sys.stderr,
        )
        for row, field, message in refused.problems:
            print(f"  row {row}, {field}: {message}", file=sys.stderr)
        return 1
    print(f"Imported {args.file}: {added} added, {changed} changed.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from clearline.loop import accounts, selectors

    sys.stdout.write(accounts.export_key_accounts(selectors.key_accounts()))
    return 0


def add_parser(sub, setup) -> None:
    """`setup` is clearline.cli's Django setup, run before the command."""
    parser = sub.add_parser("accounts", help="import or export key accounts as CSV")
    commands = parser.add_subparsers(dest="accounts_command", required=True, metavar="ACTION")
    imp = commands.add_parser(
        "import",
        help="add or update key accounts from a CSV file, all rows or none",
        description="Columns: name, tier (strategic, enterprise, growth), renewal_date "
        "(YYYY-MM-DD), owner (username or email address), notes; a header row first. Accounts "
        "are matched by name, whatever the case and spacing. A file with any bad row imports "
        "nothing and lists every problem by row.",
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(func=lambda args: (setup(), cmd_import(args))[1])
    exp = commands.add_parser("export", help="write every key account to stdout as CSV")
    exp.set_defaults(func=lambda args: (setup(), cmd_export(args))[1])
