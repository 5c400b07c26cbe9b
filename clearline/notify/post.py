"""One outbound POST to a subscriber's endpoint, made to the address that was just checked.

The connection goes to the IP `addresses.resolve` approved, not to whatever the name resolves to
a moment later (DNS rebinding); the Host header and, for https, the certificate check still use
the name. Timeouts: CLEARLINE_WEBHOOK_CONNECT_TIMEOUT to connect, CLEARLINE_WEBHOOK_TIMEOUT for
the whole request, enforced by closing the socket, so an endpoint that answers a byte a second
cannot hold a worker either.
"""

import http.client
import socket
import ssl
import threading
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


def post(url: str, ip: str, *, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url` at `ip`; the 2xx status, or PostFailed."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(parts.hostname, port, ip, timeout=settings.CLEARLINE_WEBHOOK_CONNECT_TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timer = threading.Timer(settings.CLEARLINE_WEBHOOK_TIMEOUT, _cut, [connection])
    timer.start()
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
        if not timer.is_alive():
            raise PostFailed(f"No answer from {parts.hostname} in time.") from None
        raise PostFailed(f"Could not reach {parts.hostname}: {type(error).__name__}.") from None
    finally:
        timer.cancel()
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
