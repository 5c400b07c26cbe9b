"""The fan-out benchmark's own parts, so its figures can be trusted: the sinks count what
arrives per recipient and per path, seeding writes confirmed subscribers the fan-out will pick,
and the raw smtplib reference sends every message it claims to."""

import json
import smtplib
import urllib.request

import pytest

from bench import fanout
from clearline.notify.models import Subscriber


@pytest.mark.slow
def test_the_smtp_sink_counts_each_message_per_recipient(tmp_path):
    with fanout.smtp_sink(tmp_path / "smtp.log") as (port, stats):
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail(fanout.FROM, ["a@bench.example"], b"Subject: one\r\n\r\nHello")
            client.sendmail(fanout.FROM, ["a@bench.example"], b"Subject: two\r\n\r\nHello")
            client.sendmail(fanout.FROM, ["B@bench.example"], b"Subject: one\r\n\r\nHello")
        figures = fanout.read_json(stats)

    assert figures["total"] == 3
    assert figures["counts"] == {"a@bench.example": 2, "b@bench.example": 1}
    assert figures["first"] <= figures["last"]
    expected = ["a@bench.example", "b@bench.example", "c@bench.example"]
    assert fanout.sink_losses(figures["counts"], expected) == (1, 1)


@pytest.mark.slow
def test_the_http_receiver_counts_each_post_per_path(tmp_path):
    with fanout.http_sink(tmp_path / "http.log") as (base, stats):
        for path in ("/hook/1", "/hook/2", "/hook/2"):
            request = urllib.request.Request(base + path, data=json.dumps({}).encode())
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 204
        figures = fanout.read_json(stats)

    assert figures["counts"] == {"/hook/1": 1, "/hook/2": 2}


def test_seeding_writes_confirmed_subscribers_who_hear_about_everything(db):
    incident = fanout.seed(emails=30, webhooks=5, hook_base="http://127.0.0.1:9")

    interested = Subscriber.objects.active().interested_in(incident.pk, [])
    assert interested.filter(channel="email").count() == 30
    assert sorted(interested.filter(channel="webhook").values_list("url", flat=True))[:2] == [
        "http://127.0.0.1:9/hook/0",
        "http://127.0.0.1:9/hook/1",
    ]
    assert all(s.secret.startswith("whsec_") for s in interested.filter(channel="webhook"))


@pytest.mark.slow
def test_the_raw_loop_sends_every_message_over_one_connection(db, tmp_path):
    incident = fanout.seed(emails=40, webhooks=0, hook_base="http://127.0.0.1:9")
    update = fanout.publish(incident, "Card payments are accepted again.", notify=False)

    figures = fanout.raw_loop(update, emails=40, log=tmp_path / "raw.log")

    assert figures["messages"] == figures["received"] == 40
    assert figures["message_bytes"] > 1000  # the whole rendered update, text and HTML


def test_a_target_without_a_figure_counts_as_missed():
    figures = {
        "publish_to_last_delivery_s": 12.5,
        "email_throughput_vs_raw": 0.8,
        "duplicates": 0,
        "losses": 3,
        "publish_to_snapshot_s": None,
    }

    met = fanout.targets_met({"configurations": {"sqlite_1_worker": figures}})

    assert met == {
        "sqlite_1_worker": {
            "all delivered within (s)": True,
            "email throughput, clearline / raw smtplib loop": True,
            "duplicates": True,
            "losses": False,
            "publish → snapshot during the fan-out (s)": False,
        }
    }
