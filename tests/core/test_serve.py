"""`make run` starts the web server and the worker with one command; Ctrl-C stops both."""

import os
import signal
import subprocess
import sys

import pytest

from tests.servers import (
    children_of,
    clearline_env,
    free_port,
    get,
    is_alive,
    run_cli,
    wait_for_port,
)


@pytest.mark.slow
def test_it_runs_web_and_worker_with_one_command_and_stops_both_on_ctrl_c(tmp_path, smtp):
    env = clearline_env(tmp_path, EMAIL_HOST=smtp.host, EMAIL_PORT=str(smtp.port))
    run_cli("demo", env=env)  # its active incident has an overdue promise for the worker
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("w") as output:
        serve = subprocess.Popen(
            [sys.executable, "-m", "clearline", "serve", "--with-worker", "--workers", "1"]
            + ["--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    family: set[int] = set()
    try:
        wait_for_port(port, serve, log.read_text, timeout=120)
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
        children = children_of(serve.pid)
        assert sorted("granian" in line for line in children.values()) == [False, True]
        assert any("clearline worker" in line for line in children.values())
        family |= {*children, *(pid for child in children for pid in children_of(child))}

        [reminder] = smtp.wait_for(1, timeout=120)
        assert reminder["Subject"] == "Update overdue: Bank transfer payments not marked as paid"

        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=90) == 0, log.read_text()
        assert not any(is_alive(pid) for pid in family)
    finally:
        for pid in [serve.pid, *family]:
            if is_alive(pid):
                os.kill(pid, signal.SIGKILL)
