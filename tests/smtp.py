"""A real SMTP server for email tests: aiosmtpd on a free port, keeping what it receives.

It can also refuse, as real mail servers do: a permanent 554 or a temporary 4xx at RCPT or at
DATA (`refuse`), until told to `accept` again; and it can require a password (`password=`).
"""

import email
import logging
import threading
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.servers import free_port

# aiosmtpd logs every connection from its own thread, which can outlive pytest's captured stream.
_server_log = logging.getLogger("mail.log")
_server_log.addHandler(logging.NullHandler())
_server_log.propagate = False

STAGES = ("RCPT", "DATA")


class SmtpServer:
    def __init__(self, *, user: str = "", password: str = "") -> None:
        self.messages: list[EmailMessage] = []
        self.refused: list[str] = []  # one "STAGE reply" line per refusal given
        self.logins: list[str] = []  # the user of each AUTH this server let in
        self.peers: list[tuple[str, int]] = []  # the client's address of each message
        self._refusals: dict[str, str] = {}
        self._arrived = threading.Condition()
        self._user, self._password = user, password
        login = {}
        if password:
            # Plain AUTH without TLS: the test talks to 127.0.0.1 only. `logins` tells whether
            # the client logged in (requiring it would warn on every connection).
            login = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(self, hostname="127.0.0.1", port=free_port(), **login)
        self.host, self.port = self._controller.hostname, self._controller.port

    def refuse(self, stage: str, reply: str) -> None:
        """Answer every RCPT or DATA with `reply` (e.g. "554 5.7.1 Rejected") until `accept()`."""
        if stage not in STAGES:
            raise ValueError(f"stage is one of {STAGES}")
        self._refusals[stage] = reply

    def accept(self) -> None:
        self._refusals.clear()

    def _refusal(self, stage: str) -> str | None:
        reply = self._refusals.get(stage)
        if reply is not None:
            with self._arrived:
                self.refused.append(f"{stage} {reply}")
        return reply

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        right = isinstance(auth_data, LoginPassword) and auth_data == (
            self._user.encode(),
            self._password.encode(),
        )
        if right:
            self.logins.append(self._user)
        return AuthResult(success=right, handled=False)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        refusal = self._refusal("RCPT")
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        refusal = self._refusal("DATA")
        if refusal is not None:
            return refusal
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self.peers.append(session.peer)
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
