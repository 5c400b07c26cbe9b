"""The public status page under an outage's traffic, and how fast a publish reaches it.

One run (`make bench`), on a fresh SQLite database and snapshot folder:

1. 1,000 past incidents published through the services (and a few still open), then
   `clearline snapshot`.
2. `/` and `/api/v2/summary.json` under wrk at 64 connections against (a) clearline's own server,
   as `clearline serve` runs it, (b) nginx with deploy/nginx.conf, and (c) nginx serving the same
   bytes as plain static files. Medians of 3 rounds, after a warm-up.
3. Publish → the new text in the snapshot file on disk (and through nginx).
4. The snapshot render after a publish, with 100 and with 10,000 past incidents.

Writes bench/results/status_page.json and prints a summary with the targets.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: the repository root makes `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers  # noqa: E402

RESULTS = servers.ROOT / "bench" / "results" / "status_page.json"
ENDPOINTS = {"/": "index.html", "/api/v2/summary.json": "api/v2/summary.json"}
CONNECTIONS = 64
THREADS = 2
UNRESOLVED = 3
PUBLISHES = 7
RENDERS = 7


@dataclass(frozen=True)
class Plan:
    seconds: int = 10
    warm_up_seconds: int = 3
    rounds: int = 3
    history: int = 1000
    render_sizes: tuple[int, int] = (100, 10_000)


# A smoke run of every step in about a minute; its numbers mean nothing.
QUICK = Plan(seconds=2, warm_up_seconds=1, rounds=1, history=60, render_sizes=(20, 200))


# --- the measuring run ------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run of every step")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan()
    missing = [tool for tool in ("nginx", "wrk") if not _tool(tool)]
    if missing:
        print(f"bench: {' and '.join(missing)} not found; install with: {servers.INSTALL_HINT}")
        return 2
    began = time.monotonic()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="clearline-bench-") as tmp:
        tmp = Path(tmp)
        env = _child_env(tmp / "main")
        print(f"bench: publishing {plan.history} incidents through the services …", flush=True)
        dataset = _child(env, "seed", "--incidents", str(plan.history))
        started = time.perf_counter()
        snap = subprocess.run(
            [sys.executable, "-m", "clearline", "snapshot"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        dataset["snapshot_seconds"] = round(time.perf_counter() - started, 2)
        dataset["snapshot_files"] = int(re.search(r"wrote (\d+) files", snap.stdout).group(1))
        serving, publish = _serve_and_publish(tmp, env, plan)
        renders = {}
        for size in plan.render_sizes:
            print(f"bench: render after a publish with {size} past incidents …", flush=True)
            renders[str(size)] = _child(
                _child_env(tmp / f"render-{size}"), "render", "--incidents", str(size)
            )
    small, large = (renders[str(n)] for n in plan.render_sizes)
    renders["ratio"] = round(large["median_ms"] / small["median_ms"], 2)
    renders["cpu_ratio"] = round(large["cpu_median_ms"] / small["cpu_median_ms"], 2)
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - began),
        "plan": asdict(plan),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "tools": _versions(),
        "dataset": dataset,
        "serving": serving,
        "publish_to_snapshot": publish,
        "render_after_change": renders,
    }
    results["targets"] = _targets(results, plan)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    _print_summary(results, plan)
    print(f"bench: wrote {args.output}")
    return 0


def _tool(name: str) -> str | None:
    return shutil.which(name) or (
        f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None
    )


def _child_env(var_dir: Path) -> dict[str, str]:
    """A separate install: its own database, snapshot folder and secret key."""
    var_dir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        CLEARLINE_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'clearline.sqlite3'}",
        CLEARLINE_SNAPSHOT_DIR=str(var_dir / "snapshot"),
        DJANGO_SETTINGS_MODULE="clearline.settings",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    return env


def _child(env: dict[str, str], *args: str) -> dict:
    """Run one of this file's steps in its own process (its own database) and read its result."""
    out = subprocess.run(
        [sys.executable, __file__, "--step", *args],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _serve_and_publish(tmp: Path, env: dict[str, str], plan: Plan) -> tuple[dict, dict]:
    from clearline import cli

    snapshot = Path(env["CLEARLINE_SNAPSHOT_DIR"])
    plain = tmp / "plain"
    for relpath in ENDPOINTS.values():
        (plain / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(snapshot / relpath, plain / relpath)
    app_port, deploy_port, static_port = (servers.free_port() for _ in range(3))
    serve = cli.build_parser().parse_args(["serve", "--bind", f"127.0.0.1:{app_port}"])
    app = servers.Server("clearline", cli.web_argv(serve), app_port, env=env)
    deploy = servers.nginx(
        "deploy",
        tmp / "nginx-deploy",
        servers.deploy_server_block(
            snapshot_dir=snapshot, upstream=f"127.0.0.1:{app_port}", port=deploy_port
        ),
        deploy_port,
    )
    static = servers.nginx(
        "static",
        tmp / "nginx-static",
        servers.static_server_block(root=plain, port=static_port),
        static_port,
    )
    # (c) asks for the file by name: no index lookup, the plainest static answer there is.
    targets = {
        "app": (app, lambda path: app.url + path),
        "nginx_deploy": (deploy, lambda path: deploy.url + path),
        "nginx_static": (static, lambda path: static.url + "/" + ENDPOINTS[path]),
    }
    with app, deploy, static:
        for path, relpath in ENDPOINTS.items():
            expected = (snapshot / relpath).read_bytes()
            for name, (_, url) in targets.items():
                _require_same_bytes(url(path), expected, name)
        endpoints = {}
        for path in ENDPOINTS:
            print(f"bench: wrk on {path} …", flush=True)
            runs = {name: (server, url(path)) for name, (server, url) in targets.items()}
            endpoints[path] = _wrk_all(runs, plan)
        print("bench: publish → snapshot file …", flush=True)
        publish = _child(env, "publish", "--nginx-url", deploy.url)
    serving = {
        "method": (
            f"wrk -t{THREADS} -c{CONNECTIONS} -d{plan.seconds}s --latency; a "
            f"{plan.warm_up_seconds} s warm-up per server, then {plan.rounds} rounds with the "
            "servers in turn; medians"
        ),
        "servers": {
            "app": (
                f"clearline's own server as `clearline serve` runs it: granian "
                f"clearline.wsgi:application, {serve.workers} workers × {serve.threads} threads"
            ),
            "nginx_deploy": "nginx with deploy/nginx.conf, serving the snapshot folder",
            "nginx_static": "nginx serving copies of the same files, no try_files or fallback",
        },
        "endpoints": endpoints,
    }
    return serving, publish


def _require_same_bytes(url: str, expected: bytes, name: str) -> None:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
    if body != expected:
        raise RuntimeError(f"{name} at {url} does not serve the snapshot's bytes")


def _wrk_all(runs: dict[str, tuple[servers.Server, str]], plan: Plan) -> dict:
    """Each server in turn, round after round; the two nginx runs always back to back."""
    for _, url in runs.values():
        _wrk(url, plan.warm_up_seconds)
    rounds: dict[str, list[dict]] = {name: [] for name in runs}
    for n in range(plan.rounds):
        pair = ["nginx_deploy", "nginx_static"][:: 1 if n % 2 == 0 else -1]
        for name in ["app", *pair]:
            server, url = runs[name]
            cpu = server.cpu_seconds()
            result = _wrk(url, plan.seconds)
            cpu = server.cpu_seconds() - cpu
            result["server_cpu_us_per_request"] = round(cpu / result["requests"] * 1e6, 1)
            rounds[name].append(result)
    result = {}
    for name, done in rounds.items():
        result[name] = {
            key: round(statistics.median(run[key] for run in done), 3)
            for key in ("requests_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_request")
        }
        result[name]["rounds"] = done
    base = result["nginx_static"]["requests_per_s"]
    result["ratios"] = {
        "nginx_deploy/nginx_static": round(result["nginx_deploy"]["requests_per_s"] / base, 3),
        "app/nginx_static": round(result["app"]["requests_per_s"] / base, 3),
    }
    return result


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNIT_MS[unit]


def _wrk(url: str, seconds: int) -> dict:
    argv = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: (.*)", out)
    if errors or sockets:
        raise RuntimeError(f"wrk saw failures against {url}:\n{out}")
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": round(_ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)), 3),
        "p99_ms": round(_ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)), 3),
    }


