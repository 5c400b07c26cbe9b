"""A real HTTP endpoint that checks Standard Webhooks signatures, as a subscriber's would."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


class WebhookReceiver:
    """Answers 204 to a POST whose signature verifies with `secret`, 400 otherwise; the first
    `failures` good ones get a 503, as a receiver that is down would answer."""

    def __init__(self, secret: str, *, failures: int = 0) -> None:
        self.accepted: list[dict] = []
        self.refused: list[str] = []
        self.message_ids: list[str] = []  # webhook-id of every POST, in order
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.message_ids.append(self.headers.get("webhook-id", ""))
                try:
                    payload = Webhook(secret).verify(body, dict(self.headers.items()))
                except WebhookVerificationError as error:
                    receiver.refused.append(str(error))
                    self.send_response(400)
                else:
                    if receiver.failures > 0:
                        receiver.failures -= 1
                        self.send_response(503)
                        self.end_headers()
                        return
                    receiver.accepted.append(payload)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/hooks/status"

    def __enter__(self) -> "WebhookReceiver":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
