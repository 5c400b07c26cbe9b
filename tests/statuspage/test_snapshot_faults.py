"""The snapshot under faults, with real processes: a full or read-only folder, a publish whose
process dies at its commit. Publishing still works, the page keeps answering, and the files
catch up once they can."""

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from bench.servers import start_worker
from tests.servers import clearline_env, get, postgres_admin, run_cli, web_server

pytestmark = pytest.mark.slow  # see README, Testing: pytest -m "not slow"

INCIDENT = "Bank transfer payments not marked as paid"


@contextlib.contextmanager
def own_database(tmp_path: Path, **extra: str):
    """clearline's settings for a database of its own, on the engine this run tests."""
    if connection.vendor == "sqlite":
        yield clearline_env(tmp_path, **extra)
        return
    import psycopg

    admin = postgres_admin(connection.settings_dict)
    host, port = admin["host"], admin["port"]
    name = f"clearline_faults_{secrets.token_hex(4)}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgres://{admin['user']}@{host}:{port}/{name}"
        yield clearline_env(tmp_path, DATABASE_URL=url, **extra)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def in_clearline(env: dict[str, str], code: str) -> object:
    """Run Python against the server's own database; `code` sets `result`, returned as JSON."""
    program = f"import django, json\ndjango.setup()\n{code}\nprint(json.dumps(result))"
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def api_token(env: dict[str, str], username: str) -> str:
    return in_clearline(
        env,
        "from django.contrib.auth import get_user_model\n"
        "from clearline.accounts.services import issue_token\n"
        "from clearline.core.permissions import SYSTEM\n"
        f"user = get_user_model().objects.get(username={username!r})\n"
        "result = issue_token(user=user, name='fault test', by=SYSTEM)[1]",
    )


def active_incident(env: dict[str, str]) -> str:
    return in_clearline(
        env,
        "from clearline.incidents.models import Incident\n"
        f"result = Incident.objects.get(title={INCIDENT!r}).public_id",
    )


def write_failure(env: dict[str, str]) -> str | None:
    return in_clearline(
        env,
        "from clearline.statuspage.snapshot_state import write_failure\n"
        "failure = write_failure()\n"
        "result = failure.failure if failure else None",
    )


def call(base: str, method: str, path: str, token: str, body: dict | None = None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body or {}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def publish_over_http(base: str, writer: str, token: str, incident: str, text: str) -> int:
    """A responder drafts (`writer`'s token); the approver (`token`) approves and publishes, through
    the API; the publish's status."""
    status, draft = call(base, "POST", f"/api/incidents/{incident}/updates", writer, {"body": text})
    assert status == 201, draft
    status, approved = call(
        base,
        "POST",
        f"/api/updates/{draft['id']}/approve",
        token,
        {"content_hash": draft["content_hash"], "override_reason": "Checked by hand."},
    )
    assert status == 200, approved
    status, _ = call(base, "POST", f"/api/updates/{draft['id']}/publish", token)
    return status


def desk_as_admin(base: str, var_dir: Path) -> str:
    """The desk's front page, signed in as the demo admin through the login form."""
    password = (var_dir / "demo-logins").read_text().strip()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = opener.open(f"{base}/login/", timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "username": "admin", "password": password}
    ).encode()
    opener.open(urllib.request.Request(f"{base}/login/", data=data), timeout=30).read()
    return opener.open(f"{base}/desk/", timeout=30).read().decode()


