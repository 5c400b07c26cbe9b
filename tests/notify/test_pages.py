"""The public subscription pages: a form that works without scripts and says what is wrong
where, the manage page, and RFC 8058 one-click unsubscribe."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from clearline.notify.models import Subscriber
from tests.factories import make_incident


@pytest.fixture
def confirmed(db):
    return Subscriber.objects.create(email="ana@example.com", confirmed_at=timezone.now())


def test_the_form_offers_public_components_only(parts, client):
    page = client.get("/subscribe")
    assert page.status_code == 200
    assert "Platform: API" in page.text and "Platform: Web app" in page.text
    assert "Billing jobs" not in page.text
    assert 'name="csrfmiddlewaretoken"' in page.text


def test_a_mistyped_address_is_named_and_what_was_typed_stays(parts, client):
    page = client.post(
        "/subscribe",
        {"channel": "email", "email": "ana@example", "components": [parts["web"].public_id]},
    )
    assert page.status_code == 400
    assert 'href="#id_email">Email address</a>: Enter an email address such as' in page.text
    assert 'value="ana@example"' in page.text
    [box] = re.findall(rf'<input[^>]*value="{parts["web"].public_id}"[^>]*>', page.text)
    assert "checked" in box
    assert not Subscriber.objects.exists()


def test_the_chosen_components_are_saved(parts, client):
    client.post(
        "/subscribe",
        {"channel": "email", "email": "ana@example.com", "components": [parts["web"].public_id]},
    )
    assert list(Subscriber.objects.get().components.all()) == [parts["web"]]


def test_a_hidden_component_is_refused(parts, client):
    page = client.post(
        "/subscribe",
        {
            "channel": "email",
            "email": "ana@example.com",
            "components": [parts["billing"].public_id],
        },
    )
    assert page.status_code == 400 and "Only these components" in page.text
    assert not Subscriber.objects.exists()


def test_an_incident_page_offers_a_subscription_to_that_incident(db, client):
    incident = make_incident(title="Exports fail")
    page = client.get(f"/incidents/{incident.public_id}")
    link = f'href="/subscribe?incident={incident.public_id}"'
    assert link in page.text
    form = client.get(f"/subscribe?incident={incident.public_id}")
    assert "Exports fail" in form.text
    client.post(
        "/subscribe",
        {"channel": "email", "email": "ana@example.com", "incident": incident.public_id},
    )
    assert Subscriber.objects.get().incident == incident


def test_the_status_page_offers_the_subscribe_link(db, client):
    assert 'href="/subscribe"' in client.get("/").text


@pytest.mark.parametrize("kind", ["internal", "drill"])
def test_an_incident_the_public_cannot_see_is_not_offered(db, client, kind):
    fields = {"visibility": "internal"} if kind == "internal" else {"is_drill": True}
    incident = make_incident(title="Secret work", **fields)
    assert client.get(f"/subscribe?incident={incident.public_id}").status_code == 404
    refused = client.post(
        "/subscribe",
        {"channel": "email", "email": "ana@example.com", "incident": incident.public_id},
    )
    assert refused.status_code == 404
    assert not Subscriber.objects.exists()


def test_people_s_text_is_escaped(db, client):
    incident = make_incident(title='<script>alert("x")</script> & exports')
    page = client.get(f"/subscribe?incident={incident.public_id}")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; exports" in page.text


def test_the_manage_page_changes_the_components(parts, confirmed, client):
    path = f"/subscriptions/{confirmed.manage_token()}/"
    assert "ana@example.com" in client.get(path).text
    saved = client.post(path, {"action": "save", "components": [parts["api"].public_id]})
    assert saved.status_code == 200 and "Saved." in saved.text
    assert list(confirmed.components.all()) == [parts["api"]]
    client.post(path, {"action": "save"})
    assert not confirmed.components.exists()  # nothing chosen: everything


def test_the_manage_page_unsubscribes(confirmed, client):
    page = client.post(f"/subscriptions/{confirmed.manage_token()}/", {"action": "unsubscribe"})
    assert "You are unsubscribed" in page.text
    assert not Subscriber.objects.active().exists()


def test_a_forged_manage_link_is_a_404(db, client):
    assert client.get("/subscriptions/forged:token/").status_code == 404
    assert client.post("/subscriptions/forged:token/unsubscribe").status_code == 404


def test_one_click_unsubscribe_needs_no_csrf_token_and_no_sign_in(confirmed):
    # As a mail provider's server sends it: a bare POST with the RFC 8058 body.
    mail_client = Client(enforce_csrf_checks=True)
    path = f"/subscriptions/{confirmed.manage_token()}/unsubscribe"
    response = mail_client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    confirmed.refresh_from_db()
    first = confirmed.unsubscribed_at
    assert first is not None
    again = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    confirmed.refresh_from_db()
    assert again.status_code == 200 and confirmed.unsubscribed_at == first


def test_a_get_of_the_unsubscribe_link_only_asks(confirmed, client):
    path = f"/subscriptions/{confirmed.manage_token()}/unsubscribe"
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="List-Unsubscribe" value="One-Click"' in page.text
    assert Subscriber.objects.active().exists()


def test_a_post_without_the_one_click_body_changes_nothing(confirmed, client):
    path = f"/subscriptions/{confirmed.manage_token()}/unsubscribe"
    assert client.post(path, {}).status_code == 400
    assert Subscriber.objects.active().exists()


def test_the_pages_are_never_cached(confirmed, client):
    response = client.get(f"/subscriptions/{confirmed.manage_token()}/")
    assert response["Cache-Control"] == "no-store"
