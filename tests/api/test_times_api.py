"""An integration that sends a time no clock could mean (year 1, years ahead) is told which field
is wrong, and nothing is stored."""

from datetime import UTC, datetime, timedelta

import pytest

from clearline.core.models import AuditEntry
from clearline.incidents.models import Incident, TimelineEntry
from clearline.updates.models import Update
from tests.factories import make_incident

YEAR_1 = "0001-01-01T00:00:00+00:00"


def ahead(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


@pytest.fixture
def comms(api_as):
    return api_as("comms")


def assert_refused(response, field: str):
    assert response.status_code == 400, response.data
    assert [error["field"] for error in response.data["errors"]] == [field]
    assert response.data["errors"][0]["message"] == response.data["detail"]


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("started_at", YEAR_1, "on or after 1 January 2000"),
        ("started_at", "1999-12-31T23:59:00+00:00", "on or after 1 January 2000"),
        ("started_at", ahead(hours=1), "in the future"),
        ("started_at", "9999-12-31T23:59:59-05:00", "in the future"),
        ("detected_at", YEAR_1, "on or after 1 January 2000"),
    ],
    ids=["year 1", "the day before 2000", "an hour ahead", "year 9999", "detected in year 1"],
)
def test_an_integration_cannot_open_an_incident_at_an_impossible_time(comms, field, value, says):
    body = {"title": "Checkout fails", "started_at": ahead(minutes=-5), field: value}
    audited = AuditEntry.objects.count()

    response = comms.post("/api/incidents", body)

    assert_refused(response, field)
    assert says in response.data["detail"]
    assert not Incident.objects.exists() and AuditEntry.objects.count() == audited


def test_an_integration_may_open_an_incident_a_clock_skew_ahead(comms):
    response = comms.post("/api/incidents", {"title": "Checkout", "started_at": ahead(minutes=2)})
    assert response.status_code == 201, response.data


def test_an_integration_cannot_move_an_incident_start_to_year_1(comms, people):
    incident = make_incident(title="Checkout fails", by=people["comms"])
    before = Incident.objects.values().get(pk=incident.pk)
    audited = AuditEntry.objects.count()

    response = comms.patch(f"/api/incidents/{incident.public_id}", {"started_at": YEAR_1})

    assert_refused(response, "started_at")
    assert Incident.objects.values().get(pk=incident.pk) == before
    assert AuditEntry.objects.count() == audited


def test_an_integration_cannot_date_a_timeline_entry_in_year_1(comms, people):
    incident = make_incident(title="Checkout fails", by=people["comms"])

    response = comms.post(
        f"/api/incidents/{incident.public_id}/timeline",
        {"text": "Rolled back the deploy.", "occurred_at": YEAR_1},
    )

    assert_refused(response, "occurred_at")
    assert not TimelineEntry.objects.exists()


@pytest.mark.parametrize(
    ("value", "says"),
    [(YEAR_1, "on or after 1 January 2000"), (ahead(days=400), "within 366 days")],
    ids=["year 1", "400 days ahead"],
)
def test_an_integration_cannot_promise_the_next_update_at_an_impossible_time(
    comms, people, value, says
):
    incident = make_incident(title="Checkout fails", by=people["comms"])
    drafts = Update.objects.count()

    response = comms.post(
        f"/api/incidents/{incident.public_id}/updates",
        {"body": "We are still looking into it.", "next_update_due": value},
    )

    assert_refused(response, "next_update_due")
    assert says in response.data["detail"]
    assert Update.objects.count() == drafts


def test_an_integration_may_promise_the_next_update_days_ahead(comms, people):
    incident = make_incident(title="Checkout fails", by=people["comms"])
    response = comms.post(
        f"/api/incidents/{incident.public_id}/updates",
        {"body": "We will write again on Monday.", "next_update_due": ahead(days=3)},
    )
    assert response.status_code == 201, response.data


def test_an_integration_composes_from_the_start_it_gives(comms, people):
    incident = make_incident(title="Exports fail", by=people["comms"], published=False)
    started = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)

    response = comms.post(
        f"/api/incidents/{incident.public_id}/compose",
        {"kind": "first", "symptom": "Exports fail", "started_at": started.isoformat()},
    )

    assert response.status_code == 200, response.data
    assert f"{started:%H:%M} UTC" in response.data["text"]


def test_an_integration_cannot_compose_from_a_start_in_year_1(comms, people):
    incident = make_incident(title="Exports fail", by=people["comms"], published=False)

    response = comms.post(
        f"/api/incidents/{incident.public_id}/compose?draft=true",
        {"kind": "first", "symptom": "Exports fail", "action": "Wait", "started_at": YEAR_1},
    )

    assert_refused(response, "started_at")
    assert not Update.objects.exists()


def test_an_incident_stored_with_year_1_must_have_its_start_corrected_first(comms, people):
    """An incident written before these checks: any edit names the start to correct, and the
    correction itself goes through."""
    incident = make_incident(title="Checkout fails", by=people["comms"])
    Incident.objects.filter(pk=incident.pk).update(started_at=datetime(1, 1, 1, tzinfo=UTC))
    path = f"/api/incidents/{incident.public_id}"

    assert_refused(comms.patch(path, {"title": "Checkout fails for cards"}), "started_at")
    fixed = comms.patch(path, {"started_at": ahead(hours=-1), "title": "Card checkout fails"})

    assert fixed.status_code == 200, fixed.data
    assert fixed.data["title"] == "Card checkout fails"