def mount_small_folder(folder: Path, size: str = "4m") -> None:
    """A size-limited folder of its own (tmpfs): filling it is a full disk, remounting it
    read-only is a read-only one; root's permissions do not get past either."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        # Under CI this skip is a failure (tests/conftest.py).
        pytest.skip(f"cannot mount a small folder here (run as root): {done.stderr.strip()}")


def fill_up(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 4096)
    return filler


def assert_page_shows(base: str, text: str, incident: str) -> None:
    status, body = get(f"{base}/")
    assert status == 200 and text in body.decode()
    status, body = get(f"{base}/api/v2/summary.json")
    assert status == 200
    [shown] = [i for i in json.loads(body)["incidents"] if i["name"] == INCIDENT]
    assert shown["incident_updates"][0]["body"] == text
    status, body = get(f"{base}/incidents/{incident}")
    assert status == 200 and text in body.decode()


def wait_until(check, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.2)


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_publishing_works_and_the_page_answers_while_the_snapshot_folder_cannot_be_written(
    tmp_path, fault
):
    snapshot_dir = tmp_path / "snapshot"
    mount_small_folder(snapshot_dir)
    worker = None
    try:
        with own_database(tmp_path, CLEARLINE_SNAPSHOT_CHECK_SECONDS="1") as env:
            run_cli("demo", env=env)
            run_cli("snapshot", env=env)
            token, incident = api_token(env, "dana"), active_incident(env)
            writer = api_token(env, "sam")
            with web_server(env) as base:
                assert get(f"{base}/")[0] == 200
                if fault == "full":
                    filler = fill_up(snapshot_dir)
                else:
                    subprocess.run(["mount", "-o", "remount,ro", str(snapshot_dir)], check=True)

                worker = start_worker(env)
                # Sam writes, Dana approves and publishes; the update is saved, the worker cannot
                # write it, and the web process, told so by the database, renders it to memory.
                text = "Transfers since 09:00 are being marked as paid; no action is needed."
                assert publish_over_http(base, writer, token, incident, text) == 200
                reason = "No space left on device" if fault == "full" else "Read-only file system"
                wait_until(
                    lambda: reason in (write_failure(env) or ""),
                    timeout=30,
                    what="the worker notes that it cannot write the files",
                )
                wait_until(
                    lambda: text in get(f"{base}/")[1].decode(),
                    timeout=10,
                    what="the page shows the publish from memory",
                )
                assert_page_shows(base, text, incident)
                assert text not in (snapshot_dir / "index.html").read_text()
                desk = desk_as_admin(base, tmp_path)
                assert "The status page files could not be written" in desk
                assert reason in desk

                # The worker retries while it fails, and writes the files once it can.
                time.sleep(2)
                assert text not in (snapshot_dir / "index.html").read_text()
                assert reason in write_failure(env)
                if fault == "full":
                    filler.unlink()
                else:
                    subprocess.run(["mount", "-o", "remount,rw", str(snapshot_dir)], check=True)
                wait_until(
                    lambda: write_failure(env) is None,
                    timeout=60,
                    what="the worker writes every file, and the failure is over",
                )
                assert text in (snapshot_dir / "index.html").read_text()
                summary = json.loads((snapshot_dir / "api/v2/summary.json").read_text())
                assert text in json.dumps(summary, ensure_ascii=False)
                assert text in (snapshot_dir / f"incidents/{incident}.html").read_text()
                assert "The status page files could not be written" not in desk_as_admin(
                    base, tmp_path
                )
                assert_page_shows(base, text, incident)
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        subprocess.run(["umount", "-l", str(snapshot_dir)], capture_output=True)


# A publish through the services whose process is killed the moment its transaction commits,
# before anything that was to run after the commit: as a web worker killed mid-request.
PUBLISH_AND_DIE = """
import os, signal, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from clearline.incidents.models import Incident
from clearline.updates.services import approve_update, content_hash_of, draft_update
from clearline.updates.services import publish_update

people = get_user_model().objects
with transaction.atomic():
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    update = draft_update(
        incident=Incident.objects.get(title=sys.argv[1]),
        by=people.get(username="sam"),
        body=sys.argv[2],
        status="identified",
    )
    dana = people.get(username="dana")
    approve_update(
        update=update,
        by=dana,
        content_hash=content_hash_of(update),
        override_reason="Checked by hand.",
    )
    publish_update(update=update, by=dana)
"""


def publish_and_die(env: dict[str, str], text: str) -> None:
    died = subprocess.run(
        [sys.executable, "-c", PUBLISH_AND_DIE, INCIDENT, text],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr
    published = in_clearline(
        env,
        "from clearline.updates.models import Update\n"
        f"result = Update.objects.filter(body={text!r}, state='published').count()",
    )
    assert published == 1


def test_a_publish_whose_process_dies_at_the_commit_reaches_the_page_through_the_worker(tmp_path):
    with own_database(tmp_path) as env:
        run_cli("demo", env=env)
        run_cli("snapshot", env=env)
        incident = active_incident(env)
        text = "We found the cause: a stuck bank file import. Transfers are being re-read."
        publish_and_die(env, text)
        assert text not in (tmp_path / "snapshot" / "index.html").read_text()

        run_cli("worker", "--batch", env=env)

        with web_server(env) as base:
            assert_page_shows(base, text, incident)


def test_a_worker_starting_up_renders_a_change_no_render_finished(tmp_path):
    with own_database(tmp_path) as env:
        run_cli("demo", env=env)
        run_cli("snapshot", env=env)
        incident = active_incident(env)
        text = "Transfers are marked as paid again; we are checking the ones from Monday."
        publish_and_die(env, text)
        # The render job was claimed by a worker that died too: only the start-up check is left.
        in_clearline(
            env,
            "from django_tasks_db.models import DBTaskResult\n"
            "result = DBTaskResult.objects.filter(\n"
            "    task_path='clearline.core.tasks.handle_event', status='READY'\n"
            ").update(status='RUNNING')",
        )

        run_cli("worker", "--batch", env=env)

        assert text in (tmp_path / "snapshot" / "index.html").read_text()
        with web_server(env) as base:
            assert_page_shows(base, text, incident)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run covers this")
def test_a_damaged_file_with_the_database_gone_answers_503_not_the_damage(tmp_path):
    env = clearline_env(tmp_path)
    run_cli("demo", env=env)
    run_cli("snapshot", env=env)
    (tmp_path / "snapshot" / "api/v2/summary.json").write_bytes(b'{"page": {"id"')
    database = tmp_path / "clearline.sqlite3"
    database.rename(tmp_path / "moved.sqlite3")
    database.mkdir()  # the path now cannot be opened as a database at all
    with web_server(env) as base:
        status, body = get(f"{base}/api/v2/summary.json")
        assert status == 503 and b'{"page": {"id"' not in body
        status, body = get(f"{base}/")
        assert status == 200 and INCIDENT in body.decode()
