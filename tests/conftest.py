import os
import re

import dj_database_url
import pytest

from clearline.core.dbcheck import ci_is_on
from clearline.statuspage import serving

# The one reason a test may skip under CI: the run on the other database covers it.
OTHER_DATABASE_RUN = re.compile(r"the (SQLite|PostgreSQL) run covers this")


def pytest_sessionstart(session):
    """Each run is on the database it names: PostgreSQL when DATABASE_URL (or make's
    CLEARLINE_TEST_DATABASE) says so, SQLite otherwise; a run on the wrong one stops here."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL")
    named = "sqlite"
    if url and "postgresql" in dj_database_url.parse(url)["ENGINE"]:
        named = "postgresql"
    expected = os.environ.get("CLEARLINE_TEST_DATABASE") or named
    if connection.vendor != expected or named != expected:
        raise pytest.UsageError(
            f"this run should be on {expected}, but DATABASE_URL names {named} "
            f"and the tests would run on {connection.vendor}"
        )


def pytest_collection_modifyitems(items):
    """Every browser test drives Chromium and takes seconds: it counts as slow."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skip is a failure, unless the other database's run covers the test."""
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and ci_is_on():
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        if not OTHER_DATABASE_RUN.fullmatch(reason):
            report.outcome = "failed"
            report.longrepr = (
                f"skipped under CI, where only another database run may skip: {reason}"
            )
    return report


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    """Every test gets its own empty snapshot folder and a cold file cache."""
    settings.CLEARLINE_SNAPSHOT_DIR = tmp_path / "snapshot"
    # No watching thread with a connection of its own inside a test's transaction; the tests
    # of a real server (in a process of its own) watch.
    settings.CLEARLINE_SNAPSHOT_WATCH_SECONDS = 0
    serving._cache.clear()
    serving._held.clear()
    serving._last_failure = 0.0
    return settings.CLEARLINE_SNAPSHOT_DIR


@pytest.fixture
def committed():
    """`with committed():` the change, then the worker runs what it queued (the page's render)."""
    from contextlib import contextmanager

    from tests.factories import run_jobs

    @contextmanager
    def then_run_jobs():
        yield
        run_jobs()

    return then_run_jobs


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts kept in the cache (the subscribe rate limit's) start at nothing in every test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests sign people in by the hundred; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    from tests.factories import make_user

    return {
        "commander": make_user("dana", "approver"),
        "comms": make_user("sam", "responder"),
        "support": make_user("vic", "viewer"),
        "admin": make_user("alex", "admin"),
        "outsider": make_user("olly", None),
    }


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port, with Django's email pointed at it."""
    from tests.smtp import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        yield server


@pytest.fixture
def one_person_team(db):
    """An organisation whose writers may approve their own text (each use is audited)."""
    from clearline.accounts.models import Organisation

    org = Organisation.current()
    org.allow_self_approval = True
    org.save()
    return org


@pytest.fixture
def in_process():
    """The WSGI application for tools that call it directly (schemathesis), inside the test's
    transaction as Django's test client is: the end of a request must not close the test's
    database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from clearline.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def rq_backend(settings):
    """Tasks go to RQ on an emptied Redis database of the tests' own; yields its client."""
    from tests import redisq

    client = redisq.connect()
    client.flushdb()
    settings.TASKS = redisq.RQ_TASKS
    settings.RQ_QUEUES = {"default": {"URL": redisq.TEST_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def loopback(settings):
    """Webhook receivers in tests listen on 127.0.0.1: allow it, as an operator would."""
    settings.CLEARLINE_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


@pytest.fixture
def delivery_settings(settings, loopback):
    """Loopback receivers are allowed and retries come at once (the delivery tests use it)."""
    settings.CLEARLINE_RETRY_BASE_SECONDS = 0
    settings.CLEARLINE_RETRY_CAP_SECONDS = 0
    settings.CLEARLINE_WEBHOOK_CONNECT_TIMEOUT = 2
    settings.CLEARLINE_WEBHOOK_TIMEOUT = 5
    return settings
