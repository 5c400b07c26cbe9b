"""Every desk address asks who you are first, and lets each role do only what it may."""

import pytest
from django.urls import reverse

from clearline.core.errors import ClearlineError
from clearline.desk.access import attempt
from clearline.desk.forms import UpdateForm
from clearline.desk.urls import urlpatterns
from clearline.updates.models import Update
from tests.unchanged import nothing_changes

ADDRESSES = [pattern.name for pattern in urlpatterns]
READ_ONLY = [
    "dashboard",
    "incident",
    "update-channels",
    "update-deliveries",
    "update-delivery-counts",
]
WRITES = [name for name in ADDRESSES if name not in READ_ONLY]


def address(name, world):
    pattern = next(p for p in urlpatterns if p.name == name)
    kwargs = {key: world[key.removesuffix("_id")].pk for key in pattern.pattern.converters}
    return reverse(f"desk:{name}", kwargs=kwargs)


def test_it_knows_which_addresses_only_read():
    assert set(READ_ONLY) < set(ADDRESSES)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ADDRESSES)
def test_it_sends_an_anonymous_visitor_to_sign_in(client, world, name, method):
    url = address(name, world)
    with nothing_changes():
        response = getattr(client, method)(url, {"body": "x", "text": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ADDRESSES)
def test_it_refuses_an_outsider_with_no_role(client, people, world, name, method):
    client.force_login(people["outsider"])
    with nothing_changes():
        response = getattr(client, method)(address(name, world), {"body": "x", "text": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("name", WRITES)
def test_it_refuses_every_write_to_a_support_viewer(client, people, world, name):
    client.force_login(people["support"])
    with nothing_changes():
        response = client.post(
            address(name, world), {"body": "x", "text": "x", "status": "resolved"}
        )
    assert response.status_code == 403


@pytest.mark.parametrize("name", WRITES)
def test_it_does_not_even_show_a_write_form_to_a_viewer(client, people, world, name):
    client.force_login(people["support"])
    assert client.get(address(name, world)).status_code == 403


@pytest.mark.parametrize("name", READ_ONLY)
def test_it_lets_a_support_viewer_read(client, people, world, name):
    client.force_login(people["support"])
    assert client.get(address(name, world)).status_code == 200


def test_it_publishes_nothing_when_a_viewer_tries(client, people, world):
    client.force_login(people["support"])
    before = Update.objects.count()
    with nothing_changes():
        response = client.post(
            address("write-update", world),
            {"status": "resolved", "audience": "public", "body": "All fixed", "action": "publish"},
        )
    assert response.status_code == 403
    assert Update.objects.count() == before
    assert world["incident"].updates.filter(status="resolved").count() == 0


def test_it_shows_a_viewer_no_write_buttons(client, people, world):
    client.force_login(people["support"])
    page = client.get(address("incident", world)).content.decode()
    assert "Write an update" not in page
    assert "Add to the timeline" not in page
    assert "Add to the ledger" not in page


def test_it_puts_a_services_refusal_on_the_field_it_names():
    form = UpdateForm({"status": "investigating", "audience": "public", "body": "Soon."})

    def refuse():
        raise ClearlineError("Say what customers can do meanwhile.", field="body")

    assert attempt(form, refuse) is None
    assert form.errors["body"] == ["Say what customers can do meanwhile."]
    assert form["body"].value() == "Soon."
