"""The demo company's resolved incident has its customer report published: on its page with
the PDF link, as the postmortem in Statuspage JSON, and passing its own checks."""

import json

import pytest

from clearline import demo
from clearline.incidents.models import Incident
from clearline.reviews.reports import selectors
from clearline.updates import checking
from tests.factories import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident():
    demo.load()
    run_jobs()
    return Incident.objects.get(title="Invoice emails delivered late")


def test_the_demo_publishes_one_external_report(incident, client):
    report = selectors.published_external(incident)
    assert report is not None and report.edition == "plain"
    found = checking.check_draft(
        incident=incident, body=report.update.body, status="resolved", kind="report"
    ).findings
    assert [f.code for f in found if f.severity == "error"] == []
    doc = json.loads(client.get("/api/v2/incidents.json").content)
    [listed] = [i for i in doc["incidents"] if i["id"] == incident.public_id]
    assert listed["postmortem_body"] == report.update.body
    page = client.get(f"/incidents/{incident.public_id}").content.decode()
    assert f'href="/incidents/{incident.public_id}/report.pdf"' in page
    assert client.get(f"/incidents/{incident.public_id}/report.pdf")["Content-Type"] == (
        "application/pdf"
    )
