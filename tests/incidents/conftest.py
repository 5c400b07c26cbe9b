import hashlib
import hmac
from pathlib import Path

import pytest

from tests.factories import make_alert_source

FIXTURES = Path(__file__).parent / "fixtures"


def delivery(name: str) -> bytes:
    """A webhook body exactly as the tool sends it (the raw bytes PagerDuty signs)."""
    return (FIXTURES / f"{name}.json").read_bytes()


def sign(secret: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def alertmanager(db):
    """An Alertmanager source and a sender that posts with its bearer token."""
    source, token = make_alert_source("alertmanager", name="Prometheus production")

    def send(client, body: bytes, *, token: str = token, source=source, slash: str = "/"):
        return client.post(
            f"/hooks/alertmanager/{source.public_id}{slash}",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )

    send.source, send.token = source, token
    return send


@pytest.fixture
def pagerduty(db):
    """A PagerDuty source and a sender that signs like a PagerDuty webhook subscription."""
    source, secret = make_alert_source("pagerduty", name="PagerDuty payments")

    def send(client, body: bytes, *, signature: str | None = None, source=source):
        return client.post(
            f"/hooks/pagerduty/{source.public_id}/",
            body,
            content_type="application/json",
            headers={"X-PagerDuty-Signature": signature or sign(secret, body)},
        )

    send.source, send.secret = source, secret
    return send
