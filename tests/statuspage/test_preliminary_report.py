"""A customer opens a resolved incident's page the day after: the preliminary report sits under
its own heading, apart from the updates; feeds and JSON carry it as one more update. A drill's or
an internal incident's report, and any draft, never show."""

import html
import json
import re

import feedparser
import pytest

from clearline.core.permissions import SYSTEM
from clearline.reviews.preliminary import preliminary_report
from clearline.updates.services import publish_update
from tests.factories import make_incident, publish, run_jobs

REPORT = "PRELIMINARY-REPORT: exports failed from 09:00 UTC to 10:00 UTC for everyone."


def resolved_with_report(*, published: bool = True, **fields):
    incident = make_incident(title="Exports fail", body="Exports fail for everyone.", **fields)
    publish(incident, "Exports work again for everyone.", status="resolved")
    run_jobs()  # the worker drafts the report
    report = preliminary_report(incident)
    report.body = REPORT
    report.save()
    if published:
        publish_update(update=report, by=SYSTEM)
        run_jobs()  # and renders the page
    return incident


def section(page: str, heading: str) -> str:
    """The text of the section headed `heading` on a page."""
    match = re.search(rf"<section[^>]*>\s*<h2[^>]*>{heading}</h2>(.*?)</section>", page, re.S)
    assert match, f"no section headed {heading!r}"
    return html.unescape(match.group(1))


def stream(page: str) -> str:
    return html.unescape("".join(re.findall(r'<div class="update">.*?</div>', page, re.S)))


@pytest.mark.django_db
def test_the_incident_page_shows_it_under_its_own_heading_apart_from_the_updates(client):
    incident = resolved_with_report()
    page = client.get(f"/incidents/{incident.public_id}").content.decode()
    assert REPORT in section(page, "Preliminary report")
    assert REPORT not in stream(page)
    assert "Exports work again for everyone." in stream(page)


@pytest.mark.django_db
def test_the_front_page_links_to_it_and_keeps_the_resolution_as_the_latest_word(client):
    incident = resolved_with_report()
    page = client.get("/").content.decode()
    assert f'href="/incidents/{incident.public_id}#preliminary-report"' in page
    assert "Exports work again for everyone." in stream(page)
    assert REPORT not in page


@pytest.mark.django_db
def test_feeds_and_json_carry_it_as_an_update_with_its_text(client):
    incident = resolved_with_report()
    feed = feedparser.parse(client.get("/history.atom").content)
    [entry] = feed.entries
    assert "Preliminary report" in entry.summary and REPORT in html.unescape(entry.summary)
    incidents = json.loads(client.get("/api/v2/incidents.json").content)["incidents"]
    [doc] = [i for i in incidents if i["id"] == incident.public_id]
    assert doc["status"] == "resolved"
    assert doc["incident_updates"][0]["body"] == REPORT
    assert doc["incident_updates"][0]["status"] == "resolved"


@pytest.mark.django_db
def test_a_draft_report_shows_nowhere(client):
    incident = resolved_with_report(published=False)
    for path in (
        f"/incidents/{incident.public_id}",
        "/",
        "/history.atom",
        "/api/v2/incidents.json",
    ):
        assert "PRELIMINARY-REPORT" not in client.get(path).content.decode(), path


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [{"is_drill": True}, {"visibility": "internal"}])
def test_a_drill_or_an_internal_incident_never_shows_it(client, fields):
    incident = resolved_with_report(**fields)
    assert preliminary_report(incident).is_published
    for path in ("/", "/history.atom", "/history.rss", "/api/v2/incidents.json"):
        assert "PRELIMINARY-REPORT" not in client.get(path).content.decode(), path
    assert client.get(f"/incidents/{incident.public_id}").status_code == 404
