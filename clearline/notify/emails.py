"""One event's emails over a few SMTP connections, each recorded as soon as it is accepted.

The message is rendered once per job, for a stand-in subscriber; each subscriber's copy differs
only in its address, the ids in Message-ID and References, and the token in the manage and
unsubscribe links. On Django's SMTP backend the stand-in's message is also turned into the
bytes that go on the wire once, and each subscriber's copy is those bytes with the stand-ins
replaced, handed to the backend's open smtplib connection: building and serialising a MIME
message per subscriber took longer than sending it. Any other backend (a provider through
django-anymail, the file backend of `make run`, the memory backend of the tests) gets a Django
message per subscriber, built from the same rendering.
"""

import queue
import re
import smtplib
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

from clearline.channels.mail import email_message
from clearline.channels.source import Notice
from clearline.core.ids import new_public_id
from clearline.notify import links, retry
from clearline.notify.claims import mark_delivered, why_stopped
from clearline.notify.models import Delivery, DeliveryState, Subscriber

# An address Django's sanitize_address hands back unchanged (a dot-atom local part and plain
# labels of at most 63 characters): it goes into the header and the envelope as it is. Any
# other address takes Django's path, which encodes it or refuses it.
T = TypeVar("T")

PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}"
)


def message_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "clearline.invalid"


def thread_root(source: Notice) -> str:
    """The Message-ID every message about one incident (or maintenance) replies to, so mail
    programs thread them."""
    return f"<{source.thread_key}@{message_domain()}>"


def copy_message_id(key: str, subscriber: Subscriber) -> str:
    """Unique per message and subscriber, and the same when a message is sent again."""
    return f"<{key}.{subscriber.public_id}@{message_domain()}>"


@dataclass
class EventMail:
    """The event's message rendered once, for a stand-in subscriber (`probe`)."""

    source: Notice
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    earlier: list[str]  # message keys of the thread's earlier messages, oldest first
    probe: Subscriber
    probe_token: str  # the signed token in the probe's links; each subscriber has its own

    @classmethod
    def render(cls, source: Notice) -> "EventMail":
        probe = Subscriber(
            public_id=new_public_id(), email=f"{new_public_id()}@subscriber.clearline.invalid"
        )
        token = probe.manage_token()
        unsubscribe = links.unsubscribe_url(probe, token=token)
        manage = links.manage_url(probe, token=token)
        if token not in unsubscribe or token not in manage:
            raise RuntimeError("The manage and unsubscribe links must carry the manage token.")
        message = email_message(source, to=[], unsubscribe_url=unsubscribe, manage_url=manage)
        [(html, _)] = message.alternatives
        return cls(
            source=source,
            subject=message.subject,
            text=message.body,
            html=html,
            unsubscribe_url=unsubscribe,
            earlier=source.earlier_keys(),
            probe=probe,
            probe_token=token,
        )

    def for_subscriber(self, subscriber: Subscriber) -> EmailMultiAlternatives:
        """The subscriber's copy as a Django message, for any backend."""
        return self._message(subscriber, subscriber.manage_token())

    def _message(self, subscriber: Subscriber, own_token: str) -> EmailMultiAlternatives:
        root = thread_root(self.source)
        earlier = [copy_message_id(key, subscriber) for key in self.earlier]
        unsubscribe = self.unsubscribe_url.replace(self.probe_token, own_token)
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(self.probe_token, own_token),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={
                "Message-ID": copy_message_id(self.source.message_key, subscriber),
                "In-Reply-To": root,
                "References": " ".join([root, *earlier]),
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"<status.{message_domain()}>",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(self.html.replace(self.probe_token, own_token), "text/html")
        return message

    @cached_property
    def sender(self) -> str:
        """The envelope sender, as Django's SMTP backend gives it."""
        return sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)

    @cached_property
    def _wire(self) -> tuple[list[bytes], list[bytes]] | None:
        """The probe's message as Django's SMTP backend sends it, cut at the stand-ins: (the
        bytes between them, the stand-ins in order). None when the encoding hid a stand-in (a
        body line over 998 characters is sent quoted-printable, which may break a link across
        lines): then every copy takes Django's path."""
        counts = {
            self.probe.email.encode(): 1,  # To
            self.probe.public_id.encode(): 1 + len(self.earlier),  # Message-ID, References
            self.probe_token.encode(): (  # List-Unsubscribe, and the links in both parts
                1 + self.text.count(self.probe_token) + self.html.count(self.probe_token)
            ),
        }
        wire = self._message(self.probe, self.probe_token).message().as_bytes(linesep="\r\n")
        if any(wire.count(stand_in) != count for stand_in, count in counts.items()):
            return None
        pieces = re.split(b"(" + b"|".join(map(re.escape, counts)) + b")", wire)
        return pieces[0::2], pieces[1::2]

    def wire_for(self, subscriber: Subscriber) -> bytes | None:
        """The subscriber's copy as the bytes to send, or None when it must take Django's path."""
        if self._wire is None or not PLAIN_ADDRESS.fullmatch(subscriber.email):
            return None
        between, stand_ins = self._wire
        own = {
            self.probe.email.encode(): subscriber.email.encode(),
            self.probe.public_id.encode(): subscriber.public_id.encode(),
            self.probe_token.encode(): subscriber.manage_token().encode(),
        }
        copy = [between[0]]
        for stand_in, following in zip(stand_ins, between[1:], strict=True):
            copy += (own[stand_in], following)
        return b"".join(copy)


