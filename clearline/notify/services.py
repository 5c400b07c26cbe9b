"""Every change to a subscription: subscribe, confirm, choose components, unsubscribe, stop mail
to an address that bounced, and the staff's own adds, removals and imports.

The public functions take no `by`: anyone may subscribe an address, and only the holder of a
signed link (confirm, manage) acts on an existing subscription. Staff functions take `by`, check
the permission and leave an audit entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.channels.webhook import new_signing_secret
from clearline.core import audit, permissions
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.models import Component, Incident
from clearline.notify import addresses, tasks
from clearline.notify.links import subscriber_from_confirm_token
from clearline.notify.models import Channel, Subscriber
from clearline.statuspage import selectors as public

# An unconfirmed address gets at most one confirmation mail in this time, however often it is
# typed into the form: the form must not become a way to flood someone's inbox.
CONFIRMATION_INTERVAL = timedelta(hours=1)
URL_CHARS = 2000
# An import queues its confirmation mails in jobs of this many: 10,000 single jobs would cost
# more to queue than to send.
CONFIRMATIONS_PER_JOB = 100

LINK_REFUSED = (
    "This confirmation link has expired or is not valid. Subscribe again and we will send "
    "a new one."
)
CANCELLED = "This subscription was cancelled. Subscribe again to start receiving updates."
ALREADY_ENDPOINT = (
    "This address already receives updates. To change what it receives, use the manage "
    "link you were given when it subscribed."
)


@dataclass(frozen=True)
class Subscribed:
    subscriber: Subscriber
    # A webhook's signing secret: here once, at creation, and never shown again.
    secret: str = field(default="", repr=False)


def clean_email(value: str, *, field: str = "email") -> str:
    address = (value or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ClearlineError(
            "Enter an email address such as name@example.com.", field=field
        ) from None
    return address.lower()


def clean_url(value: str, *, field: str = "url") -> str:
    """A webhook or Slack address that leads somewhere clearline may send; refused naming
    `field` (private, loopback and link-local addresses among the refusals)."""
    url = (value or "").strip()
    if not url:
        raise ClearlineError("Enter the address to send updates to.", field=field)
    if len(url) > URL_CHARS:
        raise ClearlineError(f"Keep the address to {URL_CHARS:,} characters.", field=field)
    try:
        addresses.resolve(url)
    except addresses.AddressRefused as refused:
        raise ClearlineError(refused.message, field=field, code="refused") from None
    return url


def channel_for(url: str) -> str:
    """Slack's incoming webhooks take Slack's message format; every other endpoint the signed
    Standard Webhooks one."""
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return Channel.SLACK if host == "hooks.slack.com" else Channel.WEBHOOK


def public_components_named(ids: Iterable[str], *, field: str = "components") -> list[Component]:
    """The public components with these ids, in the order given; an unknown or hidden one is
    refused naming it."""
    wanted = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
    known = {c.public_id: c for c in public.public_components().filter(public_id__in=wanted)}
    for public_id in wanted:
        if public_id not in known:
            raise ClearlineError(
                f"No component on the status page has the id {public_id!r}.", field=field
            )
    return [known[i] for i in wanted]


def public_incident_named(public_id: str | None, *, field: str = "incident") -> Incident | None:
    if not public_id:
        return None
    incident = public.incident_by_public_id(public_id)
    if incident is None:
        raise ClearlineError(
            f"No incident on the status page has the id {public_id!r}.",
            field=field,
            code="not_found",
        )
    return incident


# --- What anyone may do --------------------------------------------------------------------


def subscribe_email(
    *, email: str, components: Iterable[str] = (), incident: str | None = None
) -> Subscriber:
    """An unconfirmed subscription and, at most once an hour, a mail with the confirmation link.

    Whatever the address's state, the caller sees the same outcome: whether it was already
    subscribed is not for a stranger to learn. A confirmed subscription is left as it is (its
    components change only through its manage link); a cancelled one asks for confirmation again.
    """
    address = clean_email(email)
    chosen = public_components_named(components)
    wanted_incident = public_incident_named(incident)
    return _email_subscription(address, chosen, wanted_incident, confirmed=False)[0]


def confirm(*, token: str) -> Subscriber:
    """The subscription a confirmation link names, confirmed (again is harmless)."""
    subscriber = subscriber_from_confirm_token(token)
    if subscriber is None:
        raise ClearlineError(LINK_REFUSED, field="token", code="expired")
    if subscriber.unsubscribed_at:
        raise ClearlineError(CANCELLED, field="token", code="cancelled")
    Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    subscriber.refresh_from_db()
    return subscriber


def subscribe_webhook(
    *,
    url: str,
    components: Iterable[str] = (),
    incident: str | None = None,
    channel: str | None = None,
) -> Subscribed:
    """A webhook or Slack subscription, confirmed at once: the endpoint's owner proves nothing
    by clicking, and a refused address never gets here. A webhook gets a fresh signing secret,
    returned this once."""
    address = clean_url(url)
    chosen = public_components_named(components)
    wanted_incident = public_incident_named(incident)
    return _endpoint_subscription(address, channel, chosen, wanted_incident)


@transaction.atomic
def update_components(*, subscriber: Subscriber, components: Iterable[str]) -> Subscriber:
    """Change what a subscription hears about; none chosen means everything."""
    chosen = public_components_named(components)
    subscriber.components.set(chosen)
    return subscriber


def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every message to this subscription; a second time changes nothing."""
    Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    subscriber.refresh_from_db()
    return subscriber


