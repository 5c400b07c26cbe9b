"""Each subscriber's email is the event's message with only their own parts in it, whichever way
it leaves: as bytes on Django's SMTP connection, or as a Django message on any other backend."""

import email
import re
from email import policy

import pytest
from django.core import mail as django_mail
from django.core import signing
from django.core.mail.message import sanitize_address
from hypothesis import given
from hypothesis import strategies as st

from clearline import worker
from clearline.channels.source import approved_update
from clearline.notify.emails import PLAIN_ADDRESS, EventMail
from clearline.notify.links import manage_url, unsubscribe_url
from clearline.notify.models import Subscriber
from tests.factories import make_incident, publish
from tests.notify.conftest import subscribe
from tests.smtp import text_of

pytestmark = pytest.mark.usefixtures("delivery_settings")


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def whose(link: str) -> Subscriber | None:
    """The subscriber a manage or unsubscribe link names (its token holds the second it was
    made, so a link is compared by whom it names, not by its text)."""
    token = link.strip().strip("<>").split("/subscriptions/")[1].split("/")[0]
    return Subscriber.from_manage_token(token)


def test_a_copy_sent_as_bytes_reads_as_the_message_django_builds(db, monkeypatch):
    # Tokens hold the second they were made: one second for the whole test.
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1xZB7g")
    incident = make_incident(title="Exports fail", body="Exports fail for every customer.")
    update = publish(incident, "Exports work again.", status="resolved")
    kim = subscribe("kim@example.com")
    mail = EventMail.render(approved_update(update))

    sent = parsed(mail.wire_for(kim))
    built = parsed(mail.for_subscriber(kim).message().as_bytes(linesep="\r\n"))

    def headers(message):
        return [(k, v) for k, v in message.items() if k not in {"Date", "Content-Type"}]

    assert headers(sent) == headers(built)
    assert sent.get_content_type() == built.get_content_type() == "multipart/alternative"
    for kind in ("plain", "html"):
        assert sent.get_body((kind,)).get_content() == built.get_body((kind,)).get_content()
    assert sent["To"] == "kim@example.com"
    assert sent["List-Unsubscribe"].strip() == f"<{unsubscribe_url(kim)}>"
    assert unsubscribe_url(kim) in text_of(sent) and manage_url(kim) in text_of(sent)
    assert len(sent["References"].split()) == 2  # the incident, then the first update to kim


def test_an_address_django_would_encode_still_gets_its_copy(transactional_db, smtp):
    subscribe("kim@example.com")
    subscribe("zoë@exämple.com")
    make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)

    assert sorted(m["To"] for m in smtp.messages) == ["kim@example.com", "zoë@xn--exmple-cua.com"]
    for message in smtp.messages:
        link = message["List-Unsubscribe"].strip().strip("<>")
        assert link in text_of(message)


def test_a_very_long_line_still_gives_each_subscriber_their_own_links(transactional_db, smtp):
    # A line over 998 characters makes the text part quoted-printable, which wraps the links.
    subscribe("kim@example.com")
    subscribe("lee@example.com")
    make_incident(title="Exports fail", body="Exports fail. " * 80)
    worker.run(batch=True, periodic=False)

    assert len(smtp.messages) == 2
    for message in smtp.messages:
        subscriber = Subscriber.objects.get(email=message["To"])
        link = message["List-Unsubscribe"].strip().strip("<>")
        assert whose(link) == subscriber and link.endswith("/unsubscribe")
        assert f"Unsubscribe: {link}" in text_of(message)
        html = message.get_body(("html",)).get_content()
        *_, manage, unsubscribe = re.findall(r'href="([^"]+)"', html)
        assert unsubscribe == link and whose(manage) == subscriber


def test_a_backend_other_than_smtp_gets_the_same_message(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    kim = subscribe("kim@example.com")
    make_incident(title="Exports fail", body="Exports fail for every customer.")
    worker.run(batch=True, periodic=False)

    [message] = django_mail.outbox
    assert message.to == ["kim@example.com"]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert whose(link) == kim and f"Unsubscribe: {link}" in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and link in html
    assert "Exports fail for every customer." in message.body


@given(st.from_regex(PLAIN_ADDRESS, fullmatch=True))
def test_an_address_sent_as_it_is_is_one_django_would_not_change(address):
    assert sanitize_address(address, "utf-8") == address
