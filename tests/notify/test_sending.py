"""What subscribers receive: the email's parts and headers, signed webhooks, Slack messages,
and the address check made again at send time."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from clearline import worker
from clearline.channels.webhook import new_signing_secret
from clearline.notify.links import manage_url, unsubscribe_url
from clearline.notify.models import Delivery, Subscriber
from tests.channels.receiver import WebhookReceiver
from tests.factories import make_component, make_incident, publish
from tests.notify.conftest import subscribe
from tests.smtp import text_of

pytestmark = pytest.mark.usefixtures("delivery_settings")


def test_every_email_has_a_text_and_an_html_part_and_one_click_unsubscribe(transactional_db, smtp):
    subscribe("kim@example.com")
    subscribe("lee@example.com")
    make_incident(title="Exports fail", body="Exports fail for every customer.")
    worker.run(batch=True, periodic=False)

    assert len(smtp.messages) == 2
    unsubscribe_links = set()
    for message in smtp.messages:
        assert message.get_content_type() == "multipart/alternative"
        assert "Exports fail for every customer." in text_of(message)
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Exports fail for every customer." in html
        link = message["List-Unsubscribe"].strip().strip("<>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in text_of(message) and link in html
        subscriber = Subscriber.objects.get(email=message["To"])
        # The link names this subscriber: its token (which holds the second it was signed,
        # so one made now may differ) reads back as them, on the unsubscribe address.
        token = link.rstrip("/").rsplit("/", 2)[-2]
        assert Subscriber.from_manage_token(token) == subscriber
        assert link == unsubscribe_url(subscriber, token=token)
        assert manage_url(subscriber, token=token) in html
        unsubscribe_links.add(link)
    assert len(unsubscribe_links) == 2  # each subscriber's own


def test_a_job_sends_over_several_connections_and_tells_each_subscriber_once(
    transactional_db, smtp, settings
):
    settings.CLEARLINE_EMAIL_CONNECTIONS = 3
    readers = [f"reader{n}@example.com" for n in range(200)]
    for address in readers:
        subscribe(address)
    make_incident(title="Exports fail", body="Exports fail for every customer.")
    worker.run(batch=True, periodic=False)

    assert sorted(message["To"] for message in smtp.messages) == sorted(readers)
    assert len({port for _, port in smtp.peers}) == 3  # the job's three connections
    states = Delivery.objects.values_list("state", flat=True)
    assert list(states) == ["delivered"] * len(readers)


def test_a_second_update_threads_under_the_first(transactional_db, smtp):
    subscribe("kim@example.com")
    incident = make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)
    publish(incident, "Exports work again.", status="resolved")
    worker.run(batch=True, periodic=False)

    first, second = smtp.messages
    assert first["Message-ID"] != second["Message-ID"]
    assert first["In-Reply-To"] == second["In-Reply-To"] == first["References"]
    assert second["References"].split() == [first["In-Reply-To"], first["Message-ID"]]


def test_a_webhook_arrives_signed_with_the_subscribers_secret(transactional_db):
    secret = new_signing_secret()
    card = make_component("Card payments")
    with WebhookReceiver(secret) as receiver:
        subscribe(receiver.url, channel="webhook", secret=secret, components=[card])
        make_incident(title="Card payments fail", components={card: "major_outage"})
        worker.run(batch=True, periodic=False)

    [payload] = receiver.accepted
    assert receiver.refused == []
    assert payload["type"] == "incident.created"
    assert payload["data"]["incident"]["name"] == "Card payments fail"
    assert Delivery.objects.get().state == "delivered"


class Inbox:
    """A plain HTTP endpoint keeping every body posted to it; `hold` keeps the answer back."""

    def __init__(self, status: int = 200) -> None:
        self.bodies: list[bytes] = []
        self.hold = threading.Event()
        self.hold.set()
        self.arrived = threading.Event()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                inbox.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                inbox.arrived.set()
                inbox.hold.wait(60)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}/slack"

    def __enter__(self) -> "Inbox":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.hold.set()
        self._server.shutdown()
        self._server.server_close()


def test_a_slack_subscriber_gets_the_chat_rendering(transactional_db):
    with Inbox() as slack:
        subscribe(slack.url, channel="slack")
        make_incident(title="Card payments fail", body="Cards <!channel> fail.")
        worker.run(batch=True, periodic=False)

    [body] = slack.bodies
    message = json.loads(body)
    assert message["blocks"][0]["text"]["text"] == "*Card payments fail*"
    assert "Cards &lt;!channel&gt; fail." in message["text"]


def test_a_name_now_pointing_at_a_private_address_is_refused_at_send_time(
    transactional_db, settings
):
    with Inbox() as endpoint:
        # Allowed when the subscription was made; the name now leads to loopback, and the
        # allowance is gone (as for any real installation).
        subscribe(f"http://localhost:{endpoint.port}/hook", channel="webhook", secret="whsec_MA==")
        settings.CLEARLINE_WEBHOOK_ALLOWED_NETWORKS = []
        make_incident(title="Card payments fail")
        worker.run(batch=True, periodic=False)

    assert endpoint.bodies == []
    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and delivery.attempts == 1
    assert "private, loopback or link-local" in delivery.last_error
