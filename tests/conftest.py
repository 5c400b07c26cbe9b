import pytest

from clearline.statuspage import serving


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    """Every test gets its own empty snapshot folder and a cold file cache."""
    settings.CLEARLINE_SNAPSHOT_DIR = tmp_path / "snapshot"
    serving._cache.clear()
    serving._held.clear()
    serving._last_failure = 0.0
    return settings.CLEARLINE_SNAPSHOT_DIR


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
