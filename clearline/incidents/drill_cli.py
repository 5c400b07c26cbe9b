"""`clearline drill open TITLE [--impact I] [--component NAME ...] [--commander U]`:
start a practice incident from a terminal. It runs like any incident in the desk — updates,
resolution, review — and nothing of it reaches the status page or a subscriber."""

import argparse
import sys

IMPACTS = ["none", "minor", "major", "critical"]  # Impact's values: read before Django starts
EXIT_USAGE = 2


def _components(names: list[str], status: str) -> dict:
    from clearline.core.errors import ClearlineError
    from clearline.incidents.models import Component

    found = {component.name: component for component in Component.objects.filter(name__in=names)}
    missing = [name for name in names if name not in found]
    if missing:
        raise ClearlineError(f"No component is named {missing[0]!r}.", field="component")
    return {found[name]: status for name in names}


def cmd_open(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from clearline.core.errors import ClearlineError
    from clearline.core.permissions import SYSTEM
    from clearline.incidents.api import _person  # the API's reading of a username, as is
    from clearline.incidents.services import open_incident

    try:
        by = _person(args.by, "by") or SYSTEM
        drill = open_incident(
            by=by,
            title=args.title,
            impact=args.impact,
            is_drill=True,
            started_at=timezone.now(),
            commander=_person(args.commander, "commander"),
            comms_owner=_person(args.comms_owner, "comms_owner"),
            components=_components(args.component, args.component_status),
        )
    except ClearlineError as refusal:
        where = f" ({refusal.field})" if refusal.field else ""
        print(f"clearline drill open: {refusal.message}{where}", file=sys.stderr)
        return EXIT_USAGE
    desk = settings.SITE_URL + reverse("desk:incident", args=[drill.pk])
    print(f"[DRILL] {drill.title}")
    print(f"id: {drill.public_id}")
    print(f"desk: {desk}")
    print("This is a drill: nothing of it reaches the status page or subscribers.")
    return 0


def add_parser(sub, setup) -> None:
    """`setup` is clearline.cli's Django setup, run before the command."""
    parser = sub.add_parser("drill", help="start a drill: a practice incident nobody outside sees")
    commands = parser.add_subparsers(dest="drill_command", required=True, metavar="ACTION")
    start = commands.add_parser(
        "open",
        help="open a drill now; run it in the desk like any incident",
        description="Open a drill starting now. Updates, resolution and review then run in the "
        "desk or the API as for any incident; nothing reaches the public or subscribers, and "
        "its response times show on the insights page beside the real incidents'.",
    )
    start.add_argument("title")
    start.add_argument("--impact", choices=IMPACTS, default="major")
    start.add_argument(
        "--component", action="append", default=[], metavar="NAME", help="affected (repeatable)"
    )
    start.add_argument(
        "--component-status",
        default="major_outage",
        choices=["degraded_performance", "partial_outage", "major_outage"],
    )
    start.add_argument("--commander", metavar="USERNAME")
    start.add_argument("--comms-owner", metavar="USERNAME")
    start.add_argument("--by", metavar="USERNAME", help="who opens it (default: clearline)")
    start.set_defaults(func=lambda args: (setup(), cmd_open(args))[1])
