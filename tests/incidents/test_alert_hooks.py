"""The webhook addresses as an outsider, a misconfigured tool and a customer would meet them."""

import json
import logging
import urllib.request

import pytest
from django.test import Client

from clearline.core.models import AuditEntry
from clearline.incidents.models import AlertLink, Incident, TimelineEntry
from clearline.statuspage.snapshot import render_everything
from tests.incidents.conftest import delivery, sign
from tests.unchanged import audited, nothing_changes

OPENERS = [
    ("alertmanager", "alertmanager_firing"),
    ("alertmanager", "alertmanager_other_group"),
    ("pagerduty", "pagerduty_triggered"),
]
# What each fixture opens: title, impact, and the key that ties later deliveries to it.
OPENED = {
    "alertmanager_firing": (
        "Checkout requests are failing",
        "critical",
        '{}/{team="payments"}:{alertname="CheckoutErrorRate"}',
    ),
    "alertmanager_other_group": (
        "Database disk on db-2 will be full within 4 hours",
        "minor",
        '{}/{team="storage"}:{alertname="DiskWillFillIn4Hours", instance="db-2:9100"}',
    ),
    "pagerduty_triggered": ("Payment provider callbacks are timing out", "major", "P7QK2MX"),
}


@pytest.fixture
def senders(alertmanager, pagerduty):
    return {"alertmanager": alertmanager, "pagerduty": pagerduty}


@pytest.mark.parametrize(("kind", "name"), OPENERS)
def test_it_opens_exactly_one_internal_incident_per_fixture(client, senders, kind, name):
    with audited() as entries:
        response = senders[kind](client, delivery(name))

    incident = Incident.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "incident": incident.public_id,
        "created": True,
        "timeline_entries": 1,
    }
    assert incident.visibility == "internal" and not incident.is_public
    assert (incident.title, incident.impact) == OPENED[name][:2]
    link = AlertLink.objects.get()
    assert (link.source, link.incident, link.external_key) == (
        senders[kind].source,
        incident,
        OPENED[name][2],
    )
    noticed = TimelineEntry.objects.get()
    assert (noticed.incident, noticed.kind) == (incident, "noticed")
    assert noticed.text.endswith(
        "Opened automatically as an internal draft: nothing reaches the status page until "
        "someone decides to publish an update."
    )
    assert [(action, kind_, pk) for action, _, kind_, pk in entries] == [
        ("incident.opened", "incidents.incident", str(incident.pk)),
        ("timeline.added", "incidents.timelineentry", str(noticed.pk)),
        ("alert.opened", "incidents.incident", str(incident.pk)),
    ]
    opened = incident_audit(incident, "alert.opened")
    assert opened.changes == {"source": senders[kind].source.public_id, "key": OPENED[name][2]}


def incident_audit(incident, action):
    return AuditEntry.objects.get(action=action, object_id=str(incident.pk))


def test_it_keeps_alert_incidents_off_every_public_surface(client, alertmanager, pagerduty):
    alertmanager(client, delivery("alertmanager_firing"))
    pagerduty(client, delivery("pagerduty_triggered"))
    titles = ["Checkout requests are failing", "Payment provider callbacks are timing out"]

    for path in ["/", "/api/v2/summary.json", "/api/v2/incidents.json", "/history.atom"]:
        body = client.get(path).content.decode()
        assert not any(title in body for title in titles), path
    for incident in Incident.objects.all():
        assert client.get(f"/incidents/{incident.public_id}").status_code == 404


def test_it_writes_no_alert_incident_into_the_snapshot(client, alertmanager, snapshot_dir):
    alertmanager(client, delivery("alertmanager_firing"))

    render_everything()

    written = [p.read_text() for p in snapshot_dir.rglob("*") if p.is_file()]
    assert written and not any("Checkout requests are failing" in text for text in written)


def test_it_refuses_a_wrong_token_and_opens_nothing(client, alertmanager):
    with nothing_changes():
        response = alertmanager(client, delivery("alertmanager_firing"), token="not-the-token")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Incident.objects.exists()


def test_it_refuses_a_delivery_without_a_token(client, alertmanager):
    with nothing_changes():
        response = alertmanager(client, delivery("alertmanager_firing"), token="")
    assert response.status_code == 401


def test_it_answers_an_unknown_source_exactly_like_a_wrong_token(client, alertmanager):
    with nothing_changes():
        wrong = alertmanager(client, delivery("alertmanager_firing"), token="guess")
        unknown = client.post(
            "/hooks/alertmanager/nosuchsource/",
            delivery("alertmanager_firing"),
            content_type="application/json",
            headers={"Authorization": f"Bearer {alertmanager.token}"},
        )

    assert (unknown.status_code, unknown.content) == (wrong.status_code, wrong.content)


