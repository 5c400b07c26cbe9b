"""How soon a publish reaches the public JSON, and how soon an interrupted one does.

One run (`python bench/publish_to_page.py`), on a fresh SQLite database and snapshot folder
with the demo company loaded, `clearline serve` (one web process) and `clearline worker` running:

- **publish**: this process publishes an update through the services (as the desk does) and
  polls `/api/v2/summary.json` over HTTP every 5 ms until the new text is there; the time from
  calling the service to that answer, for each of 20 publishes.
- **interrupted**: a child process publishes and is SIGKILLed the moment its transaction has
  committed, before anything after the commit runs (as a web worker killed mid-request); the
  time from its death to the new text in summary.json, which only the worker can bring. On code
  that renders only from the request, the text never arrives: the run reports how many did not
  within the wait.

Writes bench/results/publish_to_page.json and prints the medians.
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
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: the repository root makes `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers  # noqa: E402

RESULTS = servers.ROOT / "bench" / "results" / "publish_to_page.json"
POLL = 0.005


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARLINE_")}
    env.update(
        {
            "CLEARLINE_VAR_DIR": str(var_dir),
            "CLEARLINE_SNAPSHOT_DIR": str(var_dir / "snapshot"),
            "DATABASE_URL": "",
            "DJANGO_SETTINGS_MODULE": "clearline.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


CHILD = r"""
import os, signal, sys
import django
django.setup()
from django.db import transaction
from bench.publish_to_page import publish_once
with transaction.atomic():
    # The first thing after the commit: nothing the publish asked to run afterwards gets to.
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    publish_once(sys.argv[1])
"""


def publish_once(text: str) -> None:
    """Publish `text` on the demo's open incident as its approver, as the desk would."""
    from django.contrib.auth import get_user_model

    from clearline.incidents.models import Incident
    from clearline.updates.services import publish_new_update

    incident = Incident.objects.exclude(status="resolved").filter(is_drill=False).first()
    publish_new_update(
        incident=incident,
        by=get_user_model().objects.get(username="dana"),
        approve=True,
        override_reason="Benchmark text.",
        body=text,
        status="identified",
    )


def until_shown(base: str, text: str, *, started: float, wait: float) -> float | None:
    deadline = started + wait
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/api/v2/summary.json", timeout=10) as response:
            body = response.read()
        if text.encode() in body:
            return time.monotonic() - started
        time.sleep(POLL)
    return None


def measure(base: str, env: dict[str, str], args) -> tuple[list, list]:
    import django

    django.setup()
    publish_once("Warm-up text.")
    until_shown(base, "Warm-up text.", started=time.monotonic(), wait=args.wait)
    published = []
    for n in range(args.publishes):
        text = f"Publish {n}: payments are marked as paid again within a minute."
        started = time.monotonic()
        publish_once(text)
        published.append(until_shown(base, text, started=started, wait=args.wait))
    interrupted = []
    child_env = {**env, "PYTHONPATH": str(servers.ROOT)}
    for n in range(args.interrupted):
        text = f"Interrupted {n}: the fix is rolled out to every region."
        child = subprocess.run(
            [sys.executable, "-c", CHILD, text], env=child_env, capture_output=True
        )
        started = time.monotonic()  # it died at its commit
        if child.returncode != -signal.SIGKILL:
            raise RuntimeError(child.stderr.decode())
        interrupted.append(until_shown(base, text, started=started, wait=args.wait))
    return published, interrupted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--interrupted", type=int, default=5)
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to wait for a text")
    parser.add_argument("--label", default="", help="what code this run measured")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="clearline-bench-") as tmp:
        var_dir = Path(tmp)
        env = _env(var_dir)
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "-m", "clearline", "demo"], env=env, check=True, capture_output=True
        )
        port = servers.free_port()
        serve = [sys.executable, "-m", "clearline", "serve", "--bind", f"127.0.0.1:{port}"]
        web = servers.Server("clearline", [*serve, "--workers", "1"], port, env=env)
        worker = servers.start_worker(env)
        try:
            with web:
                published, interrupted = measure(web.url, env, args)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)

    def summary(times: list[float | None]) -> dict:
        shown = [t for t in times if t is not None]
        return {
            "count": len(times),
            "shown": len(shown),
            "median_ms": round(statistics.median(shown) * 1000, 1) if shown else None,
            "max_ms": round(max(shown) * 1000, 1) if shown else None,
            "times_ms": [None if t is None else round(t * 1000, 1) for t in times],
        }

    result = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "label": args.label,
        "wait_seconds": args.wait,
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
        "publish_to_summary_json": summary(published),
        "interrupted_publish_to_summary_json": summary(interrupted),
    }
    runs = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    runs.append(result)
    RESULTS.write_text(json.dumps(runs, indent=2) + "\n")
    for name in ("publish_to_summary_json", "interrupted_publish_to_summary_json"):
        part = result[name]
        print(f"{name}: {part['shown']}/{part['count']} shown, median {part['median_ms']} ms")


if __name__ == "__main__":
    main()
