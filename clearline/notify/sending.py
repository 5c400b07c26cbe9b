"""Sending claimed deliveries: a batch of emails over one SMTP connection, a batch of webhooks
and Slack messages side by side.

A job claims its rows with one conditional UPDATE, so two workers never hold the same row, and
marks each row delivered as soon as its message is accepted: a worker killed mid-batch repeats
at most the message in flight (with the same Message-ID or webhook-id, so a receiver can drop it).
Nothing here runs inside a transaction: each row's UPDATE commits on its own.
"""

import json
import smtplib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import close_old_connections, connection, connections
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.html import escape

from clearline.channels.chat import slack_message
from clearline.channels.mail import email_message
from clearline.channels.source import ApprovedUpdate, approved_update
from clearline.channels.webhook import signed_webhook
from clearline.notify import links, retry
from clearline.notify.addresses import AddressRefused, resolve
from clearline.notify.models import Channel, Delivery, DeliveryState, Subscriber
from clearline.notify.post import PostFailed, post
from clearline.updates.models import Update
from clearline.updates.selectors import public_updates

# Stand-ins rendered into the message once per event, replaced per subscriber.
UNSUBSCRIBE_MARK = "https://unsubscribe.clearline.invalid/0"
MANAGE_MARK = "https://manage.clearline.invalid/0"


def claim(delivery_ids: list[int], *, now: datetime | None = None) -> tuple[str, list[Delivery]]:
    """Take the rows of `delivery_ids` that are due and free; (claim token, rows taken)."""
    now = now or timezone.now()
    token = get_random_string(20)
    free = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_until__lt=now
    )
    Delivery.objects.filter(free, pk__in=delivery_ids).update(
        state=DeliveryState.SENDING,
        claimed_by=token,
        claimed_until=now + timedelta(seconds=settings.CLEARLINE_DELIVERY_LEASE_SECONDS),
        attempts=F("attempts") + 1,
    )
    rows = list(
        Delivery.objects.filter(pk__in=delivery_ids, claimed_by=token, state=DeliveryState.SENDING)
        .select_related("subscriber", "event")
        .order_by("pk")
    )
    return token, rows


@contextmanager
def quick_commits() -> Iterator[None]:
    """On PostgreSQL, commit the per-message marks without waiting for the disk.

    A killed worker loses nothing by it (the server has the commit); only a crash of the database
    server itself can forget the last fraction of a second of marks, whose messages are then sent
    again, with the same ids. Waiting for the disk on every mark halves the sending rate.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Send what can be claimed of these rows; counts of each outcome, for logs and tests."""
    with quick_commits():
        return _send_claimed(delivery_ids)


def _send_claimed(delivery_ids: list[int]) -> dict[str, int]:
    token, rows = claim(delivery_ids)
    outcome: dict[str, int] = defaultdict(int)
    by_event: dict[int, list[Delivery]] = defaultdict(list)
    for row in rows:
        by_event[row.event_id].append(row)
    # Half the lease: a batch that runs long hands back what it has not reached, so its claim
    # never lapses while it still sends (which would let a second worker send the same rows).
    deadline = time.monotonic() + settings.CLEARLINE_DELIVERY_LEASE_SECONDS / 2
    for event_rows in by_event.values():
        source = _source(event_rows[0])
        if source is None:
            for row in event_rows:
                outcome[retry.give_up(row, token, "Not sent: the update is no longer public.")] += 1
            continue
        emails = [row for row in event_rows if row.channel == Channel.EMAIL]
        endpoints = [row for row in event_rows if row.channel != Channel.EMAIL]
        if emails:
            for state, count in send_emails(emails, source, token, deadline).items():
                outcome[state] += count
        if endpoints:
            for state, count in send_to_endpoints(endpoints, source, token).items():
                outcome[state] += count
    return dict(outcome)


