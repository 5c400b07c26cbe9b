"""Composing an update and checking it, as the desk preview does on every pause in typing.

Measures, per kind, `compose` alone and `compose` followed by `check_draft` (which reads the
organisation's published history for the boilerplate rule), in a warm process on a database
of its own with a history of published incidents. Writes bench/results/compose.json.

    python bench/compose.py [--history 500] [--rounds 200]
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "compose.json"

FACTS = {
    "symptom": "Card payments fail at checkout",
    "still_works": "Bank transfers and invoices work normally.",
    "lead": "Dana Reyes, VP Engineering",
    "action": "You can pay by bank transfer in the meantime",
    "next_update_minutes": 30,
    "news": "We traced the failures to a settings change made this morning and undid it",
    "status": "monitoring",
    "verification": "we repeated failed payments with test cards and watched error rates "
    "return to normal for an hour",
    "safe": "No card details were exposed, and nobody was charged twice",
}


def milliseconds(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p90_ms": round(ordered[int(len(ordered) * 0.9)] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=500, help="past incidents published")
    parser.add_argument("--rounds", type=int, default=200, help="texts composed per kind")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="clearline-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/clearline.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "clearline.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)

    from django.utils import timezone

    from bench import history
    from clearline.core.permissions import SYSTEM
    from clearline.incidents.services import add_fact, open_incident
    from clearline.updates import compose
    from clearline.updates.checking import check_draft
    from clearline.updates.models import Update

    history.load_in_bulk(args.history, unresolved=0)
    now = timezone.now()
    incident = open_incident(
        by=SYSTEM,
        title="Card payments fail",
        impact="major",
        started_at=now - timedelta(minutes=40),
        segments=[("region", "EU"), ("plan", "Business")],
    )
    # The facts name a cause and what stayed safe; the ledger confirms them, as it must (CL122).
    for subject, text in [
        ("cause", "A settings change made this morning broke card payments."),
        ("data_safety", "No card details were exposed."),
    ]:
        add_fact(incident=incident, by=SYSTEM, kind="fact", subject=subject, text=text)
    fields = compose.initial_fields(incident, compose.FIRST) | FACTS
    fields |= {"fixed_at": now - timedelta(minutes=5), "started_at": now - timedelta(minutes=40)}

    results: dict[str, dict] = {}
    for kind in compose.KINDS:
        alone, checked, words = [], [], []
        for sequence in range(args.rounds):
            started = time.perf_counter()
            composed = compose.compose(
                incident=incident, kind=kind, fields=fields, sequence=sequence
            )
            between = time.perf_counter()
            report = check_draft(incident=incident, body=composed.text, status=composed.status)
            finished = time.perf_counter()
            assert not report.has_errors, composed.text
            alone.append(between - started)
            checked.append(finished - started)
            words.append(report.stats.words)
        results[kind] = {
            "compose": milliseconds(alone),
            "compose_and_check": milliseconds(checked),
            "words_median": statistics.median(words),
        }
        print(
            f"{kind:9} compose {results[kind]['compose']['median_ms']:.2f} ms, "
            f"compose + check_draft {results[kind]['compose_and_check']['median_ms']:.2f} ms "
            f"(median of {args.rounds}, p90 {results[kind]['compose_and_check']['p90_ms']:.2f} ms)"
        )

    output = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "history_incidents": args.history,
        "published_updates": Update.objects.filter(state="published").count(),
        "rounds": args.rounds,
        "kinds": results,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2) + "\n")


if __name__ == "__main__":
    main()