def test_it_does_not_take_an_alertmanager_source_at_the_pagerduty_address(client, alertmanager):
    with nothing_changes():
        response = client.post(
            f"/hooks/pagerduty/{alertmanager.source.public_id}/",
            delivery("pagerduty_triggered"),
            content_type="application/json",
            headers={"X-PagerDuty-Signature": sign(alertmanager.token, b"")},
        )

    assert response.status_code == 401


def test_it_refuses_a_bad_pagerduty_signature(client, pagerduty):
    body = delivery("pagerduty_triggered")

    with nothing_changes():
        response = pagerduty(client, body, signature=sign("someone-elses-secret", body))

    assert response.status_code == 401
    assert not Incident.objects.exists()


def test_it_refuses_a_body_changed_after_signing(client, pagerduty):
    body = delivery("pagerduty_triggered")
    signature = sign(pagerduty.secret, body)

    with nothing_changes():
        response = pagerduty(client, body.replace(b"P2", b"P1"), signature=signature)

    assert response.status_code == 401


def test_it_accepts_a_rotation_list_with_one_valid_signature(client, pagerduty):
    body = delivery("pagerduty_triggered")
    rotating = f"{sign('the-retiring-secret', body)}, {sign(pagerduty.secret, body)}"

    response = pagerduty(client, body, signature=rotating)

    assert response.status_code == 200
    assert Incident.objects.count() == 1
    link = AlertLink.objects.get()
    assert (link.source, link.external_key) == (pagerduty.source, "P7QK2MX")
    assert incident_audit(link.incident, "alert.opened").changes["source"] == (
        pagerduty.source.public_id
    )


def test_it_refuses_a_body_over_one_megabyte(client, alertmanager):
    body = b'{"version": "4", "padding": "' + b"x" * (1024 * 1024) + b'"}'

    with nothing_changes():
        response = alertmanager(client, body)

    assert response.status_code == 413
    assert not Incident.objects.exists()


def test_it_explains_a_body_that_is_not_json(client, alertmanager):
    with nothing_changes():
        response = alertmanager(client, b'{"version": "4", "groupKey": ')

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON")


def test_it_names_the_missing_field_in_an_alertmanager_payload(client, alertmanager):
    payload = json.loads(delivery("alertmanager_firing"))
    del payload["groupKey"]

    with nothing_changes():
        response = alertmanager(client, json.dumps(payload).encode())

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "groupKey"
    assert not Incident.objects.exists()


def test_it_refuses_another_payload_version(client, alertmanager):
    body = delivery("alertmanager_firing").replace(b'"version": "4"', b'"version": "3"')

    with nothing_changes():
        response = alertmanager(client, body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "version"


def test_it_tells_a_disabled_source_it_is_gone(client, alertmanager):
    alertmanager.source.enabled = False
    alertmanager.source.save()

    with nothing_changes():
        response = alertmanager(client, delivery("alertmanager_firing"))

    assert response.status_code == 410
    assert not Incident.objects.exists()


def test_it_takes_deliveries_without_a_csrf_token(alertmanager):
    strict = Client(enforce_csrf_checks=True)

    assert alertmanager(strict, delivery("alertmanager_firing")).status_code == 200
    assert Incident.objects.get().title == "Checkout requests are failing"


def test_it_only_takes_posts(client, alertmanager):
    response = client.get(f"/hooks/alertmanager/{alertmanager.source.public_id}/")

    assert response.status_code == 405


def test_it_never_logs_a_secret(client, alertmanager, pagerduty, caplog):
    caplog.set_level(logging.DEBUG)
    body = delivery("pagerduty_triggered")

    alertmanager(client, delivery("alertmanager_firing"))
    alertmanager(client, delivery("alertmanager_firing"), token=alertmanager.token + "x")
    pagerduty(client, body)
    pagerduty(client, body, signature=sign(pagerduty.secret, b"other"))

    assert "refused" in caplog.text and "opened incident" in caplog.text
    assert alertmanager.token not in caplog.text
    assert pagerduty.secret not in caplog.text
    assert sign(pagerduty.secret, body) not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_it_takes_a_signed_delivery_over_real_http(live_server, pagerduty):
    body = delivery("pagerduty_triggered")
    request = urllib.request.Request(
        f"{live_server.url}/hooks/pagerduty/{pagerduty.source.public_id}/",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-PagerDuty-Signature": sign(pagerduty.secret, body),
        },
        method="POST",
    )

    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)

    assert answer["incident"] == Incident.objects.get().public_id


def test_it_takes_the_address_without_its_trailing_slash(client, alertmanager):
    response = alertmanager(client, delivery("alertmanager_firing"), slash="")

    assert response.status_code == 200
    assert AlertLink.objects.get().incident.title == "Checkout requests are failing"
