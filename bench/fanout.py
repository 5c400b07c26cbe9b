"""Publish → every subscriber told: 10,000 email and 1,000 webhook subscribers, one update.

One run (`python bench/fanout.py`, part of `make bench`) measures each configuration on a fresh
database of its own, with real processes everywhere:

- an SMTP sink (aiosmtpd) and an HTTP receiver, each a process of its own (bench/sinks.py),
  counting what arrives per recipient and per webhook path;
- 10,000 confirmed email subscribers and 1,000 confirmed webhook subscribers, each webhook at
  its own path on the receiver (CLEARLINE_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8), written with
  bulk_create;
- `clearline worker` processes, then one update published through
  `updates.services.publish_new_update(..., by=SYSTEM, notify=True)`.

Per run: publish → last delivery (the latest Delivery.delivered_at, and the last arrival at each
sink), duplicates and losses (the sinks' counts against the subscribers), and publish → the new
text in the snapshot's index.html while the fan-out runs. Configurations: SQLite with one
worker (its single-writer limit), PostgreSQL with one and with two workers, and the RQ backend
on Redis (with PostgreSQL) with two workers. The reference, in the same run: a plain `smtplib`
loop sending the same 10,000 messages over one connection to a fresh sink.

Each configuration runs `--repeat` times (rounds interleaved); medians go to
bench/results/fanout.json and are printed. Each run is a child process of this script (the
database and backend are settings, fixed per process): `--one CONFIG_JSON` runs one.
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: the repository root makes `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import ROOT, free_port  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "fanout.json"
EMAILS, WEBHOOKS = 10_000, 1_000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
POSTGRES_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clearline_bench_fanout"
)
CONFIGS = {
    "sqlite_1_worker": {"database": "sqlite", "backend": "database", "workers": 1},
    "postgresql_1_worker": {"database": "postgresql", "backend": "database", "workers": 1},
    "postgresql_2_workers": {"database": "postgresql", "backend": "database", "workers": 2},
    "rq_postgresql_2_workers": {"database": "postgresql", "backend": "rq", "workers": 2},
}
TARGETS = {
    "all delivered within (s)": ("publish_to_last_delivery_s", "≤", 30.0),
    "email throughput, clearline / raw smtplib loop": ("email_throughput_vs_raw", "≥", 0.8),
    "duplicates": ("duplicates", "≤", 0),
    "losses": ("losses", "≤", 0),
    "publish → snapshot during the fan-out (s)": ("publish_to_snapshot_s", "<", 1.0),
}
NO_DELIVERIES = "no deliveries created — is the fan-out consumer installed?"
FROM = "status@bench.example"


# --- the parent: databases, rounds, medians -------------------------------------------------


def child_env(var_dir: Path, database_url: str, backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARLINE_")}
    env.update(
        {
            "CLEARLINE_VAR_DIR": str(var_dir),
            "CLEARLINE_SNAPSHOT_DIR": str(var_dir / "snapshot"),
            "DATABASE_URL": database_url,
            "CLEARLINE_TASK_BACKEND": backend,
            "CLEARLINE_REDIS_URL": REDIS_URL,
            "CLEARLINE_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
            "DJANGO_SETTINGS_MODULE": "clearline.settings",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def postgres_admin(url: str):
    """A connection to the server's maintenance database, and the bench database's name."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    connection = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )
    return connection, config["NAME"]


def redis_answers() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        return True
    except redis.RedisError:
        return False


