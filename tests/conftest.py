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
