"""`clearline report export INCIDENT --format pdf|md|html [--edition ...] [--output FILE]`."""

import argparse
import sys
from pathlib import Path

EXIT_NOT_FOUND = 2


def run_export(args: argparse.Namespace) -> int:
    from clearline.reviews.reports import exports, selectors
    from clearline.reviews.review_cli import _incident

    incident = _incident(args.incident_id)
    if incident is None:
        print(f"clearline report: No incident {args.incident_id}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    reports = list(selectors.reports_of(incident))
    if args.edition:
        chosen = next((r for r in reports if r.edition == args.edition), None)
    else:
        # The version customers were given, else the plain-language draft.
        chosen = selectors.published_external(incident) or next(
            (r for r in reports if r.edition == "plain"), None
        )
    if chosen is None:
        print(
            f"clearline report: Incident {args.incident_id} has no such report yet; draft the "
            "reports at the desk or with POST /api/incidents/{id}/reports.",
            file=sys.stderr,
        )
        return EXIT_NOT_FOUND
    export = exports.export_report(chosen, args.format)
    if args.output:
        Path(args.output).write_bytes(export.content)
    else:
        sys.stdout.buffer.write(export.content)
        sys.stdout.flush()
    return 0


def add_parser(sub, setup) -> None:
    """`setup` is clearline.cli's Django setup, run before the command."""
    parser = sub.add_parser("report", help="export an incident report as PDF, Markdown or HTML")
    commands = parser.add_subparsers(dest="report_command", required=True, metavar="ACTION")
    exp = commands.add_parser(
        "export",
        help="write an incident's report to stdout or a file",
        description="The published customer report by default, else the plain-language draft. "
        "Exit 2 when there is no such incident or report.",
    )
    exp.add_argument("incident_id", metavar="INCIDENT")
    exp.add_argument("--format", choices=("pdf", "md", "html"), default="pdf")
    exp.add_argument("--edition", choices=("internal", "plain", "technical"))
    exp.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    exp.set_defaults(func=lambda args: (setup(), run_export(args))[1])