def suppress_address(*, email: str, reason: str) -> int:
    """Stop all mail to an address the mail provider reported as bouncing, rejected or marked
    as spam: every email subscription of it. The number of subscriptions stopped."""
    return Subscriber.objects.filter(
        channel=Channel.EMAIL, email__iexact=email.strip(), suppressed_at__isnull=True
    ).update(suppressed_at=timezone.now(), suppressed_reason=reason[:200])


# --- What staff do -------------------------------------------------------------------------


@transaction.atomic
def add_subscriber(
    *,
    by,
    email: str = "",
    endpoint: str = "",
    channel: str | None = None,
    components: Iterable[str] = (),
    incident: str | None = None,
    skip_confirmation: bool = False,
) -> Subscribed:
    """A subscription made by staff: an email one is confirmed at once with
    `skip_confirmation` (a list confirmed elsewhere), otherwise it gets the confirmation mail."""
    permissions.require_perm(by, "notify.add_subscriber")
    if bool(email) == bool(endpoint):
        raise ClearlineError(
            "Give either an email address or an endpoint, not both.", field="email"
        )
    chosen = public_components_named(components)
    wanted_incident = public_incident_named(incident)
    if email:
        address = clean_email(email)
        subscriber, existed = _email_subscription(
            address, chosen, wanted_incident, confirmed=skip_confirmation
        )
        if existed and subscriber.suppressed_at:
            raise Conflict(
                "Mail to this address stopped after it bounced or was marked as spam.",
                field="email",
            )
        if existed:
            raise Conflict("This address is subscribed already.", field="email")
        made = Subscribed(subscriber)
    else:
        made = _endpoint_subscription(
            clean_url(endpoint, field="endpoint"),
            channel,
            chosen,
            wanted_incident,
            field="endpoint",
        )
    audit.record(
        actor=by,
        action="subscriber.added",
        obj=made.subscriber,
        summary=f"Subscribed {made.subscriber.address} ({made.subscriber.channel})",
        changes={"confirmed": bool(made.subscriber.confirmed_at)},
    )
    return made


@transaction.atomic
def remove_subscriber(*, by, subscriber: Subscriber) -> Subscriber:
    """Unsubscribe on someone's behalf (they asked support, or the address is gone)."""
    permissions.require_perm(by, "notify.delete_subscriber")
    was = subscriber.unsubscribed_at
    unsubscribe(subscriber=subscriber)
    if was is None:
        audit.record(
            actor=by,
            action="subscriber.removed",
            obj=subscriber,
            summary=f"Unsubscribed {subscriber.address} ({subscriber.channel})",
        )
    return subscriber


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    url: str
    components: list[Component]
    confirmed: bool | None = None  # the file's status column; None: as the import says


@dataclass
class Imported:
    added: list[Subscribed] = field(default_factory=list)
    already: int = 0


IMPORT_BATCH = 1000


@transaction.atomic
def import_subscribers(*, by, rows: list[ImportRow], confirmed: bool, progress=None) -> Imported:
    """Rows already checked (notify.transfer reads and checks a file) become subscriptions, all
    in this one transaction. An address subscribed already is left as it is. Without
    `confirmed` each new address gets its confirmation mail."""
    permissions.require_perm(by, "notify.add_subscriber")
    result = Imported()
    for start in range(0, len(rows), IMPORT_BATCH):
        batch = rows[start : start + IMPORT_BATCH]
        _import_batch(batch, confirmed, result)
        if progress:
            progress(start + len(batch))
    audit.record(
        actor=by,
        action="subscribers.imported",
        obj=Organisation.current(),
        summary=f"Imported {len(result.added):,} subscribers ({result.already:,} already there)",
        changes={"confirmed": confirmed},
    )
    return result


