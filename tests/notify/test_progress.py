"""Proof of the fan-out: counts per channel and the record, at the desk and from the CLI."""

import json

import pytest
from django.test import Client

from clearline import cli, worker
from clearline.notify.models import Delivery
from tests.factories import PASSWORD, make_incident
from tests.notify.conftest import subscribe
from tests.notify.test_sending import Inbox

pytestmark = pytest.mark.usefixtures("delivery_settings")


def signed_in(person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def told_about_exports(smtp):
    """Two readers by email and one Slack channel, all told."""
    subscribe("kim@example.com")
    subscribe("gone@example.com")
    with Inbox() as slack:
        subscribe(slack.url, channel="slack")
        incident = make_incident(title="Exports fail")
        worker.run(batch=True, periodic=False)
    return incident.updates.get()


def test_the_update_page_shows_counts_per_channel_and_the_record(transactional_db, smtp, people):
    update = told_about_exports(smtp)
    page = signed_in(people["support"]).get(f"/desk/updates/{update.pk}/deliveries/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-channel="email"><th scope="row">Email</th><td data-state="delivered">2<' in html
    assert 'data-channel="slack"><th scope="row">Slack</th><td data-state="delivered">1<' in html
    assert "kim@example.com" in html and "gone@example.com" in html
    assert 'data-live="0"' in html  # nothing left to wait for: no polling


def test_the_live_counts_answer_as_json(transactional_db, smtp, people):
    update = told_about_exports(smtp)
    answer = signed_in(people["support"]).get(f"/desk/updates/{update.pk}/deliveries.json")
    counts = answer.json()
    assert (counts["delivered"], counts["pending"], counts["failed"]) == (3, 0, 0)
    assert counts["channels"]["email"]["delivered"] == 2 and counts["waiting"] is False


def test_the_record_escapes_what_subscribers_gave(transactional_db, smtp, people):
    subscribe("https://hooks.example.com/<script>alert(1)</script>", channel="slack")
    incident = make_incident(title="Exports fail")
    from clearline.core.models import OutboxEvent
    from clearline.notify.fanout import fan_out

    fan_out(OutboxEvent.objects.get())
    page = signed_in(people["support"]).get(
        f"/desk/updates/{incident.updates.get().pk}/deliveries/"
    )
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'data-live="1"' in html  # one still pending: the page keeps itself current


def test_a_responder_sends_the_failed_deliveries_again(transactional_db, smtp, people):
    subscribe("kim@example.com")
    smtp.refuse("RCPT", "550 5.1.1 No such user")
    update = make_incident(title="Exports fail").updates.get()
    worker.run(batch=True, periodic=False)
    assert Delivery.objects.get().state == "failed"

    smtp.accept()
    client = signed_in(people["comms"])
    page = client.get(f"/desk/updates/{update.pk}/deliveries/")
    assert "Send the 1 failed again" in page.content.decode()
    answer = client.post(f"/desk/updates/{update.pk}/deliveries/retry/", follow=True)
    assert "1 failed deliveries are being sent again." in answer.content.decode()
    worker.run(batch=True, periodic=False)

    assert Delivery.objects.get().state == "delivered"
    assert [m["To"] for m in smtp.messages] == ["kim@example.com"]


def test_clearline_deliveries_prints_the_counts_as_json(transactional_db, smtp, capsys):
    update = told_about_exports(smtp)
    assert cli.main(["deliveries", str(update.pk), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["delivered"], printed["pending"], printed["failed"]) == (3, 0, 0)
    assert printed["channels"]["slack"] == {"delivered": 1, "pending": 0, "failed": 0}
    assert {row["address"] for row in printed["deliveries"]} >= {"kim@example.com"}


def test_clearline_deliveries_retries_the_failed_ones(transactional_db, smtp, capsys):
    subscribe("kim@example.com")
    smtp.refuse("RCPT", "550 5.1.1 No such user")
    update = make_incident(title="Exports fail").updates.get()
    worker.run(batch=True, periodic=False)
    smtp.accept()

    assert cli.main(["deliveries", update.public_id, "--retry-failed"]) == 0
    worker.run(batch=True, periodic=False)
    assert cli.main(["deliveries", update.public_id]) == 0

    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("email    delivered  1 ")
    assert f"Update {update.public_id}: 1 delivered, 0 pending, 0 failed" in out


def test_clearline_deliveries_names_an_unknown_update(db, capsys):
    assert cli.main(["deliveries", "404"]) == 2
    assert capsys.readouterr().err == "clearline deliveries: No update 404.\n"