def _versions() -> dict[str, str]:
    import sqlite3
    from importlib.metadata import version

    import django

    nginx = subprocess.run([_tool("nginx"), "-v"], capture_output=True, text=True).stderr
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "granian": version("granian"),
        "sqlite": sqlite3.sqlite_version,
        "nginx": nginx.strip().rsplit("/", 1)[-1],
        "wrk": wrk.split()[1] if wrk else "unknown",
    }


def _targets(results: dict, plan: Plan) -> list[dict]:
    endpoints = results["serving"]["endpoints"]
    rows = []
    for path, result in endpoints.items():
        rows += [
            {
                "what": f"{path}: nginx with deploy config / plain static, requests/s",
                "target": ">= 0.9",
                "value": result["ratios"]["nginx_deploy/nginx_static"],
                "met": result["ratios"]["nginx_deploy/nginx_static"] >= 0.9,
            },
            {
                "what": f"{path}: clearline / plain static, requests/s",
                "target": ">= 0.08",
                "value": result["ratios"]["app/nginx_static"],
                "met": result["ratios"]["app/nginx_static"] >= 0.08,
            },
            {
                "what": f"{path}: clearline p99 latency, ms",
                "target": "< 50",
                "value": result["app"]["p99_ms"],
                "met": result["app"]["p99_ms"] < 50,
            },
        ]
    publish = results["publish_to_snapshot"]["file_ms"]["median"]
    rows.append(
        {
            "what": "publish → new text in the snapshot file, median ms",
            "target": "< 1000",
            "value": publish,
            "met": publish < 1000,
        }
    )
    sizes = "{:,} / {:,} past incidents".format(*reversed(plan.render_sizes))
    for key, clock in (("ratio", "wall-clock"), ("cpu_ratio", "CPU")):
        ratio = results["render_after_change"][key]
        rows.append(
            {
                "what": f"render after a publish, {sizes}, {clock} time",
                "target": "<= 1.5",
                "value": ratio,
                "met": ratio <= 1.5,
            }
        )
    return rows


