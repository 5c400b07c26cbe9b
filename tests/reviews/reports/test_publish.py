"""The commander publishes the customer report through the one publish path: customers read it
on the incident page (with its PDF), in the feeds and in Statuspage's JSON as the postmortem;
subscribers hear of it. The internal report never reaches any of them."""

import html
import json

import feedparser
import pytest

from clearline import worker
from clearline.core.errors import ClearlineError
from clearline.notify.models import Delivery
from clearline.reviews.reports import services
from clearline.updates.services import approve_update, content_hash_of, publish_update
from tests.notify.conftest import subscribe
from tests.reviews.reports.conftest import publish_edition

PUBLIC_PATHS = ("/", "/history.atom", "/history.rss", "/api/v2/incidents.json")


def test_incidents_json_carries_it_as_the_postmortem(filled, people, client):
    reports = publish_edition(filled, people)
    doc = json.loads(client.get("/api/v2/incidents.json").content)
    [incident] = [i for i in doc["incidents"] if i["id"] == filled.public_id]
    assert incident["postmortem_body"] == reports["plain"].update.body
    assert incident["postmortem_published_at"].startswith(
        reports["plain"].update.published_at.astimezone(filled_zone()).strftime("%Y-%m-%dT%H:%M")
    )
    # It is the postmortem, not one more update of the incident.
    bodies = [u["body"] for u in incident["incident_updates"]]
    assert reports["plain"].update.body not in bodies


def filled_zone():
    from clearline.accounts.models import Organisation

    return Organisation.current().zone


def test_an_incident_without_a_published_report_has_no_postmortem(filled, people, client):
    services.draft_reports(incident=filled, by=people["comms"])
    doc = json.loads(client.get("/api/v2/incidents.json").content)
    [incident] = [i for i in doc["incidents"] if i["id"] == filled.public_id]
    assert incident["postmortem_body"] is None and incident["postmortem_published_at"] is None


def test_the_incident_page_shows_it_and_links_its_pdf(filled, people, client):
    publish_edition(filled, people)
    page = client.get(f"/incidents/{filled.public_id}").content.decode()
    assert '<h2 id="incident-report-heading">Incident report</h2>' in page
    assert "<h3>What we are changing</h3>" in page
    assert "<h2>Incident report:" not in page  # the report's own title would say it twice
    link = f'href="/incidents/{filled.public_id}/report.pdf"'
    assert link in page
    pdf = client.get(f"/incidents/{filled.public_id}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_feeds_carry_it(filled, people, client):
    publish_edition(filled, people)
    feed = feedparser.parse(client.get("/history.atom").content)
    summaries = " ".join(html.unescape(entry.summary) for entry in feed.entries)
    assert "What we are changing" in summaries


def test_no_pdf_is_served_before_it_is_published(filled, people, client):
    services.draft_reports(incident=filled, by=people["comms"])
    assert client.get(f"/incidents/{filled.public_id}/report.pdf").status_code == 404


def test_the_internal_report_is_never_published(filled, people):
    reports = {r.edition: r for r in services.draft_reports(incident=filled, by=people["comms"])}
    internal = reports["internal"].update
    approve_update(update=internal, by=people["commander"], content_hash=content_hash_of(internal))
    with pytest.raises(ClearlineError, match="never published"):
        services.publish_report(report=reports["internal"], by=people["commander"])
    with pytest.raises(ClearlineError, match="never published"):
        publish_update(update=internal, by=people["commander"])


def test_the_internal_report_reaches_no_public_surface(filled, people, client):
    publish_edition(filled, people)
    for path in (*PUBLIC_PATHS, f"/incidents/{filled.public_id}"):
        page = html.unescape(client.get(path).content.decode())
        assert "Five Whys" not in page and "Internal report" not in page, path


def test_customers_get_one_version_of_the_report(filled, people):
    reports = publish_edition(filled, people, "technical")
    other = reports["plain"].update
    approve_update(update=other, by=people["commander"], content_hash=content_hash_of(other))
    with pytest.raises(ClearlineError, match="already published"):
        services.publish_report(report=reports["plain"], by=people["commander"])


@pytest.mark.usefixtures("delivery_settings")
def test_subscribers_hear_of_it(transactional_db, filled, people, smtp):
    subscribe("kim@example.com")
    worker.run(batch=True, periodic=False)
    smtp.messages.clear()
    reports = publish_edition(filled, people)
    worker.run(batch=True, periodic=False)
    assert [m["To"] for m in smtp.messages] == ["kim@example.com"]
    assert smtp.messages[0]["Subject"].endswith("Incident report: Invoice emails delivered late")
    assert Delivery.objects.filter(event__update_id=reports["plain"].update_id).count() == 1
