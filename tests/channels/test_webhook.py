"""Webhook receivers can prove an update came from us and was not changed on the way."""

import urllib.error
import urllib.request
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from clearline.channels.source import approved_update
from clearline.channels.webhook import new_signing_secret, signed_webhook, webhook_payload
from tests.channels.conftest import BODY
from tests.channels.receiver import WebhookReceiver
from tests.factories import publish


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def secret():
    return new_signing_secret()


def test_it_signs_the_payload_so_the_standard_library_verifies_it(update, secret):
    hook = signed_webhook(approved_update(update), secret=secret, now=timezone.now())
    payload = Webhook(secret).verify(hook.body, hook.headers)
    assert payload["data"]["update"]["body"] == BODY
    assert hook.headers["webhook-id"] == f"msg_{update.public_id}"


def test_it_is_accepted_by_a_real_receiver_over_http(update, secret):
    hook = signed_webhook(approved_update(update), secret=secret, now=timezone.now())
    with WebhookReceiver(secret) as receiver:
        assert post(receiver.url, hook.body, hook.headers) == 204
    [payload] = receiver.accepted
    assert payload["type"] == "incident.updated"
    assert payload["data"]["update"] == {
        "id": update.public_id,
        "status": "identified",
        "kind": "update",
        "body": BODY,
        "published_at": update.published_at.isoformat(timespec="milliseconds"),
        "next_update_due": update.next_update_due.isoformat(timespec="milliseconds"),
    }
    incident = payload["data"]["incident"]
    assert (incident["name"], incident["status"], incident["impact"]) == (
        "Card payments fail",
        "identified",
        "major",
    )
    assert [(c["name"], c["status"]) for c in incident["components"]] == [
        ("Card payments", "major_outage")
    ]
    assert incident["url"] == f"http://127.0.0.1:8000/incidents/{update.incident.public_id}"


def test_a_receiver_refuses_a_body_changed_on_the_way(update, secret):
    hook = signed_webhook(approved_update(update), secret=secret, now=timezone.now())
    tampered = hook.body.replace(b"Next update in 30 minutes", b"All fixed, no action")
    with WebhookReceiver(secret) as receiver:
        assert post(receiver.url, tampered, hook.headers) == 400
    assert receiver.accepted == [] and receiver.refused == ["No matching signature found"]
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(tampered, hook.headers)


def test_a_receiver_refuses_a_payload_signed_with_another_secret(update, secret):
    hook = signed_webhook(approved_update(update), secret=new_signing_secret(), now=timezone.now())
    with WebhookReceiver(secret) as receiver:
        assert post(receiver.url, hook.body, hook.headers) == 400


def test_a_receiver_refuses_an_old_signature_replayed(update, secret):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    hook = signed_webhook(approved_update(update), secret=secret, now=an_hour_ago)
    with WebhookReceiver(secret) as receiver:
        assert post(receiver.url, hook.body, hook.headers) == 400
    assert receiver.refused == ["Message timestamp too old"]


def test_it_signs_the_same_instant_whatever_zone_the_clock_reads_in(update, secret):
    now = timezone.now().astimezone(ZoneInfo("America/Los_Angeles"))
    hook = signed_webhook(approved_update(update), secret=secret, now=now)
    assert hook.headers["webhook-timestamp"] == str(int(now.timestamp()))
    Webhook(secret).verify(hook.body, hook.headers)


def test_it_names_the_event_for_what_happened_to_the_incident(incident, update, people):
    first = incident.updates.get(state="published", status="investigating")
    resolved = publish(incident, "Card payments work again.", status="resolved", by=people["comms"])
    events = [webhook_payload(approved_update(u)) for u in (first, update, resolved)]
    assert [e["type"] for e in events] == [
        "incident.created",
        "incident.updated",
        "incident.resolved",
    ]
    assert events[2]["data"]["update"]["next_update_due"] is None
