"""One outbound POST to a subscriber's endpoint, made to the address that was just checked.

The connection goes to the IP `addresses.resolve` approved, not to whatever the name resolves to
a moment later (DNS rebinding); the Host header and, for https, the certificate check still use
the name. Timeouts: CLEARLINE_WEBHOOK_CONNECT_TIMEOUT to connect, CLEARLINE_WEBHOOK_TIMEOUT for
the whole request, enforced by closing the socket, so an endpoint that answers a byte a second
cannot hold a worker either.
"""

import heapq
import http.client
import itertools
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

USER_AGENT = "clearline-notify"


class PostFailed(Exception):
    """No 2xx answer: refused, timed out, or an error status. The message holds no secrets."""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self) -> None:
        raw = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


class Deadlines(threading.Thread):
    """Cuts the requests that outlive their deadline: one thread for the process, where a timer
    thread per request cost a thread start per message."""

    def __init__(self) -> None:
        super().__init__(name="webhook-deadlines", daemon=True)
        self._due: list[tuple[float, int, http.client.HTTPConnection]] = []
        self._open: set[int] = set()
        self._cut: set[int] = set()
        self._numbers = itertools.count()
        self._changed = threading.Condition()

    def watch(self, connection: http.client.HTTPConnection, seconds: float) -> int:
        """Cut `connection` in `seconds` unless `done` comes first; a number for `done`."""
        number = next(self._numbers)
        with self._changed:
            self._open.add(number)
            heapq.heappush(self._due, (time.monotonic() + seconds, number, connection))
            if self._due[0][1] == number:
                self._changed.notify()
        return number

    def done(self, number: int) -> bool:
        """The request is over; True when it was cut for running out of time."""
        with self._changed:
            self._open.discard(number)
            if number in self._cut:
                self._cut.discard(number)
                return True
            return False

    def run(self) -> None:
        while True:
            with self._changed:
                while self._due and (self._due[0][1] not in self._open):
                    heapq.heappop(self._due)  # finished in time: nothing to cut
                wait = self._due[0][0] - time.monotonic() if self._due else None
                if wait is None or wait > 0:
                    self._changed.wait(wait)
                    continue
                _, number, connection = heapq.heappop(self._due)
                self._cut.add(number)
            _cut(connection)


_deadlines: Deadlines | None = None
_starting = threading.Lock()


def deadlines() -> Deadlines:
    global _deadlines
    with _starting:
        if _deadlines is None or not _deadlines.is_alive():
            _deadlines = Deadlines()
            _deadlines.start()
        return _deadlines


def post(url: str, ip: str, *, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url` at `ip`; the 2xx status, or PostFailed."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(parts.hostname, port, ip, timeout=settings.CLEARLINE_WEBHOOK_CONNECT_TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watch = deadlines()
    watched = watch.watch(connection, settings.CLEARLINE_WEBHOOK_TIMEOUT)
    try:
        connection.connect()
        connection.sock.settimeout(settings.CLEARLINE_WEBHOOK_TIMEOUT)
        connection.request("POST", path, body=body, headers={"user-agent": USER_AGENT, **headers})
        response = connection.getresponse()
        response.read(4096)  # a little of the answer, so the endpoint sees it was read
        status = response.status
    except TimeoutError:
        raise PostFailed(f"No answer from {parts.hostname} in time.") from None
    except (OSError, http.client.HTTPException) as error:
        if watch.done(watched):
            raise PostFailed(f"No answer from {parts.hostname} in time.") from None
        raise PostFailed(f"Could not reach {parts.hostname}: {type(error).__name__}.") from None
    finally:
        watch.done(watched)
        connection.close()
    if not 200 <= status < 300:
        raise PostFailed(f"{parts.hostname} answered {status}.")
    return status


def _cut(connection: http.client.HTTPConnection) -> None:
    """The whole-request deadline: shut the socket, which wakes the blocked read."""
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
