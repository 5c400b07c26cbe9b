"""The insights page over 10,000 incidents: how long a signed-in viewer waits for it.

One run (`python bench/insights.py`, part of `make bench`) per database — SQLite, and
PostgreSQL when it answers at BENCH_DATABASE_URL — each on a fresh database in a process of
its own:

- 10,000 incidents over the last twelve months (one in twenty a drill), each with a timeline of
  four entries and two to five published customer updates carrying their promises and
  lateness, and two action items on one incident in three, all written with bulk_create (a
  history this long is only ever written directly to measure, never to publish);
- the desk's insights page (`/desk/insights/`, by month and by week) and `GET /api/insights`,
  requested through Django's test client as a signed-in viewer, `--rounds` times each after a
  warm-up.

Medians and 90th percentiles go to bench/results/insights.json; the target is a median under
1 s for the page.
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "insights.json"
POSTGRES_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clearline_bench_insights"
)
TARGET_SECONDS = 1.0
ADDRESSES = {
    "page_by_month": "/desk/insights/",
    "page_by_week": "/desk/insights/?by=week",
    "api_by_month": "/api/insights",
}


# --- the child: one database, loaded and measured -------------------------------------------


def load(count: int, seed: int = 11) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from clearline.accounts.models import Organisation
    from clearline.incidents.models import Incident, TimelineEntry
    from clearline.reviews.models import ActionItem
    from clearline.updates.models import Update
    from tests.factories import make_user

    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    viewer = make_user("vic", "viewer")
    owner = make_user("sam", "responder")
    with transaction.atomic():
        Organisation.current()
        starts = sorted(
            (now - timedelta(minutes=rng.randrange(6 * 60, 364 * 24 * 60)) for _ in range(count)),
            reverse=True,
        )
        shapes = []
        for n, started in enumerate(starts):
            first = rng.randrange(3, 40)
            gaps = [rng.randrange(15, 75) for _ in range(rng.randrange(1, 5))]
            shapes.append((n % 20 == 0, started, first, gaps))
        incidents = Incident.objects.bulk_create(
            Incident(
                title=f"{'Drill: ' if drill else ''}Payments slow to confirm ({n})",
                impact=rng.choice(["minor", "major", "critical"]),
                status="resolved",
                is_drill=drill,
                started_at=started,
                detected_at=started + timedelta(minutes=2),
                resolved_at=started + timedelta(minutes=first + sum(gaps)),
            )
            for n, (drill, started, first, gaps) in enumerate(shapes)
        )
        entries, updates, items = [], [], []
        for incident, (_, started, first, gaps) in zip(incidents, shapes, strict=True):
            moments_seen = [
                (1, "noticed"),
                (first + 5, "cause_found"),
                (first + 10, "change_made"),
                (first + sum(gaps), "restored"),
            ]
            for minutes, kind in moments_seen:
                entries.append(
                    TimelineEntry(
                        incident=incident,
                        kind=kind,
                        occurred_at=started + timedelta(minutes=minutes),
                        text="What the team saw and did at this moment.",
                    )
                )
            at = started + timedelta(minutes=first)
            moments = [at]
            for gap in gaps:
                moments.append(moments[-1] + timedelta(minutes=gap))
            for index, moment in enumerate(moments):
                last = index == len(moments) - 1
                late = None if index == 0 else max(0, (gaps[index - 1] - 30) * 60)
                updates.append(
                    Update(
                        incident=incident,
                        status="resolved" if last else "investigating",
                        body="Payments take longer than usual to confirm for some customers.",
                        state="published",
                        published_at=moment,
                        next_update_due=None if last else moment + timedelta(minutes=30),
                        lateness_seconds=late,
                    )
                )
            if incident.pk % 3 == 0:
                for offset, status in [(7, "open"), (30, "done")]:
                    items.append(
                        ActionItem(
                            incident=incident,
                            outcome="Alert the on-call engineer when confirmations lag",
                            category="detection",
                            owner=owner,
                            due_date=(started + timedelta(days=offset)).date(),
                            status=status,
                            evidence_note="It paged in the rehearsal." if status == "done" else "",
                            closed_at=started + timedelta(days=2) if status == "done" else None,
                        )
                    )
        TimelineEntry.objects.bulk_create(entries, batch_size=2000)
        Update.objects.bulk_create(updates, batch_size=2000)
        ActionItem.objects.bulk_create(items, batch_size=2000)
    return {
        "viewer": viewer.username,
        "incidents": count,
        "drills": sum(1 for shape in shapes if shape[0]),
        "timeline_entries": len(entries),
        "updates": len(updates),
        "action_items": len(items),
    }


def _counting(queries: list[str]):
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def measure(rounds: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="vic"))
    timings = {}
    for name, address in ADDRESSES.items():
        assert client.get(address).status_code == 200, address  # warm-up
        queries: list[str] = []
        # Counted at the cursor: the test client's request signal empties Django's query log.
        with connection.execute_wrapper(_counting(queries)):
            client.get(address)
        samples, cpu = [], []
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(address)
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200
        ordered = sorted(samples)
        timings[name] = {
            "median_s": round(statistics.median(ordered), 3),
            # This process's CPU only (all of SQLite's work; none of PostgreSQL's server's).
            "cpu_median_s": round(statistics.median(cpu), 3),
            "p90_s": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))], 3),
            "queries": len(queries),
            "bytes": len(response.content),
        }
    return timings


def one(database_url: str, count: int, rounds: int) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "clearline.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    dataset = load(count)
    dataset["load_seconds"] = round(time.perf_counter() - started, 1)
    return {"dataset": dataset, "timings": measure(rounds)}


# --- the parent: one child per database -----------------------------------------------------


def _postgres_ready(url: str) -> bool:
    import psycopg

    base, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return False
    return True


def _drop_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(database_url: str, args) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARLINE_")}
    done = subprocess.run(
        [sys.executable, __file__, "--one", database_url, "--incidents", str(args.incidents)]
        + ["--rounds", str(args.rounds)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench: the run on {database_url.split(':')[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--one", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.incidents, args.rounds)))
        return 0
    runs = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="clearline-bench-") as folder:
        print(f"bench: insights over {args.incidents:,} incidents on SQLite …", flush=True)
        runs["sqlite"] = run_child(f"sqlite:///{folder}/insights.sqlite3", args)
    if _postgres_ready(POSTGRES_URL):
        print(f"bench: insights over {args.incidents:,} incidents on PostgreSQL …", flush=True)
        try:
            runs["postgresql"] = run_child(POSTGRES_URL, args)
        finally:
            _drop_postgres(POSTGRES_URL)
    else:
        print("bench: PostgreSQL not reachable; measured SQLite only")
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            # A busy machine's wall clock counts waiting for a core: read the numbers with it.
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "rounds": args.rounds,
        "target": f"page median < {TARGET_SECONDS} s",
        "runs": runs,
        "met": all(
            run["timings"][name]["median_s"] < TARGET_SECONDS
            for run in runs.values()
            for name in ("page_by_month", "page_by_week")
        ),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    for database, run in runs.items():
        for name, timing in run["timings"].items():
            print(
                f"  {database:<10} {name:<14} median {timing['median_s']:.3f} s, "
                f"p90 {timing['p90_s']:.3f} s, CPU {timing['cpu_median_s']:.3f} s, "
                f"{timing['queries']} queries"
            )
    print(f"bench: target {results['target']}: {'met' if results['met'] else 'MISSED'}")
    print(f"bench: wrote {args.output}")
    return 0 if results["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
