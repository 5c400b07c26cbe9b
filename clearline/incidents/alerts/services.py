"""Alert deliveries become internal draft incidents and timeline entries. One transaction each.

An alert never publishes anything and never resolves an incident: a person decides what
customers read and when an incident is over.
"""

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from clearline.core import audit, limits, permissions
from clearline.core.errors import ClearlineError
from clearline.incidents.alerts import alertmanager, pagerduty, reading
from clearline.incidents.alerts.auth import new_token, set_secret
from clearline.incidents.alerts.wording import (
    COMPONENT_STATUS_FOR_IMPACT,
    DRAFT_NOTE,
    doubtful_start,
)
from clearline.incidents.models import (
    AlertLink,
    AlertSource,
    AlertSourceKind,
    Incident,
    TimelineKind,
    Visibility,
)
from clearline.incidents.services import add_timeline_entry, open_incident

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """What a delivery did: the incident it opened or added to, or why it was set aside."""

    incident: Incident | None = None
    created: bool = False
    entries: int = 0
    ignored: str = ""


class Opening(Protocol):
    """What clearline reads from an alert it has not seen before, to open an incident for it."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def impact(self) -> str | None: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def noticed_at(self) -> datetime | None: ...  # None: when the delivery arrived
    @property
    def url(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def seen(self) -> dict[str, list[str]]: ...
    def opening_text(self, *, source_name: str) -> str: ...


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _locked_link(source: AlertSource, key: str) -> AlertLink | None:
    return (
        AlertLink.objects.select_for_update()
        .select_related("incident")
        .filter(source=source, key_digest=key_digest(key))
        .first()
    )


def _open(source: AlertSource, link: AlertLink | None, opening: Opening) -> AlertLink | None:
    """Open the internal incident and tie the key to it; None when a concurrent delivery of the
    same key got there first (its incident stands, this one is rolled back)."""
    impact = opening.impact or source.default_impact
    status = COMPONENT_STATUS_FOR_IMPACT[impact]
    now = timezone.now()
    # An alert is never lost over its time: a start no clock could mean is set aside and said so.
    notes = [DRAFT_NOTE]
    if reading.doubtful(opening.started_at):
        notes.insert(0, doubtful_start(opening.started_at))
    try:
        with transaction.atomic():
            incident = open_incident(
                by=permissions.SYSTEM,
                title=limits.fit(opening.title, limits.TITLE),
                started_at=reading.not_after_now(opening.started_at),
                detected_at=now,
                impact=impact,
                visibility=Visibility.INTERNAL,
                components={c: status for c in source.default_components.all()},
            )
            add_timeline_entry(
                incident=incident,
                by=permissions.SYSTEM,
                kind=TimelineKind.NOTICED,
                text=limits.fit(
                    "\n".join([opening.opening_text(source_name=source.name), *notes]),
                    limits.TIMELINE_TEXT,
                ),
                occurred_at=reading.not_after_now(opening.noticed_at),
            )
            link = link or AlertLink(
                source=source, external_key=opening.key, key_digest=key_digest(opening.key)
            )
            link.incident = incident
            link.first_seen_at = link.first_seen_at or now
            link.last_seen_at = now
            link.last_status = opening.status
            link.external_url = opening.url[:500]
            link.seen = opening.seen
            link.save()
            audit.record(
                actor=permissions.SYSTEM,
                action="alert.opened",
                obj=incident,
                summary=f"{source.name} opened an internal incident “{incident.title}”",
                changes={"source": source.public_id, "key": opening.key[:200]},
            )
    except IntegrityError:
        log.info(
            "alert source %s: a concurrent delivery opened the incident first", source.public_id
        )
        return None
    log.info("alert source %s opened incident %s", source.public_id, incident.public_id)
    return link


def _claim(
    source: AlertSource, opening: Opening, *, may_open: bool, why_not: str
) -> AlertLink | Receipt:
    """The key's link, locked, for a delivery to add to; or, when there is none or its incident
    is over, the receipt of a delivery that opened a new incident or was set aside."""
    link = _locked_link(source, opening.key)
    if link is not None and not link.incident.is_resolved:
        return link
    if not may_open:
        return _ignore(source, why_not)
    opened = _open(source, link, opening)
    if opened is not None:
        return Receipt(incident=opened.incident, created=True, entries=1)
    # A concurrent delivery holds the key now; this one continues as a repeat of it.
    winner = _locked_link(source, opening.key)
    assert winner is not None  # the unique key that refused this insert belongs to it
    return winner


def _record(link: AlertLink, news: list[tuple[str, datetime | None]], **changes: Any) -> Receipt:
    for text, occurred_at in news:
        add_timeline_entry(
            incident=link.incident,
            by=permissions.SYSTEM,
            kind=TimelineKind.NOTE,
            text=limits.fit(text, limits.TIMELINE_TEXT),
            occurred_at=reading.not_after_now(occurred_at),
        )
    for name, value in changes.items():
        setattr(link, name, value)
    link.last_seen_at = timezone.now()
    link.save()
    return Receipt(incident=link.incident, entries=len(news))


def _ignore(source: AlertSource, reason: str) -> Receipt:
    log.info("alert source %s: delivery ignored: %s", source.public_id, reason)
    return Receipt(ignored=reason)


def _delivery(receive: Callable[..., Receipt]) -> Callable[..., Receipt]:
    """One transaction per delivery. The source's last-delivery time is written last: its row
    lock would otherwise queue every delivery behind the first, and it is the alert key's
    unique index, not that lock, that keeps concurrent deliveries to one incident."""

    @functools.wraps(receive)
    @transaction.atomic
    def deliver(*, source: AlertSource, **body: Any) -> Receipt:
        receipt = receive(source=source, **body)
        AlertSource.objects.filter(pk=source.pk).update(last_delivery_at=timezone.now())
        return receipt

    return deliver


@_delivery
def receive_alertmanager(*, source: AlertSource, payload: Any) -> Receipt:
    """One Alertmanager notification (webhook payload version 4), keyed by its groupKey."""
    group = alertmanager.read_group(payload)
    link = _claim(
        source,
        group,
        may_open=bool(group.firing),
        why_not="resolved alerts for a group with no open incident",
    )
    if isinstance(link, Receipt):
        return link
    news = alertmanager.changes(
        group=group,
        seen_firing=set(link.seen.get("firing", [])),
        last_status=link.last_status,
    )
    return _record(link, news, last_status=group.status, seen=group.seen)


# PagerDuty delivers at least once; the ids of recent events tell a retry from news.
REMEMBERED_EVENTS = 50


@_delivery
def receive_pagerduty(*, source: AlertSource, event: Any) -> Receipt:
    """One PagerDuty v3 webhook event, keyed by the PagerDuty incident's id."""
    occurrence = pagerduty.read_event(event)
    if not occurrence.handled:
        return _ignore(source, f"PagerDuty event type {occurrence.event_type!r} is not used")
    link = _claim(
        source,
        occurrence,
        may_open=occurrence.opens,
        why_not=f"{occurrence.event_type} for PagerDuty incident {occurrence.incident_id}, "
        "which has no open clearline incident",
    )
    if isinstance(link, Receipt):
        return link
    seen_events = link.seen.get("events", [])
    if occurrence.id in seen_events:
        return _record(link, [])
    return _record(
        link,
        [(occurrence.entry_text(), occurrence.occurred_at)],
        last_status=occurrence.event_type,
        seen={"events": [*seen_events, occurrence.id][-REMEMBERED_EVENTS:]},
    )


@transaction.atomic
def issue_alertmanager_token(*, source: AlertSource, by) -> str:
    """A new bearer token for an Alertmanager source; the old one stops working at once.

    The raw token is returned once and never stored."""
    permissions.require_perm(by, "incidents.change_alertsource")
    if source.kind != AlertSourceKind.ALERTMANAGER:
        raise ClearlineError("Only Alertmanager sources use bearer tokens.", field="kind")
    raw = new_token()
    set_secret(source, raw)
    source.save(update_fields=["token_hash", "signing_secret", "updated_at"])
    audit.record(
        actor=by,
        action="alert_source.token_issued",
        obj=source,
        summary=f"Issued a new token for alert source “{source.name}”",
    )
    return raw
