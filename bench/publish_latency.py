"""Publish → new text in the public snapshot file, with the render on a real worker.

One run (`python bench/publish_latency.py`), on a fresh SQLite database and snapshot folder with
the demo company loaded:

- **before**: with no worker running, each publish is followed in this process by the render a
  request used to pay after its commit (`render_after_change` of the incident, as the removed
  in-request path called it): the publishing call's time as it was.
- **after**: `clearline worker` runs as its own process (polling every
  CLEARLINE_WORKER_POLL_SECONDS); this process publishes through the services, as the desk does,
  and reads `api/v2/summary.json` from the snapshot folder every 2 ms until the new text is in
  it. Measured per publish: the publishing call's own time, and publish → text in the file.
- **burst**: 10 publishes back to back, then the time until the last text is in the file (the
  consumer renders every waiting event at once).

Writes bench/results/publish_latency.json and prints medians and p95.
"""

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: the repository root makes `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers  # noqa: E402
from bench.publish_to_page import _env  # noqa: E402

RESULTS = servers.ROOT / "bench" / "results" / "publish_latency.json"
POLL = 0.002
TARGET_MS = 1000


def publish_once(text: str) -> None:
    """Sam writes, Dana approves and publishes: the desk's two-person path, through services."""
    from django.contrib.auth import get_user_model

    from clearline.incidents.models import Incident
    from clearline.updates.services import approve_and_publish, content_hash_of, draft_update

    people = get_user_model().objects.in_bulk(["sam", "dana"], field_name="username")
    incident = Incident.objects.exclude(status="resolved").filter(is_drill=False).first()
    update = draft_update(incident=incident, by=people["sam"], body=text, status="identified")
    approve_and_publish(
        update=update,
        by=people["dana"],
        content_hash=content_hash_of(update),
        override_reason="Benchmark text.",
    )


def until_in_file(path: Path, text: str, *, started: float, wait: float) -> float | None:
    needle = text.encode()
    while time.monotonic() < started + wait:
        try:
            if needle in path.read_bytes():
                return time.monotonic() - started
        except OSError:
            pass  # between a render's write and rename: try again
        time.sleep(POLL)
    return None


def spread(seconds: list[float | None]) -> dict:
    shown = sorted(s * 1000 for s in seconds if s is not None)
    if not shown:
        return {"count": len(seconds), "shown": 0}
    return {
        "count": len(seconds),
        "shown": len(shown),
        "median_ms": round(statistics.median(shown), 1),
        "p95_ms": round(shown[min(len(shown) - 1, round(0.95 * (len(shown) - 1)))], 1),
        "max_ms": round(shown[-1], 1),
        "samples_ms": [None if s is None else round(s * 1000, 1) for s in seconds],
    }


def before(count: int) -> list[float]:
    """The publishing call plus the render it used to run after its commit."""
    from clearline.incidents.models import Incident
    from clearline.statuspage import snapshot

    incident = Incident.objects.exclude(status="resolved").filter(is_drill=False).first()
    times = []
    for n in range(count):
        started = time.monotonic()
        publish_once(f"Before {n}: payments are marked as paid again within a minute.")
        snapshot.render_after_change([incident.pk], mark=True)
        times.append(time.monotonic() - started)
    return times


def after(snapshot: Path, args) -> tuple[list, list, list, float | None]:
    index, summary = snapshot / "index.html", snapshot / "api" / "v2" / "summary.json"
    publish_once("Warm-up text.")
    until_in_file(summary, "Warm-up text.", started=time.monotonic(), wait=args.wait)
    calls, on_page, in_json = [], [], []
    for n in range(args.publishes):
        text = f"Publish {n}: payments are marked as paid again within a minute."
        started = time.monotonic()
        publish_once(text)
        calls.append(time.monotonic() - started)
        # The page is written first, the JSON a few files later in the same render.
        on_page.append(until_in_file(index, text, started=started, wait=args.wait))
        in_json.append(until_in_file(summary, text, started=started, wait=args.wait))
        time.sleep(0.05)  # publishes apart, not a burst: each pays its own wait
    started = time.monotonic()
    for n in range(10):
        publish_once(f"Burst {n}: the fix is rolled out to region {n}.")
    burst = until_in_file(summary, "Burst 9: the fix", started=started, wait=args.wait)
    return calls, on_page, in_json, burst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publishes", type=int, default=30)
    parser.add_argument("--before", type=int, default=10, help="publishes timed the old way")
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to wait for a text")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="clearline-bench-") as tmp:
        env = _env(Path(tmp))
        os.environ.update(env)
        for command in (["demo"], ["snapshot"]):
            subprocess.run(
                [sys.executable, "-m", "clearline", *command],
                env=env,
                check=True,
                capture_output=True,
            )
        import django

        django.setup()
        from django.conf import settings

        snapshot = Path(env["CLEARLINE_SNAPSHOT_DIR"])
        old_calls = before(args.before)
        worker = servers.start_worker(env)
        try:
            calls, on_page, in_json, burst = after(snapshot, args)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        poll = settings.CLEARLINE_WORKER_POLL_SECONDS

    shown_spread = spread(in_json)
    result = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            # A shared machine: the load beside the run says how much the figures are its noise.
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "database": "sqlite",
        "worker_poll_seconds": poll,
        "publish_call_before": {
            "how": "approve_and_publish, then render_after_change of the incident in the same "
            "process (what the request ran after its commit before the outbox)",
            **spread(old_calls),
        },
        "publish_call_after": {
            "how": "approve_and_publish with a worker running; the request renders nothing",
            **spread(calls),
        },
        "publish_to_index_html": {
            "how": "publish called → new text in index.html on disk (the first file rendered)",
            **spread(on_page),
        },
        "publish_to_summary_json": {
            "how": "publish called → new text in api/v2/summary.json on disk",
            **shown_spread,
        },
        "burst_of_10_to_last_text_ms": None if burst is None else round(burst * 1000, 1),
        "target": {
            "what": "publish → new text in api/v2/summary.json, p95",
            "ms": TARGET_MS,
            "met": shown_spread.get("p95_ms", TARGET_MS) < TARGET_MS
            and shown_spread["shown"] == shown_spread["count"],
        },
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    names = [
        "publish_call_before",
        "publish_call_after",
        "publish_to_index_html",
        "publish_to_summary_json",
    ]
    for name in names:
        part = result[name]
        print(f"{name}: median {part.get('median_ms')} ms, p95 {part.get('p95_ms')} ms")
    print(f"burst of 10 → last text: {result['burst_of_10_to_last_text_ms']} ms")


if __name__ == "__main__":
    main()
