"""`python -m clearline.core.dbcheck URL`: exit 0 when the database answers, 1 otherwise."""

import sys

import dj_database_url


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
    sys.exit(0 if reachable(sys.argv[1]) else 1)
