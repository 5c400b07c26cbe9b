"""The update as an outbound webhook, signed per the Standard Webhooks specification.

The payload follows the specification's shape: `type`, `timestamp` (when the event happened) and
`data`. The message id is the update's, so a retry of the same event carries the same id and a
receiver can drop the duplicate.
"""

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

from clearline.channels.source import ApprovedMaintenance, ApprovedUpdate, Notice
from clearline.statuspage.v2 import iso

SECRET_PREFIX = "whsec_"  # noqa: S105 -- the format's marker, not a secret


def new_signing_secret() -> str:
    """A fresh endpoint secret in the specification's format: whsec_ and 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _page(source: Notice) -> dict[str, str]:
    org = source.org
    return {"id": org.public_id, "name": org.name, "url": source.page_url}


def _parts(source: Notice) -> list[dict[str, str]]:
    return [
        {"id": part.public_id, "name": part.name, "status": part.status}
        for part in source.components
    ]


def webhook_payload(source: Notice) -> dict[str, Any]:
    if isinstance(source, ApprovedMaintenance):
        return maintenance_payload(source)
    update, incident, org = source.update, source.update.incident, source.org
    return {
        "type": source.event,
        "timestamp": iso(source.occurred_at, org),
        "data": {
            "page": _page(source),
            "incident": {
                "id": incident.public_id,
                "name": source.title,
                "status": update.status,
                "impact": incident.impact,
                "url": source.incident_url,
                "started_at": iso(incident.started_at, org),
                "components": _parts(source),
            },
            "update": {
                "id": update.public_id,
                "status": update.status,
                "kind": update.kind,
                "body": update.body,
                "published_at": iso(update.published_at, org),
                "next_update_due": None if source.resolved else iso(update.next_update_due, org),
            },
        },
    }


@dataclass(frozen=True)
class SignedWebhook:
    body: bytes
    headers: dict[str, str]


def maintenance_payload(source: ApprovedMaintenance) -> dict[str, Any]:
    m, org = source.maintenance, source.org
    return {
        "type": source.event,
        "timestamp": iso(source.occurred_at, org),
        "data": {
            "page": _page(source),
            "maintenance": {
                "id": m.public_id,
                "name": source.title,
                "status": m.status,
                "url": source.incident_url,
                "scheduled_for": iso(m.scheduled_for, org),
                "scheduled_until": iso(m.scheduled_until, org),
                "body": m.description,
                "components": _parts(source),
            },
        },
    }


def message_id(source: Notice) -> str:
    """The same for every endpoint and every retry of one event."""
    if isinstance(source, ApprovedMaintenance):
        return f"msg_{source.maintenance.public_id}_{source.event_id}"
    return f"msg_{source.update.public_id}"


def _compact(payload: dict[str, Any]) -> str:
    # Compact and UTF-8: the signature covers these bytes, so they are built once, here.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _signed(text: str, *, msg_id: str, secret: str, now: datetime) -> SignedWebhook:
    # The library reads the time as UTC whatever its zone says, so give it UTC.
    sent = now.astimezone(UTC)
    return SignedWebhook(
        body=text.encode(),
        headers={
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(sent.timestamp())),
            "webhook-signature": Webhook(secret).sign(msg_id=msg_id, timestamp=sent, data=text),
        },
    )


@dataclass(frozen=True)
class WebhookEvent:
    """One update's webhook, built once; each endpoint gets it signed with its own secret."""

    msg_id: str
    text: str

    @classmethod
    def of(cls, source: Notice) -> "WebhookEvent":
        return cls(msg_id=message_id(source), text=_compact(webhook_payload(source)))

    def signed(self, *, secret: str, now: datetime) -> SignedWebhook:
        """The exact bytes to POST and the headers that prove they came from us, as of `now`."""
        return _signed(self.text, msg_id=self.msg_id, secret=secret, now=now)


def signed_webhook(source: ApprovedUpdate, *, secret: str, now: datetime) -> SignedWebhook:
    """The exact bytes to POST and the headers that prove they came from us, as of `now`."""
    return WebhookEvent.of(source).signed(secret=secret, now=now)


def sign(payload: dict[str, Any], *, msg_id: str, secret: str, now: datetime) -> SignedWebhook:
    """Any event as Standard Webhooks bytes and headers, signed with `secret` as of `now`."""
    return _signed(_compact(payload), msg_id=msg_id, secret=secret, now=now)