class Databases:
    """Migrated templates, and a fresh copy of one for each run."""

    def __init__(self, tmp: Path, postgres_url: str) -> None:
        self.tmp, self.postgres_url = tmp, postgres_url
        self.sqlite_template = tmp / "template.sqlite3"
        self.postgres = None

    def migrate(self, url: str) -> None:
        env = child_env(self.tmp / "migrate", url, "database")
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True, timeout=600
        )

    def prepare(self, wanted: set[str]) -> list[str]:
        """Migrate a template of each database wanted; the names of those not reachable."""
        missing = []
        if "sqlite" in wanted:
            self.migrate(f"sqlite:///{self.sqlite_template}")
        if "postgresql" in wanted:
            try:
                self.postgres = postgres_admin(self.postgres_url)
            except Exception as error:  # noqa: BLE001 - reported, the other runs go on
                print(f"PostgreSQL not reachable ({error}): its configurations are left out")
                missing.append("postgresql")
            else:
                connection, name = self.postgres
                connection.execute(f'DROP DATABASE IF EXISTS "{name}_template" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{name}_template"')
                self.migrate(self.postgres_url.rsplit("/", 1)[0] + f"/{name}_template")
        return missing

    def fresh(self, kind: str, run_dir: Path) -> str:
        """The URL of a new database holding only the migrated schema."""
        if kind == "sqlite":
            path = run_dir / "db.sqlite3"
            shutil.copy(self.sqlite_template, path)
            return f"sqlite:///{path}"
        connection, name = self.postgres
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_template"')
        return self.postgres_url

    def close(self) -> None:
        if self.postgres:
            connection, name = self.postgres
            for db in (name, f"{name}_template"):
                connection.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            connection.close()


def run_child(config: dict, env: dict[str, str], log: Path) -> dict:
    with log.open("w") as stderr:
        done = subprocess.run(
            [sys.executable, __file__, "--one", json.dumps(config)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            timeout=config["timeout"] + 240,
        )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = "\n".join(log.read_text().splitlines()[-30:])
        raise RuntimeError(f"{config['name']} failed ({done.returncode}):\n{tail}")
    return json.loads(lines[-1])


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(runs: dict[str, list[dict]], raw: list[dict]) -> dict:
    summary = {}
    raw_rate = median([r["messages_per_second"] for r in raw])
    for name, results in runs.items():
        if not results:
            continue
        rate = median([r["email_per_second"] for r in results])
        timings = (
            "publish_to_first_email_s",
            "publish_to_last_delivery_s",
            "publish_to_last_email_s",
            "publish_to_last_webhook_s",
            "publish_to_snapshot_s",
        )
        summary[name] = {
            "runs": len(results),
            **{key: median([r[key] for r in results]) for key in timings},
            "email_per_second": rate,
            "email_throughput_vs_raw": round(rate / raw_rate, 3) if rate and raw_rate else None,
            "duplicates": max(r["duplicates"] for r in results),
            "losses": max(r["losses"] for r in results),
            "timed_out_runs": sum(r["timed_out"] for r in results),
        }
    return {"raw_smtplib_messages_per_second": raw_rate, "configurations": summary}


def targets_met(summary: dict) -> dict:
    """Per configuration, each target and whether its median met it (no figure: not met)."""
    compare = {"≤": float.__le__, "≥": float.__ge__, "<": float.__lt__}
    return {
        name: {
            target: figures[key] is not None and compare[op](float(figures[key]), float(limit))
            for target, (key, op, limit) in TARGETS.items()
        }
        for name, figures in summary["configurations"].items()
    }


def show(summary: dict) -> None:
    print(f"raw smtplib loop: {summary['raw_smtplib_messages_per_second']} messages/s")
    head = ("configuration", "last delivery s", "email/s", "vs raw", "snapshot s", "dup", "lost")
    print("{:<26}{:>16}{:>10}{:>8}{:>12}{:>6}{:>6}".format(*head))
    for name, f in summary["configurations"].items():
        print(
            f"{name:<26}{f['publish_to_last_delivery_s']!s:>16}{f['email_per_second']!s:>10}"
            f"{f['email_throughput_vs_raw']!s:>8}{f['publish_to_snapshot_s']!s:>12}"
            f"{f['duplicates']:>6}{f['losses']:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    # One round takes about four minutes here; medians of more come from --repeat.
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    parser.add_argument("--only", action="append", choices=sorted(CONFIGS), help="(repeatable)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for all")
    parser.add_argument("--emails", type=int, default=EMAILS)
    parser.add_argument("--webhooks", type=int, default=WEBHOOKS)
    parser.add_argument("--postgres", default=POSTGRES_URL, help="the bench database's URL")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(json.loads(args.one))))
        return

    names = args.only or list(CONFIGS)
    started = time.time()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="clearline-fanout-") as tmp_name:
        tmp = Path(tmp_name)
        databases = Databases(tmp, args.postgres)
        try:
            missing = databases.prepare({CONFIGS[n]["database"] for n in names})
            if any(CONFIGS[n]["backend"] == "rq" for n in names) and not redis_answers():
                print(f"Redis does not answer at {REDIS_URL}: the RQ configuration is left out")
                missing.append("rq")
            names = [
                n
                for n in names
                if CONFIGS[n]["database"] not in missing and CONFIGS[n]["backend"] not in missing
            ]
            runs: dict[str, list[dict]] = {n: [] for n in names}
            raw: list[dict] = []
            for round_number in range(args.repeat):
                for index, name in enumerate(names):
                    run_dir = tmp / f"{name}-{round_number}"
                    run_dir.mkdir()
                    kind = CONFIGS[name]
                    url = databases.fresh(kind["database"], run_dir)
                    config = {
                        **kind,
                        "name": name,
                        "emails": args.emails,
                        "webhooks": args.webhooks,
                        "timeout": args.timeout,
                        "raw": index == 0,  # the reference once a round
                    }
                    env = child_env(run_dir, url, kind["backend"])
                    print(f"round {round_number + 1}: {name} ...", flush=True)
                    try:
                        result = run_child(config, env, run_dir / "run.log")
                    except RuntimeError as error:
                        sys.exit(str(error))
                    if "raw_loop" in result:
                        raw.append(result.pop("raw_loop"))
                    runs[name].append(result)
                    print(f"  {json.dumps(brief(result))}", flush=True)
        finally:
            databases.close()

    summary = summarise(runs, raw)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "took_s": round(time.time() - started),
        "subscribers": {"email": args.emails, "webhook": args.webhooks},
        "repeat": args.repeat,
        "left_out": sorted(set(CONFIGS) - set(names)),
        "machine": {
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": os.getloadavg(),
            "python": platform.python_version(),
        },
        "targets": TARGETS,
        "summary": summary,
        "targets_met": targets_met(summary),
        "runs": runs,
        "raw_smtplib_runs": raw,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    show(summary)
    print(f"wrote {args.output}")


