"""Sending claimed deliveries: a batch of emails over one SMTP connection (`emails`), a batch of
webhooks and Slack messages side by side.

A job claims its rows (`claims.claim`) and marks each row delivered as soon as its message is
accepted: a worker killed mid-batch repeats at most the message in flight (with the same
Message-ID or webhook-id, so a receiver can drop it). Nothing here runs inside a transaction:
each row's UPDATE commits on its own.
"""

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from clearline.channels.chat import slack_message
from clearline.channels.source import Notice, approved_update, maintenance_notice
from clearline.channels.webhook import WebhookEvent
from clearline.incidents.models import Maintenance
from clearline.notify import retry
from clearline.notify.addresses import AddressRefused, resolve
from clearline.notify.claims import claim, mark_delivered, why_stopped
from clearline.notify.emails import send_emails
from clearline.notify.models import Channel, Delivery, DeliveryState
from clearline.notify.post import PostFailed, post


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
                outcome[retry.give_up(row, token, "Not sent: it is no longer public.")] += 1
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


def _source(row: Delivery) -> Notice | None:
    """The approved text the event carries, if it is still public."""
    from clearline.notify.fanout import audience_of

    told = audience_of(row.event)
    if told is None:
        return None
    if isinstance(told, Maintenance):
        return maintenance_notice(told, row.event)
    return approved_update(told)


# Webhooks and Slack


def send_to_endpoints(rows: list[Delivery], source: Notice, token: str) -> dict[str, int]:
    """POST to every endpoint of the batch side by side: a hanging one holds up only itself.

    The threads only resolve and POST; each answer is recorded here, in the job's thread, as it
    comes: a database connection per thread would cost more than the POST.
    """
    outcome: dict[str, int] = defaultdict(int)
    slack_body = json.dumps(slack_message(source), ensure_ascii=False).encode()
    webhook = WebhookEvent.of(source)
    pool = _posting_threads(len(rows))
    posts = {}
    try:
        for row in rows:
            stopped = why_stopped(row)
            if stopped:
                outcome[retry.give_up(row, token, stopped)] += 1
                continue
            sub = row.subscriber
            if sub.channel == Channel.SLACK:
                body, headers = slack_body, {"content-type": "application/json"}
            else:
                signed = webhook.signed(secret=sub.secret, now=timezone.now())
                body, headers = signed.body, signed.headers
            posts[pool.submit(post_checked, sub.url, body, headers)] = row
    finally:
        for done in as_completed(posts):
            outcome[record_answer(posts[done], token, done.result())] += 1
    return dict(outcome)


_pool: tuple[ThreadPoolExecutor, int] | None = None  # the threads, and how many


def _posting_threads(count: int) -> ThreadPoolExecutor:
    """At least `count` threads, kept from one batch to the next: starting a thread per POST
    cost as much as the POST. A batch has every thread (a worker runs its jobs one after
    another, and a batch ends with its last POST), so a hanging endpoint holds only itself."""
    global _pool
    if _pool is None or _pool[1] < count:
        if _pool is not None:
            _pool[0].shutdown(wait=False)
        _pool = (ThreadPoolExecutor(max_workers=count, thread_name_prefix="webhook"), count)
    return _pool[0]


def post_checked(url: str, body: bytes, headers: dict[str, str]) -> str | None:
    """One POST, its address checked now (the name may point elsewhere since it was given);
    None when it was accepted, else what went wrong."""
    try:
        _, _, addresses = resolve(url)
        post(url, addresses[0], body=body, headers=headers)
    except AddressRefused as refused:
        return refused.message
    except PostFailed as failed:
        return str(failed)
    return None


def record_answer(row: Delivery, token: str, problem: str | None) -> str:
    sub = row.subscriber
    if problem is not None:
        state = retry.attempt_failed(row, token, problem)
        retry.endpoint_failed(sub)
        return state
    if sub.failing_since is not None:
        retry.endpoint_answered(sub)
    return DeliveryState.DELIVERED if mark_delivered([row], token) else DeliveryState.SENDING
