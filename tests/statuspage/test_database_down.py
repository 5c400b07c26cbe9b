"""When clearline's own database fails, the public page keeps answering from the last snapshot."""

import json
import secrets
import socket
import threading
import time

import pytest
from django.db import connection

from tests.servers import Readers, clearline_env, get, postgres_admin, run_cli, web_server

pytestmark = pytest.mark.slow  # see README, Testing: pytest -m "not slow"

ACTIVE_TITLE = "Bank transfer payments not marked as paid"


def assert_public_page_survives(base: str) -> None:
    time.sleep(1.2)  # past CLEARLINE_SNAPSHOT_MAX_AGE: the app tries the database and fails
    for _ in range(2):
        status, body = get(f"{base}/")
        assert status == 200 and ACTIVE_TITLE in body.decode()
        status, body = get(f"{base}/api/v2/summary.json")
        assert status == 200
        assert json.loads(body)["incidents"][0]["name"] == ACTIVE_TITLE


def assert_public_page_survives_under_load(base: str, cut_the_database, hung: int = 0) -> None:
    """Customers keep reading while the database goes away: not one answer but 200.

    `hung`: requests that may never be answered, those whose render was in flight when the
    database stopped answering.
    """
    readers = [Readers(base) for _ in range(8)]
    for reader in readers:
        reader.start()
    time.sleep(1.5)  # the files turn stale meanwhile: the app renders them again, under load
    cut_the_database()
    time.sleep(3)  # every file is stale again: each render now meets the missing database
    answers = [answer for reader in readers for answer in reader.stop()]

    assert len(answers) > 100
    assert len([a for a in answers if a[2] != 200]) <= hung
    assert {a[2] for a in answers} <= {200, "TimeoutError"}
    assert_public_page_survives(base)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run covers this")
def test_it_serves_the_last_snapshot_when_the_sqlite_file_is_gone(tmp_path):
    env = clearline_env(tmp_path, CLEARLINE_SNAPSHOT_MAX_AGE="1")
    run_cli("demo", env=env)
    database = tmp_path / "clearline.sqlite3"

    def cut() -> None:
        database.rename(tmp_path / "moved.sqlite3")
        database.mkdir()  # the path now cannot be opened as a database at all

    with web_server(env) as base:
        assert get(f"{base}/")[0] == 200
        assert_public_page_survives_under_load(base, cut)


class Relay:
    """A TCP relay in front of PostgreSQL that the test can cut, like a database going away."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.frozen = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)  # hold everything: the server no longer answers
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def freeze(self) -> None:
        """The server stops answering but its connections stay open: hung, or cut off."""
        self.frozen.set()

    def cut(self) -> None:
        self.frozen.clear()
        self.server.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


@pytest.fixture
def postgres_behind_a_relay(tmp_path):
    """A fresh PostgreSQL database reached through a Relay, with the demo loaded; yields both."""
    import psycopg

    admin = postgres_admin(connection.settings_dict)
    host, port = admin["host"], admin["port"]
    name = f"clearline_down_{secrets.token_hex(4)}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    relay = Relay((host, port))
    try:
        url = f"postgres://{admin['user']}@127.0.0.1:{relay.port}/{name}"
        env = clearline_env(tmp_path, DATABASE_URL=url, CLEARLINE_SNAPSHOT_MAX_AGE="1")
        run_cli("demo", env=env)
        yield env, relay
    finally:
        relay.cut()
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run covers this")
def test_it_serves_the_last_snapshot_when_postgres_goes_away(postgres_behind_a_relay):
    env, relay = postgres_behind_a_relay
    with web_server(env) as base:
        assert get(f"{base}/")[0] == 200
        assert_public_page_survives_under_load(base, relay.cut)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run covers this")
def test_it_serves_the_last_snapshot_when_postgres_stops_answering(postgres_behind_a_relay):
    # A stopped (SIGSTOP) or unreachable server: queries in flight never come back. The one
    # request whose render was waiting on it hangs; nobody queues behind it.
    env, relay = postgres_behind_a_relay
    with web_server(env) as base:
        assert get(f"{base}/")[0] == 200
        assert_public_page_survives_under_load(base, relay.freeze, hung=1)
