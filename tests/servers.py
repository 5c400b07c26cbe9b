"""Run clearline as real processes for tests that need a server: the CLI and its web server."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clearline_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARLINE_")}
    env.update(
        {
            "CLEARLINE_VAR_DIR": str(var_dir),
            "DATABASE_URL": "",
            "CLEARLINE_SNAPSHOT_DIR": str(var_dir / "snapshot"),
            "DJANGO_SETTINGS_MODULE": "clearline.settings",
        }
    )
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "clearline", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"clearline {' '.join(args)} failed:\n{result.stderr}")
    return result


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_port(port: int, process: subprocess.Popen, output, *, timeout: float) -> None:
    """Wait until `process` listens on `port`; if it dies or is too slow, fail with `output()`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(output()) from None
            time.sleep(0.1)


@contextlib.contextmanager
def web_server(env: dict[str, str]):
    """Serve clearline.wsgi as `clearline serve` does, on a free port; yields the base URL."""
    from clearline.cli import build_parser, web_argv

    port = free_port()
    args = build_parser().parse_args(["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"])
    process = subprocess.Popen(
        web_argv(args),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: stopping it stops its workers too
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, process, lambda: process.stderr.read().decode(), timeout=30)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            # Longer than the server gives its workers to finish (`--workers-kill-timeout`, 10 s):
            # on a busy machine a worker may use all of it.
            process.wait(timeout=25)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def children_of(pid: int) -> dict[int, str]:
    """Process id → command line of every live child of `pid`."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(stat.parent.name)] = cmdline.replace(b"\0", b" ").decode()
    return found


def is_alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Readers(threading.Thread):
    """A customer reading the public page and summary.json without pause; every answer is kept.

    An answer is the HTTP status, or the name of the error when there was none (refused, reset).
    """

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.answers, self.stopped = base, [], threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            for path in ("/", "/api/v2/summary.json"):
                try:
                    with urllib.request.urlopen(self.base + path, timeout=10) as response:
                        answer = response.status
                except urllib.error.HTTPError as error:
                    answer = error.code
                except OSError as error:
                    answer = type(error).__name__  # no answer at all: refused or reset
                self.answers.append((time.monotonic(), path, answer))
            time.sleep(0.02)

    def stop(self) -> list:
        self.stopped.set()
        self.join(timeout=15)
        return self.answers


def postgres_admin(settings_dict: dict) -> dict:
    """Connection arguments for the PostgreSQL server the tests run on, as its maintenance
    database: for tests that create and drop a database of their own."""
    return dict(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=int(settings_dict["PORT"] or 5432),
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