def _import_batch(rows: list[ImportRow], confirmed: bool, result: Imported) -> None:
    """New addresses in a few bulk queries (a 10,000-row file in seconds); the rare address
    known already goes the way a single subscription does."""
    now = timezone.now()
    known = {
        s.email or s.url: s
        for s in Subscriber.objects.select_for_update().filter(
            Q(channel=Channel.EMAIL, email__in=[r.email for r in rows if r.email])
            | Q(url__in=[r.url for r in rows if r.url]),
            incident__isnull=True,
        )
    }
    fresh: list[tuple[ImportRow, Subscriber, str]] = []
    for row in rows:
        existing = known.get(row.email or row.url)
        wants = confirmed if row.confirmed is None else row.confirmed
        if existing is not None and (existing.is_active or existing.suppressed_at):
            result.already += 1
        elif existing is not None and row.email:
            result.added.append(
                Subscribed(_email_subscription(row.email, row.components, None, confirmed=wants)[0])
            )
        elif existing is not None:
            result.added.append(_endpoint_subscription(row.url, None, row.components, None))
        elif row.email:
            subscriber = Subscriber(
                channel=Channel.EMAIL,
                email=row.email,
                confirmed_at=now if wants else None,
                confirmation_sent_at=None if wants else now,
            )
            fresh.append((row, subscriber, ""))
        else:
            channel = channel_for(row.url)
            secret = new_signing_secret() if channel == Channel.WEBHOOK else ""
            subscriber = Subscriber(channel=channel, url=row.url, secret=secret, confirmed_at=now)
            fresh.append((row, subscriber, secret))
    Subscriber.objects.bulk_create([subscriber for _, subscriber, _ in fresh])
    through = Subscriber.components.through
    through.objects.bulk_create(
        [
            through(subscriber_id=subscriber.pk, component_id=component.pk)
            for row, subscriber, _ in fresh
            for component in row.components
        ]
    )
    result.added += [Subscribed(subscriber, secret) for _, subscriber, secret in fresh]
    waiting = [subscriber.pk for _, subscriber, _ in fresh if not subscriber.confirmed_at]
    for first in range(0, len(waiting), CONFIRMATIONS_PER_JOB):
        ids = waiting[first : first + CONFIRMATIONS_PER_JOB]
        transaction.on_commit(lambda ids=ids: tasks.send_confirmations.enqueue(ids))


# --- Shared by both ------------------------------------------------------------------------


def _email_subscription(
    address: str, chosen: list[Component], incident: Incident | None, *, confirmed: bool
) -> tuple[Subscriber, bool]:
    """(subscription, whether it was already active)."""
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            channel=Channel.EMAIL, email=address, incident=incident
        )
        # A bounced address stays stopped: only the provider's word or staff can undo that.
        if subscriber.is_active or subscriber.suppressed_at:
            return subscriber, True
        if subscriber.unsubscribed_at or subscriber.disabled_at:
            subscriber.unsubscribed_at = subscriber.disabled_at = None
            subscriber.confirmed_at = None
        if confirmed:
            subscriber.confirmed_at = now
        subscriber.save()
        subscriber.components.set(chosen)
        if not subscriber.confirmed_at:
            _queue_confirmation(subscriber, now)
    return subscriber, False


def _queue_confirmation(subscriber: Subscriber, now: datetime) -> bool:
    """Queue the confirmation mail unless one went out in the last hour or the address bounced.

    The conditional update claims the hour: two requests at once cannot both send.
    """
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk, suppressed_at__isnull=True)
        .filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lte=now - CONFIRMATION_INTERVAL)
        )
        .update(confirmation_sent_at=now)
    )
    if claimed:
        # After commit: the worker must find the row, and no mail is sent for a rolled-back one.
        transaction.on_commit(lambda: tasks.send_confirmation.enqueue(subscriber.pk))
    return bool(claimed)


def _endpoint_subscription(
    url: str,
    channel: str | None,
    chosen: list[Component],
    incident: Incident | None,
    *,
    field: str = "url",
) -> Subscribed:
    channel = channel or channel_for(url)
    if channel not in (Channel.WEBHOOK, Channel.SLACK):
        raise ClearlineError("Choose webhook or Slack for an address.", field="channel")
    now = timezone.now()
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(channel=channel, url=url, incident=incident)
            .first()
        )
        if subscriber is not None and subscriber.is_active:
            raise Conflict(ALREADY_ENDPOINT, field=field)
        subscriber = subscriber or Subscriber(channel=channel, url=url, incident=incident)
        secret = new_signing_secret() if channel == Channel.WEBHOOK else ""
        subscriber.secret = secret
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = subscriber.disabled_at = subscriber.failing_since = None
        subscriber.disabled_reason = ""
        subscriber.save()
        subscriber.components.set(chosen)
    return Subscribed(subscriber, secret)
