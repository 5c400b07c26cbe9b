"""deploy/nginx.conf in a real nginx: customers get the snapshot files, the rest goes to the app.

Skipped where nginx is not installed, except under CI, where a missing nginx is a failure.
"""

import re
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from bench import servers
from clearline.core.headers import HSTS_SECONDS, SECURITY_HEADERS
from clearline.statuspage.serving import CACHE_CONTROL
from clearline.statuspage.snapshot import V2_DOCUMENTS, render_after_change, render_everything
from tests.factories import make_component, make_incident, publish, run_jobs

pytestmark = [
    pytest.mark.nginx,
    pytest.mark.skipif(  # under CI the skip is a failure (tests/conftest.py)
        not Path(servers.NGINX).exists(), reason=f"nginx is not installed ({servers.INSTALL_HINT})"
    ),
]


@pytest.fixture
def start_nginx(tmp_path, snapshot_dir):
    """Start nginx with the deploy config in front of the given app address."""
    running = []

    def start(upstream: str) -> str:
        port = servers.free_port()
        block = servers.deploy_server_block(snapshot_dir=snapshot_dir, upstream=upstream, port=port)
        # One worker: every request meets the same open-file cache.
        server = servers.nginx("deploy", tmp_path / f"nginx-{port}", block, port, workers="1")
        server.__enter__()
        running.append(server)
        return server.url

    yield start
    for server in running:
        server.__exit__(None, None, None)


@pytest.fixture
def app_down(start_nginx):
    """nginx in front of an address where nothing listens: clearline is down."""
    return start_nginx(f"127.0.0.1:{servers.free_port()}")


@pytest.fixture
def app_up(start_nginx, live_server):
    return start_nginx(live_server.url.removeprefix("http://"))


@pytest.fixture
def published_page(db):
    web = make_component("Web app", group="Product")
    incident = make_incident(
        title="Invoices slow to open",
        body="Opening an invoice takes up to 30 seconds. We are investigating.",
        components={web: "degraded_performance"},
        started_ago=timedelta(days=40),
    )
    render_everything()
    return incident


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_it_keeps_serving_the_status_page_while_clearline_is_down(
    app_down, published_page, snapshot_dir
):
    status, headers, body = get(app_down + "/")

    assert status == 200
    assert body == (snapshot_dir / "index.html").read_bytes()
    assert b"Invoices slow to open" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == CACHE_CONTROL
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_it_answers_a_repeat_visit_with_not_modified(app_down, published_page):
    _, first, _ = get(app_down + "/")

    status, headers, body = get(app_down + "/", **{"If-None-Match": first["ETag"]})

    assert status == 304 and body == b""
    assert headers["ETag"] == first["ETag"]


def test_it_shows_a_new_update_within_two_seconds_of_publishing(app_down, published_page):
    assert b"Invoices slow to open" in get(app_down + "/")[2]  # nginx now holds the file open
    publish(published_page, "We found a slow database query and are fixing it.")
    render_after_change([published_page.pk])  # what the publish does once it commits

    deadline = time.monotonic() + 2
    while b"slow database query" not in get(app_down + "/")[2]:
        assert time.monotonic() < deadline, "nginx still serves the page from before the publish"
        time.sleep(0.05)


def test_it_serves_every_statuspage_json_document_as_json(app_down, published_page, snapshot_dir):
    for name in V2_DOCUMENTS:
        status, headers, body = get(f"{app_down}/api/v2/{name}")

        assert status == 200, name
        assert headers["Content-Type"] == "application/json", name
        assert headers["Cache-Control"] == CACHE_CONTROL, name
        assert body == (snapshot_dir / "api" / "v2" / name).read_bytes(), name


def test_it_serves_the_feeds_with_their_own_types(app_down, published_page):
    _, atom, _ = get(app_down + "/history.atom")
    _, rss, body = get(app_down + "/history.rss")

    assert atom["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert rss["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert b"Invoices slow to open" in body


def test_it_serves_history_and_incident_pages_with_or_without_a_trailing_slash(
    app_down, published_page
):
    month = f"{published_page.started_at:%Y-%m}"
    pages = [
        "/history",
        "/history/",
        f"/history/{month}",
        f"/history/{month}/",
        f"/incidents/{published_page.public_id}",
        f"/incidents/{published_page.public_id}/",
    ]
    for path in pages:
        status, headers, body = get(app_down + path)

        assert status == 200, path
        assert headers["Content-Type"] == "text/html; charset=utf-8", path
        assert b"Invoices slow to open" in body, path


def test_it_asks_clearline_for_a_page_missing_from_the_snapshot(app_up, snapshot_dir):
    incident = make_incident(title="Payouts held", body="Payouts to UK banks are waiting.")
    run_jobs()  # the worker renders the publish into the snapshot
    page = snapshot_dir / "incidents" / f"{incident.public_id}.html"
    page.unlink()  # as on a new server whose snapshot folder starts empty

    status, _, body = get(f"{app_up}/incidents/{incident.public_id}")

    assert status == 200
    assert b"Payouts held" in body
    assert page.exists(), "clearline rendered the page into the snapshot"


def test_it_passes_sign_in_and_the_admin_to_clearline(app_up):
    for path in ("/login/", "/admin/login/"):
        status, headers, body = get(app_up + path)

        assert status == 200, path
        assert b"csrfmiddlewaretoken" in body, path
        assert headers["Cache-Control"] != CACHE_CONTROL, path


def test_it_never_serves_other_files_from_the_snapshot_folder(app_up, snapshot_dir):
    (snapshot_dir / "api" / "v2").mkdir(parents=True)
    (snapshot_dir / "notes.txt").write_text("not for the public")
    (snapshot_dir / "api" / "v2" / "drafts.json").write_text('{"draft": true}')

    for path in ("/notes.txt", "/api/v2/drafts.json"):
        status, _, body = get(app_up + path)

        assert status == 404, path
        assert b"not for the public" not in body and b"draft" not in body, path


def assert_security_headers(headers, path: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get_all(name) == [value], (path, name)


def test_it_sends_clearlines_own_security_headers_on_every_public_address(app_down, published_page):
    month = f"{published_page.started_at:%Y-%m}"
    paths = ["/", "/history/", f"/history/{month}", f"/incidents/{published_page.public_id}"]
    for path in [*paths, "/history.atom", "/api/v2/summary.json"]:
        status, headers, _ = get(app_down + path)

        assert status == 200, path
        assert_security_headers(headers, path)
        assert "Strict-Transport-Security" not in headers, "only over https"


def test_a_page_clearline_renders_behind_nginx_has_the_same_headers(app_up, snapshot_dir):
    incident = make_incident(title="Payouts held", body="Payouts to UK banks are waiting.")
    run_jobs()  # the worker renders the publish into the snapshot
    (snapshot_dir / "incidents" / f"{incident.public_id}.html").unlink()

    _, from_clearline, _ = get(f"{app_up}/incidents/{incident.public_id}")
    _, from_the_file, _ = get(f"{app_up}/incidents/{incident.public_id}")

    assert_security_headers(from_clearline, "rendered by clearline")
    assert_security_headers(from_the_file, "served by nginx")


def test_it_keeps_https_visitors_on_https_as_long_as_clearline_does():
    text = servers.DEPLOY_CONF.read_text()

    assert re.search(r'https "max-age=(\d+)";', text)[1] == str(HSTS_SECONDS)
