"""Every brief address asks who you are first, and lets each role do only what it may."""

import pytest
from django.urls import reverse

from clearline.brief.models import Answer, CustomerSignal
from clearline.brief.urls import urlpatterns
from tests.brief.conftest import ask, drafted
from tests.unchanged import audited, nothing_changes

ADDRESSES = [pattern.name for pattern in urlpatterns]
# Support reads these and logs signal; answering and approving is for responders and above.
VIEWER_MAY = {"brief", "signal", "log-signal"}
RESPONDER_ONLY = [name for name in ADDRESSES if name not in VIEWER_MAY]


@pytest.fixture
def world(people, incident):
    signal = ask(incident, people["support"], "Were we charged twice?", "Acme")
    answer = drafted(incident, people["comms"], "We are checking.")
    return {"incident": incident, "answer": answer, "group": signal.group, "topic": "data_safe"}


def address(name, world):
    pattern = next(p for p in urlpatterns if p.name == name)
    kwargs = {}
    for key in pattern.pattern.converters:
        value = world[key.removesuffix("_id")]
        kwargs[key] = value if isinstance(value, str) else value.pk
    return reverse(f"brief:{name}", kwargs=kwargs)


def test_it_knows_every_address():
    assert VIEWER_MAY < set(ADDRESSES)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ADDRESSES)
def test_it_sends_an_anonymous_visitor_to_sign_in(client, world, name, method):
    data = {"text": "x", "kind": "question", "version": "1", "question": "x"}
    with nothing_changes():
        response = getattr(client, method)(address(name, world), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ADDRESSES)
def test_it_refuses_an_outsider_with_no_role(client, people, world, name, method):
    client.force_login(people["outsider"])
    data = {"text": "x", "kind": "question", "version": "1", "question": "x"}
    with nothing_changes():
        response = getattr(client, method)(address(name, world), data)
    assert response.status_code == 403


@pytest.mark.parametrize("name", RESPONDER_ONLY)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_answer_writing_and_approval_to_a_support_viewer(
    client, people, world, name, method
):
    client.force_login(people["support"])
    answer = world["answer"]
    data = {"text": "x", "version": "1", "question": "x", "content_hash": answer.content_hash}
    with nothing_changes():
        response = getattr(client, method)(address(name, world), data)
    assert response.status_code == 403
    assert not Answer.objects.get(pk=answer.pk).is_approved
    assert Answer.objects.get(pk=answer.pk).text == "We are checking."


def test_it_lets_a_support_viewer_read_the_brief(client, people, world):
    client.force_login(people["support"])
    assert client.get(address("brief", world)).status_code == 200


def test_it_lets_a_support_viewer_read_and_log_customer_signal(client, people, world):
    client.force_login(people["support"])
    assert client.get(address("signal", world)).status_code == 200
    with audited() as entries:
        response = client.post(
            address("log-signal", world), {"kind": "question", "text": "Is my data safe?"}
        )
    assert response.status_code == 302
    signal = CustomerSignal.objects.get(text="Is my data safe?")
    assert (signal.logged_by.username, signal.kind, signal.incident_id) == (
        "vic",
        "question",
        world["incident"].pk,
    )
    assert entries == [
        ("question_group.created", "vic", "brief.questiongroup", str(signal.group_id)),
        ("signal.logged", "vic", "brief.customersignal", str(signal.pk)),
    ]
    assert signal.group.title == "Is my data safe?"


def test_it_refuses_approval_to_a_responder_who_is_not_the_commander(client, people, world):
    client.force_login(people["comms"])
    answer = world["answer"]
    with nothing_changes():
        response = client.post(
            address("approve-answer", world), {"content_hash": answer.content_hash}
        )
    assert response.status_code == 403
    assert not Answer.objects.get(pk=answer.pk).is_approved


def test_it_shows_a_viewer_no_writing_or_approving_controls(client, people, world):
    client.force_login(people["support"])
    page = client.get(address("brief", world)).content.decode()
    assert "Draft an answer" not in page
    assert "Approve this text" not in page
    assert "We are checking." not in page  # a draft is not for pasting
