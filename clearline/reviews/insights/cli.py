"""`clearline insights [--format text|json] [--by month|week] [--since DAY] [--until DAY]`:
the insights page's numbers; the JSON is the API's (`GET /api/insights`)."""

import argparse
import json
import sys
from datetime import date

EXIT_USAGE = 2


def _minutes(seconds: int | None) -> str:
    from clearline.reviews.insights.charts import minutes

    return "-" if seconds is None else minutes(seconds)


def _share(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return lines


def _measures(summary: dict) -> list[str]:
    return [
        str(summary["incidents"]),
        _minutes(summary["first_update_seconds"]),
        _minutes(summary["cadence_seconds"]),
        _minutes(summary["resolve_seconds"]),
        _share(summary["on_time_share"]),
        _minutes(summary["mean_lateness_seconds"]),
        f"{summary['actions_open']}/{summary['actions_overdue']}/{summary['actions_closed']}",
    ]


MEASURES = [
    "incidents",
    "first update",
    "between",
    "resolve",
    "on time",
    "late by",
    "actions o/od/c",
]


def as_text(data: dict) -> str:
    lines = [
        f"Insights: incidents started {data['since']} to {data['until']} ({data['time_zone']}), "
        f"{data['incident_count']} in all. Medians; actions open/overdue/closed.",
        "",
    ]
    overall = data["overall"]
    lines += _table(
        ["", *MEASURES],
        [["real", *_measures(overall["real"])], ["drill", *_measures(overall["drill"])]],
    )
    lines += ["", f"Per {data['by']}:"]
    rows = []
    for period in data["periods"]:
        for kind in ("real", "drill"):
            if period[kind]["incidents"]:
                rows.append([period["label"], kind, *_measures(period[kind])])
    lines += _table([data["by"], "", *MEASURES], rows) if rows else ["(no incidents)"]
    lines += ["", "Per incident, newest first:"]
    incidents = [
        [
            row["id"],
            row["kind"],
            row["title"][:40],
            _minutes(row["first_update_seconds"]),
            _minutes(row["cadence_seconds"]),
            _minutes(row["resolve_seconds"]),
            f"{row['on_time']}/{row['late']}",
        ]
        for row in data["incidents"]
    ]
    header = ["id", "", "title", "first update", "between", "resolve", "on time/late"]
    lines += _table(header, incidents) if incidents else ["(no incidents)"]
    done = data["follow_ups"]
    lines += [
        "",
        f"Follow-ups: {done['done']} done, {done['open']} open ({done['overdue']} overdue).",
    ]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from clearline.core.errors import ClearlineError
    from clearline.reviews.insights import selectors
    from clearline.reviews.insights.api import InsightsOut, insights_out

    try:
        found = selectors.insights(by=args.by, since=args.since, until=args.until, limit=args.limit)
    except ClearlineError as refusal:
        print(f"clearline insights: {refusal.message}", file=sys.stderr)
        return EXIT_USAGE
    data = InsightsOut.model_validate(insights_out(found)).model_dump(mode="json")
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(as_text(data))
    return 0


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day such as 2025-05-01") from None


def add_parser(sub, setup) -> None:
    """`setup` is clearline.cli's Django setup, run before the command."""
    parser = sub.add_parser(
        "insights",
        help="time to first update, updates on time, time to resolve, action items, drills",
        description="The insights page's numbers for incidents started in a range of days in "
        "the organisation's zone (by default 12 months, or 13 weeks with --by week): real "
        "incidents and drills apart, in all, per period and per incident. The JSON is the "
        "API's (GET /api/insights).",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--by", choices=("month", "week"), default="month")
    parser.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="last day, included")
    parser.add_argument("--limit", type=int, default=100, help="incidents listed (default 100)")
    parser.set_defaults(func=lambda args: (setup(), run(args))[1])
