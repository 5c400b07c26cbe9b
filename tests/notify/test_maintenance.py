"""Planned maintenance reaches subscribers like an incident does: published from the admin with
"Notify subscribers" ticked, to everyone and to the subscribers of its components, each change
of its status a new message in one thread."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline import worker
from clearline.channels.webhook import new_signing_secret
from clearline.incidents.models import Maintenance
from clearline.notify.models import Delivery
from tests.channels.receiver import WebhookReceiver
from tests.factories import PASSWORD, make_incident
from tests.notify.conftest import subscribe
from tests.smtp import text_of

pytestmark = pytest.mark.usefixtures("delivery_settings")


@pytest.fixture
def admin_site(client, people):
    assert client.login(username=people["admin"].username, password=PASSWORD)
    return client


def maintenance_form(*, parts=(), status="scheduled", notify=True, visibility="public") -> dict:
    start = timezone.now() + timedelta(days=6)
    form = {
        "title": "Database upgrade",
        "description": "Checkout pauses for up to five minutes while the database restarts.",
        "status": status,
        "visibility": visibility,
        "scheduled_for_0": f"{start:%Y-%m-%d}",
        "scheduled_for_1": "02:00:00",
        "scheduled_until_0": f"{start:%Y-%m-%d}",
        "scheduled_until_1": "03:00:00",
        "components": [part.pk for part in parts],
    }
    if notify:
        form["notify"] = "on"
    return form


def test_everyone_and_the_components_subscribers_hear_of_planned_maintenance(
    transactional_db, admin_site, smtp, parts
):
    subscribe("all@example.com")
    subscribe("api@example.com", components=[parts["api"]])
    subscribe("web@example.com", components=[parts["web"]])
    subscribe("one@example.com", incident=make_incident(title="Exports fail"))
    worker.run(batch=True, periodic=False)
    smtp.messages.clear()

    response = admin_site.post(
        "/admin/incidents/maintenance/add/", maintenance_form(parts=[parts["api"]])
    )
    assert response.status_code == 302
    worker.run(batch=True, periodic=False)

    told = sorted(message["To"] for message in smtp.messages)
    assert told == ["all@example.com", "api@example.com"]
    message = smtp.messages[0]
    assert message["Subject"].endswith("Scheduled maintenance: Database upgrade")
    text = text_of(message)
    assert "Checkout pauses for up to five minutes" in text
    assert "02:00" in text and "03:00" in text and "Affects API" in text
    assert "#maintenance-" in text and "Unsubscribe:" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "See this maintenance on the status page" in html


def test_each_change_of_status_is_a_new_message_in_the_same_thread(
    transactional_db, admin_site, smtp
):
    subscribe("all@example.com")
    admin_site.post("/admin/incidents/maintenance/add/", maintenance_form())
    worker.run(batch=True, periodic=False)
    maintenance = Maintenance.objects.get()

    admin_site.post(
        f"/admin/incidents/maintenance/{maintenance.pk}/change/",
        maintenance_form(status="in_progress"),
    )
    worker.run(batch=True, periodic=False)

    first, second = smtp.messages
    assert "Maintenance in progress: Database upgrade" in second["Subject"]
    assert first["Message-ID"] != second["Message-ID"]
    assert first["In-Reply-To"] == second["In-Reply-To"]
    assert second["References"].split() == [first["In-Reply-To"], first["Message-ID"]]


@pytest.mark.parametrize(
    ("notify", "visibility"), [(False, "public"), (True, "internal")], ids=["quiet", "internal"]
)
def test_quiet_or_internal_maintenance_tells_nobody(
    transactional_db, admin_site, smtp, notify, visibility
):
    subscribe("all@example.com")
    admin_site.post(
        "/admin/incidents/maintenance/add/",
        maintenance_form(notify=notify, visibility=visibility),
    )
    worker.run(batch=True, periodic=False)

    assert smtp.messages == []
    assert not Delivery.objects.exists()


def test_a_webhook_subscriber_gets_a_signed_maintenance_event(transactional_db, admin_site):
    secret = new_signing_secret()
    with WebhookReceiver(secret) as receiver:
        subscribe(receiver.url, channel="webhook", secret=secret)
        admin_site.post("/admin/incidents/maintenance/add/", maintenance_form())
        worker.run(batch=True, periodic=False)

    [payload] = receiver.accepted
    assert receiver.refused == []
    assert payload["type"] == "maintenance.scheduled"
    maintenance = payload["data"]["maintenance"]
    assert maintenance["name"] == "Database upgrade"
    assert maintenance["scheduled_for"] < maintenance["scheduled_until"]
    assert Delivery.objects.get().state == "delivered"
