"""clearline's settings with the subscriber pages reachable, for worker processes in tests."""

from clearline.settings import *  # noqa: F403

ROOT_URLCONF = "tests.notify.urls"
