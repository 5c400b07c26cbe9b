"""The public page is a snapshot: written on publish, served with validators, fresh on demand."""

import io
import json
from pathlib import Path

from clearline.incidents.models import Component
from clearline.statuspage.snapshot import render_everything
from tests.factories import make_component, make_incident, publish, run_jobs
from tests.unchanged import nothing_changes


def test_it_writes_the_new_text_to_the_snapshot_when_an_update_commits(db, snapshot_dir):
    make_component("Web app")
    incident = make_incident(title="Exports failing", body="CSV exports return an error.")
    run_jobs()
    index = Path(snapshot_dir, "index.html").read_text()
    assert "CSV exports return an error." in index
    summary = json.loads(Path(snapshot_dir, "api/v2/summary.json").read_text())
    assert summary["incidents"][0]["incident_updates"][0]["body"] == "CSV exports return an error."
    assert Path(snapshot_dir, f"incidents/{incident.public_id}.html").exists()
    publish(incident, "Exports work again; we re-ran the failed exports.", status="resolved")
    run_jobs()
    assert "Exports work again" in Path(snapshot_dir, "index.html").read_text()


def test_it_serves_public_pages_with_validators_and_cache_headers(client, db):
    make_incident(title="Slow search", body="Search takes 15 seconds.")
    first = client.get("/")
    assert first.status_code == 200
    assert first["Cache-Control"] == (
        "public, max-age=10, stale-while-revalidate=60, stale-if-error=86400"
    )
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    head = client.head("/api/v2/summary.json")
    assert head.status_code == 200 and head.content == b""


def test_it_answers_fresh_pages_without_touching_the_database(
    client, db, django_assert_num_queries
):
    make_incident(title="Slow search", body="Search takes 15 seconds.")
    client.get("/")
    client.get("/api/v2/summary.json")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
        assert client.get("/api/v2/summary.json").status_code == 200


def test_it_re_renders_a_stale_page_on_request(client, db, settings):
    component = make_component("Web app")
    client.get("/")
    Component.objects.filter(pk=component.pk).update(name="Web and mobile apps")
    assert "Web and mobile apps" not in client.get("/").content.decode()
    settings.CLEARLINE_SNAPSHOT_MAX_AGE = 0
    assert "Web and mobile apps" in client.get("/").content.decode()


def test_it_refuses_writes_and_unknown_addresses(client, db):
    with nothing_changes():
        response = client.post("/")
    assert response.status_code == 405
    assert client.get("/incidents/aaaaaaaaaaaa").status_code == 404
    assert client.get("/api/v2/secrets.json").status_code == 404


def test_it_serves_snapshot_files_before_django_in_the_wsgi_app(db, snapshot_dir):
    from clearline.wsgi import application

    make_incident(title="Card payments failing", body="Card payments fail at checkout.")
    render_everything()
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v2/status.json",
        "wsgi.input": io.BytesIO(),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "wsgi.url_scheme": "http",
    }
    body = b"".join(application(environ, start_response))
    assert seen["status"] == "200 OK"
    assert seen["headers"]["Content-Type"] == "application/json"
    assert json.loads(body)["status"]["indicator"] == "minor"
    environ["HTTP_IF_NONE_MATCH"] = seen["headers"]["ETag"]
    assert b"".join(application(environ, start_response)) == b""
    assert seen["status"] == "304 Not Modified"
