"""What is committed reaches the public files: the render job travels with the change's outbox
event and runs on the worker, a folder that cannot be written is noted once and shown to admins,
a damaged file is never served."""

import io
import json
import logging
from pathlib import Path

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from clearline.core import outbox
from clearline.core.models import OutboxEvent, OutboxReceipt
from clearline.core.tasks import handle_event
from clearline.statuspage import snapshot, snapshot_state, tasks
from clearline.statuspage.models import SnapshotState
from tests.factories import make_incident, publish, run_jobs

SNAPSHOT_JOB = handle_event.module_path


def snapshot_jobs():
    return DBTaskResult.objects.filter(
        task_path=SNAPSHOT_JOB, args_kwargs__kwargs__consumer="snapshot"
    )


def test_a_publish_queues_its_render_inside_its_own_transaction_and_renders_nothing_itself(
    transactional_db, snapshot_dir
):
    incident = make_incident(title="Exports failing", published=False)
    before = snapshot_state.public_version()
    with transaction.atomic():
        publish(incident, "CSV exports return an error; we are looking into it.")
        # Written in the transaction, not deferred to after it: it commits with the change.
        [event] = OutboxEvent.objects.filter(pk__gt=before)
        [job] = snapshot_jobs().filter(status="READY")
        assert job.args_kwargs["kwargs"] == {"event_id": event.pk, "consumer": "snapshot"}
    assert snapshot_state.public_version() == event.pk
    # The publishing request rendered nothing: the page is behind until the worker runs.
    assert not (snapshot_dir / "index.html").exists()
    assert snapshot.is_behind()

    run_jobs()

    assert "CSV exports return an error" in (snapshot_dir / "index.html").read_text()
    assert [job.status for job in snapshot_jobs()] == ["SUCCESSFUL"]
    assert not snapshot.is_behind()


def test_a_publish_that_rolls_back_leaves_no_render_job_and_no_change(transactional_db):
    incident = make_incident(title="Exports failing", published=False)
    before = snapshot_state.public_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(incident, "CSV exports return an error; we are looking into it.")
        raise RuntimeError("the request fails after the publish")
    assert not snapshot_jobs().exists()
    assert snapshot_state.public_version() == before
    assert not incident.updates.exists()


def test_the_worker_writes_what_the_publish_changed(db, snapshot_dir):
    incident = make_incident(title="Exports failing", body="CSV exports return an error.")
    assert not (snapshot_dir / "index.html").exists()  # no worker has run: nothing rendered
    run_jobs()
    assert "CSV exports return an error." in (snapshot_dir / "index.html").read_text()
    assert (snapshot_dir / f"incidents/{incident.public_id}.html").exists()
    assert snapshot.rendered_version() == snapshot_state.public_version()
    assert tasks.catch_up() is False  # nothing left behind


def test_a_burst_of_publishes_costs_one_render_and_every_event_gets_its_receipt(db, snapshot_dir):
    incidents = [
        make_incident(title=f"Exports failing in region {n}", body=f"Region {n} exports fail.")
        for n in range(1, 4)
    ]
    events = list(OutboxEvent.objects.all())
    assert len(events) >= 3

    ran = [outbox.handle(event.pk, "snapshot") for event in events]

    # The first run took every waiting event along; the others found their receipt.
    assert ran == [True] + [False] * (len(events) - 1)
    assert OutboxReceipt.objects.filter(consumer="snapshot").count() == len(events)
    index = (snapshot_dir / "index.html").read_text()
    for n, incident in enumerate(incidents, start=1):
        assert f"Region {n} exports fail." in index
        assert (snapshot_dir / f"incidents/{incident.public_id}.html").exists()


def blocked(settings, tmp_path) -> Path:
    """A snapshot folder that cannot exist: its parent is a file (the OS refuses, not clearline)."""
    (tmp_path / "blocked").write_text("")
    settings.CLEARLINE_SNAPSHOT_DIR = tmp_path / "blocked" / "snapshot"
    return tmp_path / "blocked"


@pytest.fixture
def clean_failure_memory():
    snapshot_state._noted.update(failure=None, at=0.0)
    yield
    snapshot_state._noted.update(failure=None, at=0.0)


