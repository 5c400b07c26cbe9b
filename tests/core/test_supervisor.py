"""`clearline serve --with-worker` (what `make run` starts) survives its own processes dying.

An operator's laptop or a small install runs the web server and the worker under one command:
the worker killed (out of memory, kill -9) or granian giving up after a crash loop of its web
workers must not take the status page down, and only Ctrl-C stops the lot.
"""

import os
import signal
import sys
import time
import urllib.error
import urllib.request

import pytest

from bench import servers
from tests.servers import Readers, children_of, clearline_env, is_alive, run_cli
from tests.smtp import SmtpServer

pytestmark = pytest.mark.slow  # see README, Testing: pytest -m "not slow"


def child_running(supervisor: int, command: str) -> int | None:
    return next((pid for pid, line in children_of(supervisor).items() if command in line), None)


def wait_until(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, message
        time.sleep(0.05)
    return value


@pytest.fixture
def running(tmp_path):
    """`clearline serve --with-worker` on a free port, on its own SQLite database and mailbox."""
    with SmtpServer() as smtp:
        env = clearline_env(
            tmp_path,
            EMAIL_HOST=smtp.host,
            EMAIL_PORT=str(smtp.port),
            CLEARLINE_PROMISE_CHECK_SECONDS="1",
        )
        port = servers.free_port()
        argv = [sys.executable, "-m", "clearline", "serve", "--with-worker"]
        argv += ["--bind", f"127.0.0.1:{port}"]
        log = tmp_path / "serve.log"
        with log.open("w") as output:
            server = servers.Server("clearline serve", argv, port, env=env, stdout=output)
            with server:
                yield server, smtp, env, log


def test_the_status_page_keeps_answering_while_the_worker_is_killed(running):
    server, smtp, env, log = running
    supervisor = server.process.pid
    worker = wait_until(lambda: child_running(supervisor, "clearline worker"), 30, "no worker")
    readers = Readers(server.url)
    readers.start()
    time.sleep(0.5)

    os.kill(worker, signal.SIGKILL)
    wait_until(
        lambda: child_running(supervisor, "clearline worker") not in {None, worker},
        10,
        "no new worker within 10 s of the old one being killed",
    )
    time.sleep(1)
    answers = readers.stop()

    assert len(answers) > 20
    assert {answer for _, _, answer in answers} == {200}
    assert "the worker stopped (killed by SIGKILL); starting it again" in log.read_text()
    # The new worker does the work: the demo's overdue promise, its overdue action item and
    # its open key-account follow-up get their reminders.
    run_cli("demo", env=env)
    reminders = smtp.wait_for(3, timeout=30)
    assert sorted(reminder["Subject"] for reminder in reminders) == [
        "Action item overdue: Write the runbook for draining a backlog in the outgoing mail queue",
        "Follow-up overdue: Oakfield Dental",
        "Update overdue: Bank transfer payments not marked as paid",
    ]


def test_the_status_page_comes_back_from_a_crash_loop_of_web_workers(running):
    server, _, _, log = running
    supervisor = server.process.pid
    readers = Readers(server.url)
    readers.start()
    time.sleep(0.5)

    # Every web worker dies again as soon as granian replaces it, until granian gives up.
    first = wait_until(lambda: child_running(supervisor, "granian"), 10, "no granian")
    deadline = time.monotonic() + 30
    while child_running(supervisor, "granian") == first:
        assert time.monotonic() < deadline, "granian never gave up on its crashing workers"
        for pid in children_of(first):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
    restarted = time.monotonic()
    # granian opens its port in its web workers once they are ready: while the new one starts,
    # connections are refused. On a busy two-core machine that takes several seconds.
    back = wait_until(
        lambda: next((t for t, _, a in readers.answers if t > restarted and a == 200), None),
        20,
        "the status page did not answer again within 20 s of granian starting again",
    )
    time.sleep(1)
    answers = readers.stop()

    assert server.process.poll() is None, "the supervisor is still running"
    # Connections may find no process to answer them for a moment; never a wrong answer, and
    # once back, every answer is the page.
    assert {a for _, _, a in answers if not isinstance(a, str)} == {200}
    assert {a for t, _, a in answers if t >= back} == {200}
    assert "Worker crash loop detected" in log.read_text()
    assert "the web server stopped (exit 1); starting it again" in log.read_text()


def test_only_ctrl_c_stops_both(running):
    server, _, _, log = running
    supervisor = server.process.pid
    granian = wait_until(lambda: child_running(supervisor, "granian"), 10, "no granian")
    orphans = children_of(granian)
    # The web server itself is killed (the kernel's out-of-memory killer picks the biggest):
    # it is started again, and its orphaned web workers do not keep the port from it.
    os.kill(granian, signal.SIGKILL)
    wait_until(
        lambda: child_running(supervisor, "granian") not in {None, granian}, 10, "not restarted"
    )
    new_granian = child_running(supervisor, "granian")
    wait_until(lambda: servers_answer(server.url), 15, "the new web server does not answer")
    worker = child_running(supervisor, "clearline worker")
    everything = {new_granian, worker, *children_of(new_granian)}

    os.kill(supervisor, signal.SIGINT)

    assert server.process.wait(timeout=60) == 0
    assert not [pid for pid in everything | set(orphans) if is_alive(pid)]
    assert "the web server stopped (killed by SIGKILL); starting it again" in log.read_text()


def servers_answer(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False