def _print_summary(results: dict, plan: Plan) -> None:
    print()
    print(
        f"{'endpoint':22} {'server':13} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU µs/req':>10}"
    )
    for path, result in results["serving"]["endpoints"].items():
        for name in ("app", "nginx_deploy", "nginx_static"):
            row = result[name]
            print(
                f"{path:22} {name:13} {row['requests_per_s']:8.0f} {row['p50_ms']:7.2f} "
                f"{row['p99_ms']:7.2f} {row['server_cpu_us_per_request']:10.0f}"
            )
    publish = results["publish_to_snapshot"]
    print(f"publish → file: median {publish['file_ms']['median']} ms")
    for size in plan.render_sizes:
        render = results["render_after_change"][str(size)]
        print(
            f"render after a publish, {size} past incidents: median {render['median_ms']} ms "
            f"(CPU {render['cpu_median_ms']} ms)"
        )
    print()
    for row in results["targets"]:
        verdict = "met   " if row["met"] else "MISSED"
        print(f"{verdict} {row['what']}: {row['value']} (target {row['target']})")


# --- steps that run inside Django, each in its own process --------------------------------------


def _setup() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def step_seed(args: argparse.Namespace) -> dict:
    from django.core.management import call_command

    from bench import history
    from clearline.core.permissions import SYSTEM

    call_command("collectstatic", interactive=False, verbosity=0)  # as `clearline serve` does
    started = time.perf_counter()
    # clearline itself loads the history, as an import would: no approval step is measured here.
    history.load_with_services(args.incidents, unresolved=UNRESOLVED, by=SYSTEM)
    return {
        "incidents": args.incidents + UNRESOLVED,
        "unresolved": UNRESOLVED,
        "incidents_per_month": history.PER_MONTH,
        "loaded_with": "open_incident, draft_update, publish_update in one transaction",
        "seed_seconds": round(time.perf_counter() - started, 2),
    }


