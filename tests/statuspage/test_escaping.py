"""Whatever a responder types, the public surfaces show it as text: no markup, no script."""

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest

from clearline.incidents.models import Segment
from tests.factories import make_component, make_incident

PAYLOADS = [
    "<script>alert('t1')</script>",
    '"><img src=x onerror=alert(2)>',
    "<svg/onload=alert(3)>",
    '<a href="javascript:alert(4)">open</a>',
    "</title><script>alert(5)</script>",
    "<iframe src=//example.invalid/6></iframe>",
    "<style>body{display:none}</style>",
    "'';!--\"<XSS7>=&{()}",
    "[click me](javascript:alert(8))",
    "<details open ontoggle=alert(9)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(10)>",
]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(params=range(len(PAYLOADS)), ids=[f"payload{i}" for i in range(len(PAYLOADS))])
def hostile_incident(request, db):
    payload = PAYLOADS[request.param]
    component = make_component(f"API {payload}")
    incident = make_incident(
        title=f"Title {payload}",
        body=f"Body {payload}",
        still_works=f"Works {payload}",
        components={component: "major_outage"},
    )
    Segment.objects.create(incident=incident, kind="region", label=f"Region {payload}")
    return payload, incident


def assert_shown_as_text(html: str, payload: str, where: str):
    """Markup arrives escaped; Markdown stays literal text and never becomes a link."""
    assert "Body " in html, where
    if "<" in payload or '"' in payload:
        assert payload not in html, f"raw markup in {where}"
    assert 'href="javascript:' not in html and "href='javascript:" not in html, where


def test_it_escapes_user_text_on_every_html_page(client, hostile_incident):
    payload, incident = hostile_incident
    for path in (
        "/",
        f"/incidents/{incident.public_id}",
        "/history/",
        f"/history/{incident.started_at:%Y-%m}",
    ):
        html = client.get(path).content.decode()
        assert_shown_as_text(html, payload, path)
        assert html.count("<script>") == 1, f"a script tag was injected on {path}"
        assert "<img" not in html and "<iframe" not in html and "<svg/" not in html


def test_it_keeps_user_text_as_plain_strings_in_json(client, hostile_incident):
    payload, incident = hostile_incident
    response = client.get("/api/v2/summary.json")
    assert response["X-Content-Type-Options"] == "nosniff"
    doc = json.loads(response.content)
    assert doc["incidents"][0]["name"] == f"Title {payload}"
    assert doc["incidents"][0]["incident_updates"][0]["body"] == f"Body {payload}"


def test_it_escapes_user_text_inside_feed_entries(client, hostile_incident):
    payload, incident = hostile_incident
    atom = client.get("/history.atom").content
    entry = ET.fromstring(atom).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == f"Title {payload}"
    assert_shown_as_text(entry.find(f"{ATOM}summary").text, payload, "atom")
    rss = client.get("/history.rss").content
    assert_shown_as_text(ET.fromstring(rss).find("channel/item/description").text, payload, "rss")
    assert feedparser.parse(atom).entries[0].title == f"Title {payload}"
