"""Webhook and Slack subscriptions: private addresses refused unless allowed, confirmed at once,
and the signing secret shown once."""

import pytest

from clearline.notify import services
from clearline.notify.models import Subscriber
from tests.unchanged import nothing_changes


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
    ],
)
def test_a_private_address_is_refused_naming_the_field(db, client, url):
    with nothing_changes():
        page = client.post("/subscribe", {"channel": "webhook", "url": url})
    assert page.status_code == 400
    assert 'href="#id_url">Webhook or Slack address</a>:' in page.text
    assert "private, loopback or link-local" in page.text
    assert f'value="{url}"' in page.text


def test_an_address_inside_the_allowed_networks_is_taken(db, client, loopback):
    page = client.post("/subscribe", {"channel": "webhook", "url": "http://127.0.0.1:8080/hook"})
    assert page.status_code == 201
    subscriber = Subscriber.objects.get()
    assert subscriber.channel == "webhook" and subscriber.is_active


def test_the_secret_is_shown_once_and_never_again(db, client, loopback):
    page = client.post("/subscribe", {"channel": "webhook", "url": "http://127.0.0.1:8080/hook"})
    subscriber = Subscriber.objects.get()
    assert subscriber.secret.startswith("whsec_")
    assert subscriber.secret in page.text
    assert page["Cache-Control"] == "no-store"
    manage = client.get(f"/subscriptions/{subscriber.manage_token()}/")
    assert manage.status_code == 200 and subscriber.secret not in manage.text
    again = client.post("/subscribe", {"channel": "webhook", "url": "http://127.0.0.1:8080/hook"})
    assert again.status_code == 400 and "already receives updates" in again.text
    assert subscriber.secret not in again.text


def test_a_slack_address_has_no_secret(db, loopback):
    made = services.subscribe_webhook(url="http://127.0.0.1:9000/services/T/B/X", channel="slack")
    assert made.subscriber.channel == "slack" and made.secret == ""
    assert "whsec" not in repr(made)


def test_a_cancelled_endpoint_coming_back_gets_a_new_secret(db, loopback):
    first = services.subscribe_webhook(url="http://127.0.0.1:8080/hook")
    services.unsubscribe(subscriber=first.subscriber)
    second = services.subscribe_webhook(url="http://127.0.0.1:8080/hook")
    assert second.subscriber.pk == first.subscriber.pk and second.subscriber.is_active
    assert second.secret != first.secret
