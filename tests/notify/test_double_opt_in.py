"""A customer subscribes by email: one confirmation mail, nothing else until they confirm, a
link that expires, and no second mail within the hour however often the form is sent."""

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.accounts.models import Organisation
from clearline.notify.links import CONFIRM_SALT
from clearline.notify.models import Subscriber
from tests.smtp import text_of

CONFIRM_LINK = re.compile(r"https?://\S+/subscribe/confirm/\S+")


def subscribe(client, email="ana@example.com", **fields):
    return client.post("/subscribe", {"channel": "email", "email": email, **fields})


def confirmation_path(message) -> str:
    return urlsplit(CONFIRM_LINK.search(text_of(message)).group()).path


def same_page(page: str, address: str) -> str:
    return re.sub(r"Page generated .*?</p>", "", page.replace(address, "X"), flags=re.S)


def sent(smtp):
    worker.run(batch=True, periodic=False)
    return smtp.messages


def test_a_new_address_gets_one_mail_with_a_link_and_receives_nothing_until_it_confirms(
    transactional_db, smtp, parts, client
):
    response = subscribe(client, "Ana@Example.com", components=[parts["api"].public_id])
    assert response.status_code == 200
    assert "Check your inbox" in response.text
    [message] = sent(smtp)
    assert message["To"] == "ana@example.com"
    org = Organisation.current().name
    assert message["Subject"] == f"Confirm your subscription to {org} status updates"
    # The sender's domain, not the machine's name, ends the Message-ID.
    assert message["Message-ID"].endswith(
        "@" + settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] + ">"
    )
    path = confirmation_path(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert path in html and "about API" in text_of(message)
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert not Subscriber.objects.active().interested_in(None, [parts["api"].pk]).exists()


def test_the_link_asks_first_and_confirms_on_the_button(transactional_db, smtp, parts, client):
    subscribe(client)
    path = confirmation_path(sent(smtp)[0])

    page = client.get(path)  # what a mail scanner's prefetch does
    assert page.status_code == 200 and "Confirm" in page.text
    assert Subscriber.objects.get().confirmed_at is None

    confirmed = client.post(path)
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.text
    assert "/subscriptions/" in confirmed.text  # the manage link
    assert list(Subscriber.objects.active().values_list("email", flat=True)) == ["ana@example.com"]


def _old_token(subscriber, hours: int) -> str:
    """A confirmation token signed `hours` ago, as the link mailed then carried."""
    then = signing.b62_encode(int(time.time()) - hours * 3600)
    return signing.Signer(salt=CONFIRM_SALT).sign(f"{subscriber.public_id}:{then}")


def test_an_expired_link_is_refused_with_a_way_to_ask_again(db, settings, client):
    settings.CLEARLINE_CONFIRM_HOURS = 48
    subscriber = Subscriber.objects.create(email="ana@example.com")
    for method in (client.get, client.post):
        page = method(f"/subscribe/confirm/{_old_token(subscriber, 49)}")
        assert page.status_code == 410
        assert "expired or is not valid" in page.text
        assert 'href="/subscribe"' in page.text
    assert Subscriber.objects.get().confirmed_at is None
    # Within its hours the same kind of link works.
    assert client.post(f"/subscribe/confirm/{_old_token(subscriber, 47)}").status_code == 200


def test_a_forged_link_is_refused(db, client):
    page = client.post("/subscribe/confirm/abc123:1abc:forged")
    assert page.status_code == 410 and "Subscribe again" in page.text


def test_asking_again_within_the_hour_sends_no_second_mail(transactional_db, smtp, parts, client):
    first, second = subscribe(client), subscribe(client)
    assert second.status_code == first.status_code == 200
    assert len(sent(smtp)) == 1

    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=61))
    subscribe(client)
    assert len(sent(smtp)) == 2


def test_a_confirmed_address_learns_nothing_and_keeps_its_choice(
    transactional_db, smtp, parts, client
):
    subscriber = Subscriber.objects.create(email="ana@example.com", confirmed_at=timezone.now())
    subscriber.components.set([parts["api"]])
    fresh = subscribe(client, "bo@example.com")
    again = subscribe(client, "ana@example.com", components=[parts["web"].public_id])
    assert again.status_code == fresh.status_code == 200
    # The same page but for the address (and the second the footer says it was generated).
    assert same_page(again.text, "ana@example.com") == same_page(fresh.text, "bo@example.com")
    assert [m["To"] for m in sent(smtp)] == ["bo@example.com"]
    assert list(subscriber.components.all()) == [parts["api"]]


def test_a_cancelled_subscription_asks_for_confirmation_again(transactional_db, smtp, client):
    Subscriber.objects.create(
        email="ana@example.com", confirmed_at=timezone.now(), unsubscribed_at=timezone.now()
    )
    subscribe(client)
    subscriber = Subscriber.objects.get()
    assert subscriber.unsubscribed_at is None and subscriber.confirmed_at is None
    assert [m["To"] for m in sent(smtp)] == ["ana@example.com"]


def mail_server_down(settings):
    from tests.smtp import SmtpServer

    server = SmtpServer()  # not listening until entered
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.CLEARLINE_RETRY_BASE_SECONDS = settings.CLEARLINE_RETRY_CAP_SECONDS = 60
    return server


def time_passes() -> None:
    """The waits of the queued retries are over."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_confirmation_mail_the_server_could_not_take_is_sent_when_it_is_back(
    transactional_db, settings, client
):
    server = mail_server_down(settings)
    subscribe(client)
    worker.run(batch=True, periodic=False)  # the try fails; the next waits its turn
    [waiting] = DBTaskResult.objects.filter(status="READY")
    assert waiting.run_after > timezone.now()

    with server:
        time_passes()
        worker.run(batch=True, periodic=False)

    [message] = server.messages
    assert message["To"] == "ana@example.com" and confirmation_path(message)


def test_when_every_try_failed_the_address_may_ask_again_at_once(
    transactional_db, settings, client
):
    server = mail_server_down(settings)
    settings.CLEARLINE_DELIVERY_ATTEMPTS = 2
    subscribe(client)
    worker.run(batch=True, periodic=False)
    time_passes()
    worker.run(batch=True, periodic=False)  # the last try fails too
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert Subscriber.objects.get().confirmation_sent_at is None

    with server:
        subscribe(client)
        worker.run(batch=True, periodic=False)

    assert [m["To"] for m in server.messages] == ["ana@example.com"]
