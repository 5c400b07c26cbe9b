"""The desk shows an approved update as each channel will carry it, ready to copy."""

import html
import re

import pytest

from clearline.updates.services import draft_update
from tests.channels.conftest import approve
from tests.factories import make_incident, publish

HOSTILE = 'Card <script>alert(1)</script> & "quotes" fail <!channel>\nNext update in 30 minutes.'


@pytest.fixture
def published(people):
    incident = make_incident(title="Card <b>payments</b> fail", by=people["comms"])
    return publish(incident, HOSTILE, status="identified", by=people["comms"])


def page_of(client, update):
    return client.get(f"/desk/updates/{update.pk}/channels/")


def textareas(page: str) -> dict[str, str]:
    found = re.findall(r'<textarea id="([\w-]+)"[^>]*>\n(.*?)</textarea>', page, re.S)
    return {name: html.unescape(text) for name, text in found}


def test_a_support_viewer_sees_every_rendering_with_copy_buttons(client, people, published):
    client.force_login(people["support"])
    response = page_of(client, published)
    assert response.status_code == 200
    page = response.content.decode()
    shown = textareas(page)
    assert set(shown) == {
        "copy-text",
        "copy-email-text",
        "copy-email-html",
        "copy-webhook-headers",
        "copy-webhook-body",
        "copy-chat",
    }
    assert HOSTILE in shown["copy-text"] and HOSTILE in shown["copy-email-text"]
    assert "webhook-signature: v1," in shown["copy-webhook-headers"]
    assert "&lt;!channel&gt;" in shown["copy-chat"]
    for name in shown:
        assert f'<button type="button" data-copy="{name}" hidden>Copy</button>' in page


def test_it_escapes_what_people_wrote(client, people, published):
    client.force_login(people["support"])
    page = page_of(client, published).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<b>payments</b>" not in page
    # The email preview frame runs no scripts and holds the HTML part as an attribute.
    frame = re.search(r"<iframe [^>]*>", page)[0]
    assert " sandbox " in frame and "<" not in frame[1:-1]


def test_it_refuses_people_without_a_role(client, people, published):
    client.force_login(people["outsider"])
    assert page_of(client, published).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, published):
    response = page_of(client, published)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_explains_that_a_draft_renders_nowhere(client, people):
    incident = make_incident(by=people["comms"])
    draft = draft_update(incident=incident, by=people["comms"], body="Still <i>checking</i>.")
    client.force_login(people["comms"])
    response = page_of(client, draft)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Every channel renders from the approved text" in page
    assert "Still &lt;i&gt;checking&lt;/i&gt;." in page and "copy-text" not in page


def test_it_renders_an_approved_update_not_yet_published(client, people):
    incident = make_incident(by=people["comms"])
    draft = draft_update(incident=incident, by=people["comms"], body="Checked and approved.")
    client.force_login(people["support"])
    response = page_of(client, approve(draft, people["commander"]))
    assert response.status_code == 200
    assert "Checked and approved." in textareas(response.content.decode())["copy-text"]


def test_it_warns_that_an_internal_update_reaches_no_customer(client, people):
    incident = make_incident(by=people["comms"])
    note = publish(incident, "For the team.", audience="internal", by=people["comms"])
    client.force_login(people["support"])
    assert "customers receive none of these" in page_of(client, note).content.decode()


def test_it_links_each_published_update_to_its_channels(client, people, published):
    client.force_login(people["support"])
    page = client.get(f"/desk/incidents/{published.incident_id}/").content.decode()
    assert f'href="/desk/updates/{published.pk}/channels/"' in page
