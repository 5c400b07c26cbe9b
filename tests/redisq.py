"""The RQ task backend on the machine's Redis, in a database of the tests' own.

`CLEARLINE_TEST_REDIS_URL` names it (default: database 15 on 127.0.0.1:6379); it is emptied
before and after each test that uses it. A Redis that does not answer skips those tests, which
under CI fails the run (tests/conftest.py), as a missing PostgreSQL does.
"""

import os

import pytest
import redis

TEST_REDIS_URL = os.environ.get("CLEARLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def connect() -> redis.Redis:
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis does not answer at {TEST_REDIS_URL}: {error}")
    return client


def worker_env(base: dict[str, str]) -> dict[str, str]:
    """The environment of a `clearline worker` process on this backend."""
    return {**base, "CLEARLINE_TASK_BACKEND": "rq", "CLEARLINE_REDIS_URL": TEST_REDIS_URL}
