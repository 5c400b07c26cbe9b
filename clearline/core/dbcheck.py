"""Checks for the test runs, usable from make.

`python -m clearline.core.dbcheck URL`: exit 0 when the database answers, 1 otherwise.
`python -m clearline.core.dbcheck --ci`: exit 0 when running under CI, 1 otherwise.
"""

import os
import sys

import dj_database_url

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def ci_is_on(environ=os.environ) -> bool:
    """True when the CI variable says so: 1, true, yes or on, in any case. Under CI a missing
    dependency (PostgreSQL, Chromium, nginx) fails the run instead of skipping its tests."""
    return environ.get("CI", "").strip().lower() in TRUE_WORDS


def reachable(url: str) -> bool:
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        return True
    import psycopg

    try:
        with psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname=config["NAME"],
            connect_timeout=3,
        ):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    if sys.argv[1] == "--ci":
        sys.exit(0 if ci_is_on() else 1)
    sys.exit(0 if reachable(sys.argv[1]) else 1)
