import pytest

from clearline.statuspage import serving


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    """Every test gets its own empty snapshot folder and a cold file cache."""
    settings.CLEARLINE_SNAPSHOT_DIR = tmp_path / "snapshot"
    serving._cache.clear()
    serving._last_failure = 0.0
    return settings.CLEARLINE_SNAPSHOT_DIR


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """A real hasher costs about a second per person on a busy machine; tests need no strength."""
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