def _source(row: Delivery) -> ApprovedUpdate | None:
    """The approved text the event carries, if it is still public."""
    from clearline.notify.fanout import audience_of

    update = audience_of(row.event)
    return approved_update(update) if update else None


def _stopped(row: Delivery) -> str | None:
    """Why a subscriber stopped hearing from us since the row was written, or None."""
    sub = row.subscriber
    if sub.unsubscribed_at:
        return "Not sent: the subscriber unsubscribed."
    if sub.suppressed_at:
        return f"Not sent: mail to this address is stopped ({sub.suppressed_reason})."
    if sub.disabled_at:
        return f"Not sent: the endpoint is switched off ({sub.disabled_reason})."
    return None


def mark_delivered(row: Delivery, token: str) -> bool:
    """Record one accepted message, at once; False if another worker took the row over."""
    taken = Delivery.objects.filter(pk=row.pk, claimed_by=token, state=DeliveryState.SENDING)
    return bool(
        taken.update(
            state=DeliveryState.DELIVERED,
            delivered_at=timezone.now(),
            claimed_until=None,
            last_error="",
        )
    )


# Email


def message_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "clearline.invalid"


def thread_root(update: Update) -> str:
    """The Message-ID every message about one incident replies to, so mail programs thread them."""
    return f"<incident.{update.incident.public_id}@{message_domain()}>"


def update_message_id(update_public_id: str, subscriber: Subscriber) -> str:
    """Unique per update and subscriber, and the same when a message is sent again."""
    return f"<update.{update_public_id}.{subscriber.public_id}@{message_domain()}>"


def _per_subscriber(link: Callable[[Subscriber], str]) -> Callable[[Subscriber], str]:
    """`link` built once; per subscriber only the signed token in it changes (no query each)."""
    probe = Subscriber(public_id="probe")
    token = probe.manage_token()
    before, found, after = link(probe).partition(token)
    if not found:
        return link
    return lambda subscriber: before + subscriber.manage_token() + after


@dataclass
class EventMail:
    """The event's message rendered once; each subscriber's copy differs only in its links."""

    source: ApprovedUpdate
    subject: str
    text: str
    html: str
    earlier: list[str]  # public ids of the incident's earlier public updates, oldest first
    unsubscribe_url: Callable[[Subscriber], str]
    manage_url: Callable[[Subscriber], str]

    @classmethod
    def render(cls, source: ApprovedUpdate) -> "EventMail":
        message = email_message(
            source, to=[], unsubscribe_url=UNSUBSCRIBE_MARK, manage_url=MANAGE_MARK
        )
        [(html, _)] = message.alternatives
        update = source.update
        earlier = (
            public_updates(update.incident_id)
            .filter(published_at__lt=update.published_at)
            .order_by("published_at", "pk")
        )
        return cls(
            source=source,
            subject=message.subject,
            text=message.body,
            html=html,
            earlier=list(
                earlier.order_by("published_at", "pk").values_list("public_id", flat=True)
            ),
            unsubscribe_url=_per_subscriber(links.unsubscribe_url),
            manage_url=_per_subscriber(links.manage_url),
        )

    def for_subscriber(self, subscriber: Subscriber) -> EmailMultiAlternatives:
        unsubscribe, manage = self.unsubscribe_url(subscriber), self.manage_url(subscriber)
        update = self.source.update
        root = thread_root(update)
        earlier = [update_message_id(public_id, subscriber) for public_id in self.earlier]
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={
                "Message-ID": update_message_id(update.public_id, subscriber),
                "In-Reply-To": root,
                "References": " ".join([root, *earlier]),
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"<status.{message_domain()}>",
                "Auto-Submitted": "auto-generated",
            },
        )
        html = self.html.replace(UNSUBSCRIBE_MARK, escape(unsubscribe))
        message.attach_alternative(html.replace(MANAGE_MARK, escape(manage)), "text/html")
        return message


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


