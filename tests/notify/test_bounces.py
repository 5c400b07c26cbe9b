"""The mail provider reports a bounce or a complaint through anymail: that address gets nothing
more from us."""

import base64
import json

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.utils import timezone

from clearline import worker
from clearline.notify.models import Subscriber


@pytest.fixture
def ana(db):
    return Subscriber.objects.create(email="ana@example.com", confirmed_at=timezone.now())


def report(event_type: str, recipient: str = "ana@example.com", **fields) -> None:
    """What anymail's webhook views do with a provider's report: send the tracking signal."""
    event = AnymailTrackingEvent(event_type=event_type, recipient=recipient, **fields)
    tracking.send(sender=object, event=event, esp_name="Postmark")


@pytest.mark.parametrize("event_type", ["bounced", "rejected", "complained"])
def test_a_bounce_rejection_or_complaint_stops_mail_to_the_address(ana, event_type):
    report(event_type, reject_reason="bounced")
    ana.refresh_from_db()
    assert ana.suppressed_at is not None
    assert ana.suppressed_reason.startswith("Postmark: ")
    assert not Subscriber.objects.active().exists()


def test_other_events_change_nothing(ana):
    for event_type in ("delivered", "opened", "deferred", "clicked"):
        report(event_type)
    ana.refresh_from_db()
    assert ana.suppressed_at is None and ana.is_active


def test_only_that_address_is_stopped_whatever_its_case(ana):
    bo = Subscriber.objects.create(email="bo@example.com", confirmed_at=timezone.now())
    report("bounced", recipient="ANA@example.com")
    assert list(Subscriber.objects.active()) == [bo]


def _basic(secret: str) -> str:
    return "Basic " + base64.b64encode(secret.encode()).decode()


HARD_BOUNCE = {
    "RecordType": "Bounce",
    "Type": "HardBounce",
    "ID": 4323372036854775807,
    "Email": "ana@example.com",
    "BouncedAt": "2026-12-03T10:00:00Z",
    "Description": "The server was unable to deliver your message.",
}


SECRET = "postmark:a-long-webhook-secret"


def postmark_reports(client, password: str):
    """Postmark's bounce webhook as Postmark sends it, with basic auth."""
    return client.post(
        "/anymail/postmark/tracking/",
        json.dumps(HARD_BOUNCE),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic(password),
    )


def test_postmark_s_bounce_webhook_stops_mail(ana, client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    assert postmark_reports(client, SECRET).status_code == 200
    ana.refresh_from_db()
    assert ana.suppressed_reason == "Postmark: bounced"


def test_a_report_without_the_secret_is_refused(ana, client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    assert postmark_reports(client, "postmark:guessed").status_code == 400
    ana.refresh_from_db()
    assert ana.suppressed_at is None


def test_without_a_secret_set_nobody_can_report(ana, client, settings):
    settings.ANYMAIL = {}
    assert postmark_reports(client, SECRET).status_code == 404
    ana.refresh_from_db()
    assert ana.suppressed_at is None


def test_through_anymail_s_backend_a_bounced_address_gets_no_more_mail(
    transactional_db, client, settings
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    client.post("/subscribe", {"channel": "email", "email": "ana@example.com"})
    worker.run(batch=True, periodic=False)
    [confirmation] = mail.outbox
    assert confirmation.to == ["ana@example.com"]
    assert confirmation.anymail_status.status == {"sent"}

    report("bounced")
    Subscriber.objects.update(confirmation_sent_at=None)  # the hour is not what stops it
    client.post("/subscribe", {"channel": "email", "email": "ana@example.com"})
    worker.run(batch=True, periodic=False)
    assert len(mail.outbox) == 1
    assert not Subscriber.objects.active().exists()


def test_subscribing_a_bounced_address_again_changes_nothing(ana, parts, client):
    ana.components.set([parts["api"]])
    report("bounced")
    page = client.post(
        "/subscribe",
        {"channel": "email", "email": "ana@example.com", "components": [parts["web"].public_id]},
    )
    assert page.status_code == 200 and "Check your inbox" in page.text
    ana.refresh_from_db()
    assert ana.suppressed_at is not None and list(ana.components.all()) == [parts["api"]]
