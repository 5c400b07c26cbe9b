"""Real servers on loopback ports for the benchmark and the deployment tests: nginx and clearline.

nginx runs with deploy/nginx.conf itself, only its folder and addresses swapped for this run's.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
INSTALL_HINT = "apt-get install nginx-light wrk"

# The documented values in deploy/nginx.conf (whole, uncommented lines) and what replaces them.
_DEPLOY_LINES = {
    "listen": r"^(\s*)listen 80;$",
    "upstream": r"^(\s*)server 127\.0\.0\.1:8000;$",
    "root": r"^(\s*)root /srv/clearline/snapshot;$",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deploy_server_block(*, snapshot_dir: Path, upstream: str, port: int) -> str:
    """deploy/nginx.conf with this run's snapshot folder, app address and port."""
    text = DEPLOY_CONF.read_text()
    values = {
        "listen": f"listen 127.0.0.1:{port};",
        "upstream": f"server {upstream};",
        "root": f"root {snapshot_dir};",
    }
    for name, pattern in _DEPLOY_LINES.items():
        text, count = re.subn(pattern, rf"\g<1>{values[name]}", text, flags=re.MULTILINE)
        if count != 1:
            raise RuntimeError(f"deploy/nginx.conf: expected one {name} line like {pattern!r}")
    return text


def static_server_block(*, root: Path, port: int) -> str:
    """The baseline: plain static files with the same headers, no routing and no fallback."""
    return f"""
server {{
    listen 127.0.0.1:{port};
    root {root};
    types {{ text/html html; application/json json; }}
    charset utf-8;
    etag on;
    add_header Cache-Control "public, max-age=10, stale-while-revalidate=60, stale-if-error=86400";
    add_header X-Content-Type-Options nosniff;
}}
"""


def _main_config(prefix: Path, server_block: str, workers: str) -> str:
    # Started as root, nginx would hand its workers to "nobody", who cannot read a private
    # temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes {workers};
daemon off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
{temp}
{server_block}
}}
"""


class Server:
    """A server process on a loopback port; stopped on exit from the `with` block."""

    def __init__(self, name: str, argv: list[str], port: int, *, env=None, stdout=None):
        self.name, self.argv, self.port, self.env, self.stdout = name, argv, port, env, stdout
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.stdout,
            stderr=subprocess.STDOUT if self.stdout else None,
            start_new_session=True,  # its own process group: stopping it stops its workers too
        )
        self._wait_until_answering()
        return self

    def __exit__(self, *exc) -> None:
        if self.process is None:
            return
        for sig, timeout in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)  # the group: no worker outlives its server
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                continue

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server and its worker processes."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            pid, ppid = int(stat.parent.name), int(fields[1])
            if self.process.pid in {pid, ppid}:
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def _wait_until_answering(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers; what it answers is for the caller to judge
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer on {self.url} within {timeout:.0f} s")


def nginx(name: str, prefix: Path, server_block: str, port: int, *, workers="auto") -> Server:
    """nginx with its own pid file, logs and temp folders under `prefix`; checked before start."""
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(_main_config(prefix, server_block, workers))
    argv = [NGINX, "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf)]
    check = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx rejected the {name} configuration:\n{check.stderr}")
    return Server(name, argv, port)


def start_worker(env: dict[str, str] | None = None) -> subprocess.Popen:
    """`clearline worker` in a process group of its own: stop it with os.killpg(pid, SIGTERM)."""
    return subprocess.Popen(
        [sys.executable, "-m", "clearline", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