def step_publish(args: argparse.Namespace) -> dict:
    """Time from calling publish_update to its text in index.html on disk (and from nginx)."""
    from clearline.core.permissions import SYSTEM
    from clearline.statuspage import snapshot

    user = SYSTEM  # clearline publishing: the time measured is publish → page, not approval
    index = snapshot.snapshot_dir() / "index.html"
    file_ms, http_ms, call_ms = [], [], []
    # The render runs on the worker (the outbox's snapshot consumer), as in production.
    worker = servers.start_worker()
    try:
        _time_publishes(args, user, index, file_ms, http_ms, call_ms)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    return {
        "publishes": PUBLISHES,
        "file_ms": _spread(file_ms),
        "through_nginx_ms": _spread(http_ms),
        "publish_call_ms": _spread(call_ms),
    }


def _time_publishes(args, user, index, file_ms, http_ms, call_ms) -> None:
    import secrets
    import threading
    import urllib.request

    from django.db import connection

    from clearline.statuspage import selectors
    from clearline.updates.services import draft_update, publish_update

    for n in range(PUBLISHES):
        incident = selectors.unresolved_incidents()[n % UNRESOLVED]
        marker = f"Checkpoint {n}-{secrets.token_hex(4)}"
        update = draft_update(
            incident=incident, by=user, body=f"We are still restoring service. {marker}."
        )
        needle = marker.encode()
        done = {}

        def publish(update=update, done=done):
            try:
                publish_update(update=update, by=user)
                done["at"] = time.perf_counter()
            finally:
                connection.close()

        def on_nginx(needle=needle):
            with urllib.request.urlopen(args.nginx_url + "/", timeout=5) as response:
                return needle in response.read()

        started = time.perf_counter()
        publisher = threading.Thread(target=publish)
        publisher.start()
        _poll(lambda needle=needle: needle in index.read_bytes())
        file_ms.append((time.perf_counter() - started) * 1000)
        _poll(on_nginx)
        http_ms.append((time.perf_counter() - started) * 1000)
        publisher.join()
        call_ms.append((done["at"] - started) * 1000)
        time.sleep(0.2)


def step_render(args: argparse.Namespace) -> dict:
    """render_after_change for one incident, with `--incidents` past incidents in the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import history
    from clearline.core.permissions import SYSTEM
    from clearline.statuspage import selectors, snapshot
    from clearline.updates.services import draft_update, publish_update

    started = time.perf_counter()
    history.load_in_bulk(args.incidents, unresolved=UNRESOLVED)
    load_seconds = time.perf_counter() - started
    user = SYSTEM  # clearline publishing: the time measured is publish → page, not approval
    incident = selectors.unresolved_incidents().first()
    update = draft_update(incident=incident, by=user, body="We have found the cause.")
    publish_update(update=update, by=user)
    snapshot.render_after_change([incident.pk])  # once, as the worker would after the publish
    timings, cpu = [], []
    for _ in range(RENDERS):
        started, cpu_started = time.perf_counter(), time.process_time()
        written = snapshot.render_after_change([incident.pk])
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        snapshot.render_after_change([incident.pk])
    return {
        "incidents": args.incidents + UNRESOLVED,
        "loaded_with": "bulk_create (rows of the same shape as the services write)",
        "load_seconds": round(load_seconds, 2),
        "files": len(written),
        "queries": len(queries),
        "renders": RENDERS,
        "median_ms": round(statistics.median(timings), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "render_ms": [round(t, 1) for t in timings],
        "render_cpu_ms": [round(t, 1) for t in cpu],
    }


def _poll(found, timeout: float = 30) -> None:
    deadline = time.perf_counter() + timeout
    while not found():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the published text did not appear within {timeout:.0f} s")
        time.sleep(0.0005)


def _spread(samples: list[float]) -> dict:
    return {
        "median": round(statistics.median(samples), 1),
        "min": round(min(samples), 1),
        "max": round(max(samples), 1),
        "samples": [round(s, 1) for s in samples],
    }


STEPS = {"seed": step_seed, "publish": step_publish, "render": step_render}


def run_step(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("--incidents", type=int, default=0)
    parser.add_argument("--nginx-url", default="")
    args = parser.parse_args(argv)
    _setup()
    print(json.dumps(STEPS[args.step](args)))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--step"]:
        sys.exit(run_step(sys.argv[2:]))
    sys.exit(main(sys.argv[1:]))
