"""An operator starts clearline with `clearline serve` and customers can read the status page."""

import os
import sys
import time
import urllib.request

import pytest

from bench import servers

pytestmark = pytest.mark.slow  # see README, Testing: pytest -m "not slow"


@pytest.fixture
def serve(tmp_path):
    """Run `clearline serve` on a free port with its own SQLite database; return its output."""
    output = tmp_path / "serve.log"
    env = {
        **os.environ,
        "CLEARLINE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'clearline.sqlite3'}",
        "CLEARLINE_SNAPSHOT_DIR": str(tmp_path / "snapshot"),
    }

    def start(*options: str) -> tuple[str, str]:
        port = servers.free_port()
        argv = [sys.executable, "-m", "clearline", "serve", "--bind", f"127.0.0.1:{port}", *options]
        with output.open("w") as log:
            server = servers.Server("clearline serve", argv, port, env=env, stdout=log)
            with server:
                for _ in range(3):
                    with urllib.request.urlopen(server.url + "/", timeout=10) as response:
                        body = response.read().decode()
                if "--access-log" in options:
                    # The log is written by the server's worker a moment after each answer.
                    deadline = time.monotonic() + 10
                    while output.read_text().count(" HTTP/1.1") < 3 and time.monotonic() < deadline:
                        time.sleep(0.05)
        return body, output.read_text()

    return start


def test_it_serves_the_status_page_and_keeps_its_log_quiet(serve):
    page, log = serve()

    assert "All Systems Operational" in page
    assert "GET / " not in log


def test_it_logs_every_request_when_asked(serve):
    _, log = serve("--access-log")

    assert log.count('"GET / HTTP/1.1" 200') >= 3
