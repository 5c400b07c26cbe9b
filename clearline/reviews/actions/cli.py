"""`clearline actions export [--format csv|json] [--incident ID] [--status S] [--overdue]`."""

import argparse
import sys

# ActionStatus's values, written out: the command line is read before Django (and the models)
# start.
STATUSES = ["open", "in_progress", "done", "wont_do"]


def cmd_export(args: argparse.Namespace) -> int:
    from clearline.incidents.selectors import incident
    from clearline.reviews.actions import export, selectors

    chosen = None
    if args.incident:
        chosen = incident(args.incident)
        if chosen is None:
            print(
                f"clearline actions export: no incident has the id {args.incident!r}.",
                file=sys.stderr,
            )
            return 2
    items = selectors.action_items(
        incident=chosen, status=args.status, overdue=args.overdue or None
    )
    text = export.to_csv(items) if args.format == "csv" else export.to_json(items) + "\n"
    sys.stdout.write(text)
    return 0


def add_parser(sub, setup) -> None:
    """`setup` is clearline.cli's Django setup, run before the command."""
    parser = sub.add_parser("actions", help="export action items as CSV or JSON")
    commands = parser.add_subparsers(dest="actions_command", required=True, metavar="ACTION")
    exp = commands.add_parser(
        "export",
        help="write action items to stdout, soonest due first",
        description="Every incident's action items (drills and internal incidents too), or one "
        "incident's. CSV cells that a spreadsheet would run as a formula start with an "
        "apostrophe.",
    )
    exp.add_argument("--format", choices=["csv", "json"], default="csv")
    exp.add_argument("--incident", metavar="ID", help="only this incident's (its public id)")
    exp.add_argument("--status", choices=STATUSES, help="only items in this status")
    exp.add_argument("--overdue", action="store_true", help="only items past their due date")
    exp.set_defaults(func=lambda args: (setup(), cmd_export(args))[1])