def brief(result: dict) -> dict:
    keys = ("publish_to_last_delivery_s", "email_per_second", "publish_to_snapshot_s")
    return {k: result[k] for k in (*keys, "duplicates", "losses")}


# --- the child: one configuration, one run --------------------------------------------------


class Process:
    """A child process in its own group, stopped with SIGTERM (then SIGKILL) on exit."""

    def __init__(self, argv: list[str], *, env=None, log: Path | None = None) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Process":
        out = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT if self.log else subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def __exit__(self, *exc) -> None:
        for sig, timeout in ((signal.SIGTERM, 30), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
                return


def read_json(url: str, *, timeout: float = 10) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def wait_answering(url: str, process: Process, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            read_json(url, timeout=2)
            return
        except OSError:
            if process.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(process.argv)} does not answer at {url}") from None
            time.sleep(0.05)


@contextlib.contextmanager
def smtp_sink(log: Path):
    """A fresh SMTP sink process; yields (port, stats URL)."""
    port, stats_port = free_port(), free_port()
    argv = [sys.executable, "-m", "bench.sinks", "smtp", str(port), str(stats_port)]
    with Process(argv, log=log) as sink:
        stats = f"http://127.0.0.1:{stats_port}/"
        wait_answering(stats, sink)
        yield port, stats


@contextlib.contextmanager
def http_sink(log: Path):
    """A fresh HTTP receiver process; yields (base URL, stats URL)."""
    port = free_port()
    with Process([sys.executable, "-m", "bench.sinks", "http", str(port)], log=log) as sink:
        base = f"http://127.0.0.1:{port}"
        wait_answering(base + "/_stats", sink)
        yield base, base + "/_stats"


def email_address(n: int) -> str:
    return f"reader{n:05d}@bench.example"


def seed(*, emails: int, webhooks: int, hook_base: str):
    """An open public incident and the confirmed subscribers; returns the incident."""
    from django.utils import timezone

    from clearline.channels.webhook import new_signing_secret
    from clearline.core.permissions import SYSTEM
    from clearline.incidents import services as incidents
    from clearline.notify.models import Channel, Subscriber

    now = timezone.now()
    incident = incidents.open_incident(
        by=SYSTEM, title="Card payments are declined", started_at=now, components={}
    )
    people = [
        Subscriber(channel=Channel.EMAIL, email=email_address(n), confirmed_at=now)
        for n in range(emails)
    ]
    hooks = [
        Subscriber(
            channel=Channel.WEBHOOK,
            url=f"{hook_base}/hook/{n}",
            secret=new_signing_secret(),
            confirmed_at=now,
        )
        for n in range(webhooks)
    ]
    Subscriber.objects.bulk_create(people + hooks, batch_size=1000)
    return incident


def publish(incident, text: str, *, notify: bool):
    """Write and publish `text` as clearline itself, in one transaction, as the desk does."""
    from django.db import transaction

    from clearline.core.permissions import SYSTEM
    from clearline.updates.services import draft_update, publish_update

    with transaction.atomic():
        update = draft_update(incident=incident, by=SYSTEM, body=text, status="identified")
        return publish_update(update=update, by=SYSTEM, notify=notify)


class SnapshotWatch(threading.Thread):
    """Notes when `text` first appears in the snapshot's index.html."""

    def __init__(self, path: Path, text: str, started: float) -> None:
        super().__init__(daemon=True)
        self.path, self.text, self.started = path, text, started
        self.seconds: float | None = None
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            with contextlib.suppress(OSError):
                if self.text in self.path.read_text():
                    self.seconds = time.time() - self.started
                    return
            time.sleep(0.005)


def delivered_counts() -> tuple[int, int, float | None]:
    """(rows, delivered rows, latest delivered_at as a timestamp)."""
    from django.db.models import Count, Max, Q

    from clearline.notify.models import Delivery

    figures = Delivery.objects.aggregate(
        rows=Count("id"), done=Count("id", filter=Q(state="delivered")), last=Max("delivered_at")
    )
    last = figures["last"].timestamp() if figures["last"] else None
    return figures["rows"], figures["done"], last


def wait_for_workers(config: dict, processes: list[Process], timeout: float = 60) -> None:
    """Until every worker is up: registered with Redis on RQ, and has run the periodic check."""
    from clearline.promises import tasks as promise_tasks

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dead = [p for p in processes if p.process.poll() is not None]
        if dead:
            raise RuntimeError(f"a worker exited with {dead[0].process.returncode}")
        if config["backend"] == "rq":
            import django_rq
            from rq import Worker

            if len(Worker.all(connection=django_rq.get_connection("default"))) >= len(processes):
                return
        else:
            from django_tasks_db.models import DBTaskResult

            ran = DBTaskResult.objects.filter(
                task_path=promise_tasks.check_promises.module_path, status="SUCCESSFUL"
            )
            if ran.exists():
                time.sleep(2.0)  # the first worker is up; give the others their start-up
                return
        time.sleep(0.1)
    raise RuntimeError("the workers did not start within a minute")


def raw_loop(update, *, emails: int, log: Path) -> dict:
    """The same messages through smtplib over one connection, to a fresh sink: each subscriber's
    own copy, built by Django as its SMTP backend would send it, before the clock starts, so
    only the sending is timed."""
    from clearline.channels.source import approved_update
    from clearline.notify.emails import EventMail
    from clearline.notify.models import Subscriber

    mail = EventMail.render(approved_update(update))
    readers = Subscriber.objects.filter(channel="email").order_by("id")[:emails]
    messages = [
        (reader.email, mail.for_subscriber(reader).message().as_bytes(linesep="\r\n"))
        for reader in readers
    ]
    with smtp_sink(log) as (port, stats):
        started = time.time()
        with smtplib.SMTP("127.0.0.1", port) as client:
            for to, message in messages:
                client.sendmail(FROM, [to], message)
        took = time.time() - started
        figures = read_json(stats)
    return {
        "messages": emails,
        "received": figures["total"],
        "seconds": round(took, 3),
        "messages_per_second": round(emails / took, 1),
        "message_bytes": len(messages[0][1]),
    }


def sink_losses(counts: dict[str, int], expected: list[str]) -> tuple[int, int]:
    """(duplicates, losses) of one sink against the keys it should have seen once each."""
    duplicates = sum(c - 1 for c in counts.values() if c > 1)
    losses = sum(1 for key in expected if not counts.get(key))
    return duplicates, losses


def run_one(config: dict) -> dict:
    """Seed, start the sinks and workers, publish, and measure until all arrived."""
    var_dir = Path(os.environ["CLEARLINE_VAR_DIR"])
    emails, webhooks = config["emails"], config["webhooks"]
    with smtp_sink(var_dir / "smtp.log") as (smtp_port, smtp_stats):
        with http_sink(var_dir / "http.log") as (hook_base, hook_stats):
            os.environ.update(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(smtp_port),
                EMAIL_HOST_USER="",
                EMAIL_HOST_PASSWORD="",
                EMAIL_USE_TLS="false",
            )
            import django

            django.setup()
            if config["backend"] == "rq":
                import django_rq

                django_rq.get_connection("default").flushdb()
            incident = seed(emails=emails, webhooks=webhooks, hook_base=hook_base)
            publish(incident, "We are looking into declined card payments.", notify=False)
            worker_env = {**os.environ}
            command = [sys.executable, "-m", "clearline", "worker"]
            workers = [
                Process(command, env=worker_env, log=var_dir / f"worker{n}.log")
                for n in range(config["workers"])
            ]
            with contextlib.ExitStack() as stack:
                for process in workers:
                    stack.enter_context(process)
                wait_for_workers(config, workers)
                result = measure(config, smtp_stats, hook_stats, hook_base, incident)
            if config["raw"]:
                update = incident.updates.order_by("-published_at").first()
                result["raw_loop"] = raw_loop(update, emails=emails, log=var_dir / "raw.log")
    return result


def measure(config, smtp_stats, hook_stats, hook_base, incident) -> dict:
    emails, webhooks = config["emails"], config["webhooks"]
    expected = emails + webhooks
    text = "Card payments are accepted again; we are watching the error rate."
    snapshot = Path(os.environ["CLEARLINE_SNAPSHOT_DIR"]) / "index.html"

    started = time.time()
    watch = SnapshotWatch(snapshot, text, started)
    watch.start()
    publish(incident, text, notify=True)
    committed = time.time() - started

    deadline = started + config["timeout"]
    rows = done = 0
    while time.time() < deadline:
        rows, done, _ = delivered_counts()
        if done >= expected:
            break
        if rows == 0 and time.time() - started > min(20.0, config["timeout"]):
            raise SystemExit(NO_DELIVERIES)
        time.sleep(0.2)
    time.sleep(1.0)  # a duplicate still on its way gets a moment to arrive and be counted
    watch.stopped.set()
    rows, done, last = delivered_counts()
    if rows == 0:
        raise SystemExit(NO_DELIVERIES)

    mail, hooks = read_json(smtp_stats), read_json(hook_stats)
    mail_dup, mail_lost = sink_losses(mail["counts"], [email_address(n) for n in range(emails)])
    hook_dup, hook_lost = sink_losses(hooks["counts"], [f"/hook/{n}" for n in range(webhooks)])
    last_email = mail["last"] - started if mail["last"] else None

    def seconds(value):
        return round(value, 3) if value is not None else None

    return {
        "configuration": config["name"],
        "publish_commit_s": seconds(committed),
        "delivery_rows": rows,
        "delivered": done,
        "expected": expected,
        # Not all delivered within --timeout: "losses" then also counts those still on their way.
        "timed_out": done < expected,
        # The last subscriber told: the later of the database's record and the last arrival.
        "publish_to_last_delivery_s": (
            seconds(max(t for t in (last, mail["last"], hooks["last"]) if t) - started)
            if done >= expected
            else None
        ),
        "publish_to_latest_delivered_at_s": seconds(last - started if last else None),
        "publish_to_first_email_s": seconds(mail["first"] - started if mail["first"] else None),
        "publish_to_last_email_s": seconds(last_email),
        "publish_to_last_webhook_s": seconds(hooks["last"] - started if hooks["last"] else None),
        "emails_received": mail["total"],
        "webhooks_received": hooks["total"],
        "email_per_second": round(mail["total"] / last_email, 1) if last_email else None,
        "duplicates": mail_dup + hook_dup,
        "losses": mail_lost + hook_lost,
        "publish_to_snapshot_s": seconds(watch.seconds),
    }


if __name__ == "__main__":
    main()
