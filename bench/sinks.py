"""The receiving end of the fan-out benchmark, each run as a process of its own.

`python -m bench.sinks smtp PORT STATS_PORT`: an aiosmtpd server that keeps no messages, only
how many arrived for each recipient and when the first and last arrived; GET
http://127.0.0.1:STATS_PORT/ answers with those figures as JSON.

`python -m bench.sinks http PORT`: an HTTP server that answers every POST with 204 and counts
the requests per path; GET /_stats answers with the figures.

Times are wall-clock seconds (time.time()), comparable with the database's delivered_at.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1 << 20


class Tally:
    """Arrivals per key, and the times of the first and last, safe across threads."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.first = self.last = None
        self._lock = threading.Lock()

    def add(self, key: str) -> None:
        now = time.time()
        with self._lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            self.first = self.first or now
            self.last = now

    def as_json(self) -> bytes:
        with self._lock:
            total = sum(self.counts.values())
            figures = {"total": total, "first": self.first, "last": self.last}
            return json.dumps({**figures, "counts": self.counts}).encode()


def stats_handler(tally: Tally, *, path: str = "/") -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a sender may reuse its connection

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path != path:
                self._answer(404)
                return
            self._answer(200, tally.as_json())

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(min(int(self.headers.get("Content-Length") or 0), MAX_BODY))
            tally.add(self.path)
            self._answer(204)

        def _answer(self, status: int, body: bytes = b"") -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            if body:
                self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass  # thousands of requests: the figures say what matters

    return Handler


class SmtpCounter:
    """aiosmtpd handler: counts each accepted message once per envelope recipient."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        for recipient in envelope.rcpt_tos:
            self.tally.add(recipient.lower())
        return "250 OK"


def serve_smtp(port: int, stats_port: int) -> None:
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    tally = Tally()
    controller = Controller(SmtpCounter(tally), hostname="127.0.0.1", port=port)
    controller.start()
    ThreadingHTTPServer(("127.0.0.1", stats_port), stats_handler(tally)).serve_forever()


class Receiver(ThreadingHTTPServer):
    # A real receiver's listen queue, not http.server's 5: a sender opening twenty connections
    # at once would otherwise see some of them wait a second for a retried SYN.
    request_queue_size = 128


def serve_http(port: int) -> None:
    server = Receiver(("127.0.0.1", port), stats_handler(Tally(), path="/_stats"))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    kind, *ports = sys.argv[1:]
    if kind == "smtp":
        serve_smtp(int(ports[0]), int(ports[1]))
    elif kind == "http":
        serve_http(int(ports[0]))
    else:
        sys.exit("usage: python -m bench.sinks smtp PORT STATS_PORT | http PORT")