def send_emails(
    rows: list[Delivery], source: ApprovedUpdate, token: str, deadline: float
) -> dict[str, int]:
    """Send one event's emails over one SMTP connection, recording each as it goes."""
    outcome: dict[str, int] = defaultdict(int)
    mail = EventMail.render(source)
    connection = get_connection(fail_silently=False)
    remaining = list(rows)
    try:
        connection.open()
    except Exception as error:  # refused, timed out, bad login: every row tries again later
        problem, _ = smtp_refusal(error)
        for row in remaining:
            outcome[retry.attempt_failed(row, token, problem)] += 1
        return dict(outcome)
    try:
        while remaining:
            row = remaining.pop(0)
            # At least one message per job, so a batch always moves on however slow the server.
            if len(remaining) + 1 < len(rows) and time.monotonic() > deadline:
                outcome[DeliveryState.PENDING] += retry.hand_back([row, *remaining], token)
                break
            stopped = _stopped(row)
            if stopped:
                outcome[retry.give_up(row, token, stopped)] += 1
                continue
            try:
                sent = connection.send_messages([mail.for_subscriber(row.subscriber)])
            except ValueError as error:
                # An address no mail server would take (Django refuses it before sending):
                # only this row fails, and trying again would not help.
                problem = f"The address cannot be used: {error}"[:500]
                outcome[retry.give_up(row, token, problem)] += 1
                continue
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                # One address refused; the connection stays good for the rest.
                problem, final = smtp_refusal(error)
                give = retry.give_up if final else retry.attempt_failed
                outcome[give(row, token, problem)] += 1
                continue
            except Exception as error:  # the server went away: this row and the rest retry
                problem, _ = smtp_refusal(error)
                for failed in [row, *remaining]:
                    outcome[retry.attempt_failed(failed, token, problem)] += 1
                break
            if not sent:  # no address at all: Django sends nothing and says so
                outcome[retry.give_up(row, token, "Not sent: the subscriber has no address.")] += 1
            elif mark_delivered(row, token):
                outcome[DeliveryState.DELIVERED] += 1
    finally:
        try:
            connection.close()
        except Exception:  # noqa: S110 -- a connection already gone has nothing left to close
            pass
    return dict(outcome)


# Webhooks and Slack


def send_to_endpoints(rows: list[Delivery], source: ApprovedUpdate, token: str) -> dict[str, int]:
    """POST to every endpoint of the batch side by side: a hanging one holds up only itself."""
    slack_body = json.dumps(slack_message(source), ensure_ascii=False).encode()
    outcome: dict[str, int] = defaultdict(int)

    def one(row: Delivery) -> str:
        try:
            return send_to_endpoint(row, source, token, slack_body)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(rows), thread_name_prefix="webhook") as pool:
        for state in pool.map(one, rows):
            outcome[state] += 1
    return dict(outcome)


def send_to_endpoint(row: Delivery, source: ApprovedUpdate, token: str, slack_body: bytes) -> str:
    """One POST, its address checked now (the name may point elsewhere since it was given)."""
    close_old_connections()
    sub = row.subscriber
    stopped = _stopped(row)
    if stopped:
        return retry.give_up(row, token, stopped)
    if sub.channel == Channel.SLACK:
        body, headers = slack_body, {"content-type": "application/json"}
    else:
        signed = signed_webhook(source, secret=sub.secret, now=timezone.now())
        body, headers = signed.body, signed.headers
    try:
        _, _, addresses = resolve(sub.url)
        post(sub.url, addresses[0], body=body, headers=headers)
    except AddressRefused as refused:
        state = retry.attempt_failed(row, token, refused.message)
    except PostFailed as failed:
        state = retry.attempt_failed(row, token, str(failed))
    else:
        state = DeliveryState.DELIVERED if mark_delivered(row, token) else DeliveryState.SENDING
        retry.endpoint_answered(sub)
        return state
    retry.endpoint_failed(sub)
    return state
