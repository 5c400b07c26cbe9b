"""A client author reads /api/v2/openapi.json and builds on it: every public document is served
as described there, field for field, on a page with something of everything on it."""

from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.incidents.models import Maintenance
from clearline.statuspage import openapi, v2
from clearline.wsgi import application
from tests.factories import make_component, make_incident, publish
from tests.schemathesis_run import CHECKS, bounded
from tests.statuspage.test_statuspage_v2 import page_with_history  # noqa: F401 (a fixture)

schema = schemathesis.openapi.from_wsgi("/api/v2/openapi.json", application)


@pytest.fixture
def busy_page(db, request):
    """The v2 tests' page, and what must stay off it: a hidden component, an internal incident;
    and maintenance that is over."""
    make_component("Back office", showcase=False)
    make_incident(title="Internal: disk alarms", visibility="internal")
    live = request.getfixturevalue("page_with_history")["live"]
    publish(live, "The rollback is done; we are watching error rates.", status="monitoring")
    done = timezone.now() - timedelta(days=2)
    Maintenance.objects.create(
        title="Certificate rotation",
        description="Done without interruption.",
        status="completed",
        scheduled_for=done,
        scheduled_until=done + timedelta(minutes=10),
    )


@schema.parametrize()
@bounded
def test_every_public_document_is_served_as_described(case, in_process, busy_page):
    case.call_and_validate(checks=CHECKS)


def test_the_description_names_every_document_the_page_serves(db):
    described = {path.removeprefix("/api/v2/") for path in openapi.document()["paths"]}
    assert described == set(v2.documents(Organisation.current()))


def test_the_description_is_served_beside_the_documents(client):
    response = client.get("/api/v2/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"]["/api/v2/summary.json"]["get"]["operationId"] == "summary"
