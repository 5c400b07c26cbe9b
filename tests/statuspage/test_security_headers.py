"""Every page carries the same security headers, however it is served.

A customer's browser gets the public page from clearline.wsgi's fast path (before Django), from
the public page view (through Django) or from nginx (tests/deploy/test_nginx_conf.py); the desk,
sign-in, the admin and the API docs come from Django. All of them refuse to be framed, keep the
address out of other sites' referrers, and run only the scripts and styles clearline ships.
"""

import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from clearline import wsgi
from clearline.core.headers import (
    CONTENT_SECURITY_POLICY,
    HSTS_SECONDS,
    SECURITY_HEADERS,
    inline_hashes,
    parse_policy,
)
from clearline.incidents.models import Maintenance
from clearline.statuspage.snapshot import render_everything
from tests.factories import make_component, make_incident
from tests.servers import clearline_env

PUBLIC = ["/", "/history/", "/history.atom", "/history.rss", "/api/v2/summary.json"]


@pytest.fixture
def public_pages(db):
    web = make_component("Web app", group="Product")
    incident = make_incident(
        title="Invoices slow to open",
        body="Opening an invoice takes up to 30 seconds.",
        components={web: "degraded_performance"},
        started_ago=timedelta(days=2),
    )
    soon = timezone.now() + timedelta(days=1)
    Maintenance.objects.create(
        title="Database upgrade",
        description="Read-only for 30 minutes.",
        scheduled_for=soon,
        scheduled_until=soon + timedelta(minutes=30),
    ).components.set([web])
    render_everything()
    return [*PUBLIC, f"/history/{incident.started_at:%Y-%m}", f"/incidents/{incident.public_id}"]


def fast_path(path: str) -> tuple[str, dict[str, str], bytes]:
    """Ask clearline.wsgi.application itself, as granian does."""
    answered = {}

    def start_response(status, headers):
        answered.update(status=status, headers=dict(headers))

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver"}
    environ.update({"SERVER_PORT": "80", "wsgi.url_scheme": "http", "QUERY_STRING": ""})
    body = b"".join(wsgi.application(environ, start_response))
    return answered["status"], answered["headers"], body


def test_the_fast_path_sends_the_security_headers_on_every_public_address(public_pages):
    for path in public_pages:
        status, headers, _ = fast_path(path)

        assert status == "200 OK", path
        assert headers["Cache-Control"].startswith("public"), "answered from the snapshot"
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name)


def test_the_public_page_view_sends_the_same_headers(client, public_pages, snapshot_dir):
    (snapshot_dir / "index.html").unlink()  # not in the snapshot: Django renders it

    response = client.get("/")

    assert response.status_code == 200
    assert (snapshot_dir / "index.html").exists()
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value, name


def test_the_policy_allows_exactly_the_public_pages_own_script_and_style(public_pages):
    for path in [p for p in public_pages if not p.endswith((".atom", ".rss", ".json"))]:
        page = fast_path(path)[2].decode()

        scripts, styles = inline_hashes(page, "script"), inline_hashes(page, "style")
        assert scripts and styles, path
        assert set(scripts) <= set(CONTENT_SECURITY_POLICY["script-src"]), path
        assert set(styles) <= set(CONTENT_SECURITY_POLICY["style-src"]), path
        # Nothing inline the hashes do not cover: style or event-handler attributes.
        assert not re.search(r"<[^>]+\s(style|on[a-z]+)=", page), path
        assert len(re.findall(r"<(script|style)\b", page)) == len(scripts) + len(styles), path


@pytest.mark.parametrize("path", ["/login/", "/admin/", "/desk/", "/api/docs"])
def test_djangos_own_pages_carry_the_same_policy(client, people, path):
    client.force_login(people["admin"])

    response = client.get(path)

    assert response.status_code == 200
    assert parse_policy(response["Content-Security-Policy"]) == CONTENT_SECURITY_POLICY
    for name in ("X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options"):
        assert response[name] == SECURITY_HEADERS[name], name


def settings_value(name: str, tmp_path, **env: str) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    argv = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    result = subprocess.run(
        argv, env=clearline_env(tmp_path, **env), capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.mark.slow
def test_browsers_are_told_to_keep_to_https_only_when_the_site_is_https(tmp_path):
    assert settings_value("SECURE_HSTS_SECONDS", tmp_path, SITE_URL="http://127.0.0.1:8000") == "0"
    assert settings_value(
        "SECURE_HSTS_SECONDS", tmp_path, SITE_URL="https://status.example.com"
    ) == str(HSTS_SECONDS)
    assert (
        settings_value(
            "SECURE_HSTS_SECONDS",
            tmp_path,
            SITE_URL="https://status.example.com",
            SECURE_HSTS_SECONDS="600",
        )
        == "600"
    )
