"""A real SMTP server for email tests: aiosmtpd on a free port, keeping what it receives."""

import email
import logging
import threading
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.servers import free_port

# aiosmtpd logs every connection from its own thread, which can outlive pytest's captured stream.
_server_log = logging.getLogger("mail.log")
_server_log.addHandler(logging.NullHandler())
_server_log.propagate = False


class SmtpServer:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        self._controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.host, self.port = self._controller.hostname, self._controller.port

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        """The messages, once `count` have arrived (or the timeout passed)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)

    def __enter__(self) -> "SmtpServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