def smtp_refusal(error: Exception) -> tuple[str, bool]:
    """What went wrong, without secrets, and whether it is final for this recipient (5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        [(code, reply)] = list(error.recipients.values())[:1] or [(0, b"")]
        return f"The mail server refused the address: {code} {_text(reply)}", code >= 500
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return (
            f"The mail server refused the message: {error.smtp_code} {_text(error.smtp_error)}",
            (error.smtp_code >= 500 and isinstance(error, smtplib.SMTPDataError)),
        )
    return f"The mail server could not be reached: {type(error).__name__}: {error}"[:500], False


def _text(reply) -> str:
    return (reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply))[:300]


def _send(backend, mail: EventMail, subscriber: Subscriber) -> bool:
    """Hand one copy to the mail server; False when there is no address to send to."""
    # Django's own SMTP backend (not a subclass, which may change what it sends): its open
    # smtplib connection takes the bytes as they are.
    if type(backend) is SMTPBackend and (wire := mail.wire_for(subscriber)) is not None:
        backend.connection.sendmail(mail.sender, [subscriber.email], wire)
        return True
    return bool(backend.send_messages([mail.for_subscriber(subscriber)]))


def in_flight_at_most() -> int:
    """Messages handed to the mail server and not yet recorded, at most: two per connection,
    so each connection sends its next message while the job's thread records the ones
    accepted (together, in one statement). A worker killed mid-batch sends these again, with
    the same Message-ID."""
    return 2 * settings.CLEARLINE_EMAIL_CONNECTIONS


def send_emails(
    rows: list[Delivery], source: Notice, token: str, deadline: float
) -> dict[str, int]:
    """Send one event's emails over a few SMTP connections, each on a thread of its own, while
    this thread records every message as it is accepted: the rate is the mail server's, not
    the sum of sending and recording."""
    outcome: dict[str, int] = defaultdict(int)
    mail = EventMail.render(source)
    backends = [get_connection(fail_silently=False)]
    try:
        backends[0].open()
    except Exception as error:  # refused, timed out, bad login: every row tries again later
        problem, _ = smtp_refusal(error)
        for row in rows:
            outcome[retry.attempt_failed(row, token, problem)] += 1
        return dict(outcome)
    backends += [
        get_connection(fail_silently=False)
        for _ in range(min(settings.CLEARLINE_EMAIL_CONNECTIONS, len(rows)) - 1)
    ]
    work = Rows(rows, deadline)
    sent = ahead([_hand_over(backend, mail, work) for backend in backends], in_flight_at_most())
    try:
        for answers in sent:
            accepted = []
            for row, answer in answers:
                if answer is True:
                    accepted.append(row)
                elif isinstance(answer, Gone):
                    outcome[retry.attempt_failed(row, token, answer.problem)] += 1
                elif isinstance(answer, str):  # this row only, for good
                    outcome[retry.give_up(row, token, answer)] += 1
                else:  # one address refused; the connection stays good
                    give = retry.give_up if answer.final else retry.attempt_failed
                    outcome[give(row, token, answer.problem)] += 1
            outcome[DeliveryState.DELIVERED] += mark_delivered(accepted, token)
        rest = rows[work.taken :]
        if work.gone is not None:  # the server went away: the rows not reached retry too
            for row in rest:
                outcome[retry.attempt_failed(row, token, work.gone)] += 1
        elif rest:  # the job's time is up: they go back to the queue
            outcome[DeliveryState.PENDING] += retry.hand_back(rest, token)
    finally:
        # On an error here (the database gone, say), no row is taken any more, and the threads
        # end before their connections close.
        work.close()
        sent.close()
        for backend in backends:
            try:
                backend.close()
            except Exception:  # noqa: S110 -- a connection already gone has nothing to close
                pass
    return dict(outcome)


@dataclass
class Refused:
    problem: str
    final: bool


@dataclass
class Gone:
    problem: str


class Rows:
    """A job's rows, taken in order by its connections' threads; none is taken after the
    deadline (but at least one per job, so a batch always moves on however slow the server)
    or once the server went away."""

    def __init__(self, rows: list[Delivery], deadline: float) -> None:
        self.rows, self.deadline = rows, deadline
        self.taken = 0
        self.gone: str | None = None  # why the server went away, once it did
        self.closed = False  # the job ended: its threads take nothing more
        self._lock = threading.Lock()

    def take(self) -> Delivery | None:
        with self._lock:
            if self.closed or self.gone is not None or self.taken == len(self.rows):
                return None
            if self.taken and time.monotonic() > self.deadline:
                return None
            self.taken += 1
            return self.rows[self.taken - 1]

    def server_gone(self, problem: str) -> None:
        """Take no more rows: the server went away, for `problem` (the first one told)."""
        with self._lock:
            if self.gone is None:
                self.gone = problem

    def close(self) -> None:
        """Take no more rows: the job ends."""
        with self._lock:
            self.closed = True


def _hand_over(backend, mail: EventMail, rows: Rows) -> Iterator[tuple[Delivery, object]]:
    """Send the rows this connection takes; yields (row, answer), where answer is True
    (accepted), a reason the row is given up, Refused or Gone. Reads and writes no database:
    it runs on a thread of its own."""
    try:
        backend.open()  # the job's first connection is open already: nothing happens
    except Exception:  # noqa: BLE001 -- an extra connection refused: the others carry on
        return
    while (row := rows.take()) is not None:
        stopped = why_stopped(row)
        if stopped:
            yield row, stopped
            continue
        try:
            sent = _send(backend, mail, row.subscriber)
        except ValueError as error:
            # An address no mail server would take (Django refuses it before sending): only
            # this row fails, and trying again would not help.
            yield row, f"The address cannot be used: {error}"[:500]
            continue
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
            yield row, Refused(*smtp_refusal(error))
            continue
        except Exception as error:
            problem, _ = smtp_refusal(error)
            rows.server_gone(problem)
            yield row, Gone(problem)
            return
        # No address at all: Django sends nothing and says so.
        yield row, True if sent else "Not sent: the subscriber has no address."


def ahead(producers: list[Iterator[T]], depth: int) -> Iterator[list[T]]:
    """The items of `producers`, each run on a thread of its own, as they come: every item
    that arrived since the caller last asked (at least one). Together the producers run at most
    `depth` items ahead of the caller: an item counts until the caller asks for more. An error
    in a producer is raised here."""
    slots = threading.Semaphore(depth)
    handed: queue.SimpleQueue = queue.SimpleQueue()
    stopping = threading.Event()
    finished = object()

    def produce(items: Iterator[T]) -> None:
        error = None
        try:
            while slots.acquire() and not stopping.is_set():
                item = next(items, finished)
                if item is finished:
                    slots.release()
                    break
                handed.put((item, None))
        except BaseException as raised:  # noqa: BLE001 -- handed to the caller's thread
            error = raised
        handed.put((finished, error))

    threads = [
        threading.Thread(target=produce, args=(items,), name="clearline-send", daemon=True)
        for items in producers
    ]
    for thread in threads:
        thread.start()
    try:
        running = len(threads)
        while running:
            arrived = [handed.get()]
            while not handed.empty():
                arrived.append(handed.get())
            items = [item for item, _ in arrived if item is not finished]
            running -= len(arrived) - len(items)
            if items:  # recorded before any error is raised: each was sent
                yield items
                for _ in items:
                    slots.release()
            for _, error in arrived:
                if error is not None:
                    raise error
    finally:
        stopping.set()
        for _ in threads:
            slots.release()
        for thread in threads:
            thread.join()