def test_an_unwritable_folder_is_logged_once_and_publishing_answers(
    client,
    people,
    settings,
    tmp_path,
    caplog,
    clean_failure_memory,
):
    blocked(settings, tmp_path)
    incident = make_incident(title="Exports failing", published=False)
    caplog.set_level(logging.INFO)
    for text in ("CSV exports fail; we are looking into it.", "We found the cause: a full queue."):
        publish(incident, text, by=people["commander"])
        run_jobs()  # the render fails to write; the job fails and the relay tries again
        for address in ("/", "/api/v2/summary.json", f"/incidents/{incident.public_id}"):
            response = client.get(address)
            assert response.status_code == 200
            assert text in response.content.decode()
    failures = [r for r in caplog.records if "cannot write the public files" in r.getMessage()]
    assert len(failures) == 1
    assert "Not a directory" in failures[0].getMessage()
    summary = json.loads(client.get("/api/v2/summary.json").content)
    assert summary["incidents"][0]["incident_updates"][0]["body"] == (
        "We found the cause: a full queue."
    )


def test_admins_see_the_write_failure_on_the_desk_until_the_files_are_written(
    client, people, settings, tmp_path, clean_failure_memory
):
    block = blocked(settings, tmp_path)
    make_incident(title="Exports failing", body="CSV exports fail.")
    with pytest.raises(snapshot.SnapshotNotWritten):
        tasks.catch_up()
    state = SnapshotState.objects.get()
    assert state.failing_since is not None and "Not a directory" in state.failure

    client.force_login(people["admin"])
    page = client.get("/desk/").content.decode()
    assert "The status page files could not be written" in page
    assert "Not a directory (ENOTDIR)" in page
    for name in ("commander", "comms", "support"):
        client.force_login(people[name])
        assert "could not be written" not in client.get("/desk/").content.decode()

    block.unlink()  # the folder can be written again: the worker's next check writes it all
    assert tasks.catch_up() is True
    assert "CSV exports fail." in (Path(settings.CLEARLINE_SNAPSHOT_DIR) / "index.html").read_text()
    client.force_login(people["admin"])
    assert "could not be written" not in client.get("/desk/").content.decode()
    assert SnapshotState.objects.get().failure == ""


def test_the_worker_backs_off_while_writing_fails(db, settings, tmp_path, clean_failure_memory):
    block = blocked(settings, tmp_path)
    make_incident(title="Exports failing", body="CSV exports fail.")
    with pytest.raises(snapshot.SnapshotNotWritten):
        tasks.catch_up()  # as at the worker's start
    keeper = tasks.SnapshotKeeper(every=30)
    keeper()
    assert keeper.failures == 1
    keeper()  # within the pause: not tried again
    assert keeper.failures == 1
    block.unlink()
    keeper.next_try = 0.0  # the pause is over
    keeper()
    assert keeper.failures == 0
    assert (Path(settings.CLEARLINE_SNAPSHOT_DIR) / "index.html").exists()


DAMAGE = {
    "api/v2/summary.json": b'{"page": {"id": "x", "na',
    "index.html": b"",
    "history.atom": b"<?xml version='1.0'?><feed><entry>",
}


@pytest.mark.parametrize("relpath", DAMAGE)
def test_a_damaged_file_is_rendered_again_not_served(client, db, snapshot_dir, relpath):
    make_incident(title="Exports failing", body="CSV exports return an error.")
    snapshot.render_everything()
    address = "/" if relpath == "index.html" else f"/{relpath}"
    client.get(address)  # known good, and in the process's memory
    (snapshot_dir / relpath).write_bytes(DAMAGE[relpath])

    response = client.get(address)

    assert response.status_code == 200
    assert b"Exports failing" in response.content
    assert (snapshot_dir / relpath).read_bytes() == response.content


@pytest.fixture
def wsgi_in_test_transaction():
    """Let the WSGI app keep the test's connection, as Django's test client does: at a request's
    start Django closes a connection that is inside a transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_a_cut_off_incident_page_is_rendered_again_on_the_wsgi_fast_path(
    db, snapshot_dir, wsgi_in_test_transaction
):
    from clearline.wsgi import application

    incident = make_incident(title="Exports failing", body="CSV exports return an error.")
    snapshot.render_everything()
    page = snapshot_dir / f"incidents/{incident.public_id}.html"
    page.write_bytes(page.read_bytes()[:500])
    seen = {}

    def start_response(status, headers):
        seen["status"] = status

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": f"/incidents/{incident.public_id}",
        "wsgi.input": io.BytesIO(),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "wsgi.url_scheme": "http",
    }
    body = b"".join(application(environ, start_response))
    assert seen["status"].startswith("200")
    assert b"CSV exports return an error." in body and body.rstrip().endswith(b"</html>")
