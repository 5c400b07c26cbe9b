"""A responder who types a time no clock could mean (year 1, year 9999) at the desk sees the field
named, keeps what they typed, and nothing is saved."""

import pytest

from clearline.accounts.models import Organisation
from clearline.core.models import AuditEntry
from clearline.incidents.models import Incident, TimelineEntry
from clearline.updates.models import Update
from tests.factories import make_incident

OPENING = {
    "title": "Invoices cannot be sent",
    "impact": "major",
    "visibility": "public",
    "segment_0_kind": "everyone",
}


@pytest.fixture(params=["America/Los_Angeles", "Pacific/Kiritimati"])
def far_zone(request, db):
    """West of UTC year 1 leaves the calendar, east of it the end of 9999 does."""
    Organisation.objects.update_or_create(defaults={"time_zone": request.param})
    return request.param


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0001-01-01T00:00", "Pick a time on or after 1 January 2000."),
        ("9999-12-31T23:59", "That time is in the future; give the time it happened."),
    ],
    ids=["year 1", "year 9999"],
)
def test_a_responder_cannot_open_an_incident_at_an_impossible_start(desk, far_zone, typed, says):
    audited = AuditEntry.objects.count()

    response = desk.post("/desk/incidents/new/", {**OPENING, "started_at": typed})

    assert response.status_code == 200
    assert response.context["form"].errors["started_at"] == [says]
    assert 'value="Invoices cannot be sent"' in response.content.decode()
    assert not Incident.objects.exists() and AuditEntry.objects.count() == audited


def test_a_responder_cannot_move_an_incident_start_to_year_1(desk, people):
    incident = make_incident(title="Invoices cannot be sent", by=people["comms"])
    before = Incident.objects.values().get(pk=incident.pk)

    response = desk.post(
        f"/desk/incidents/{incident.pk}/edit/",
        {**OPENING, "title": "Invoices fail", "started_at": "0001-01-01T00:00"},
    )

    assert response.context["form"].errors["started_at"] == [
        "Pick a time on or after 1 January 2000."
    ]
    assert Incident.objects.values().get(pk=incident.pk) == before


def test_a_responder_cannot_date_a_timeline_entry_in_year_1(desk, far_zone, people):
    incident = make_incident(title="Invoices cannot be sent", by=people["comms"])

    response = desk.post(
        f"/desk/incidents/{incident.pk}/timeline/",
        {"kind": "note", "text": "Paged the team.", "occurred_at": "0001-01-01T00:00"},
    )

    assert response.context["timeline_form"].errors["occurred_at"] == [
        "Pick a time on or after 1 January 2000."
    ]
    assert not TimelineEntry.objects.exists()


def test_a_responder_cannot_promise_the_next_update_in_year_9999(desk, far_zone, people):
    incident = make_incident(title="Invoices cannot be sent", by=people["comms"], published=False)
    body = "Invoices cannot be sent. We are looking into it."

    response = desk.post(
        f"/desk/incidents/{incident.pk}/updates/new/",
        {
            "status": "investigating",
            "audience": "public",
            "action": "save",
            "body": body,
            "next_update_due": "9999-12-31T23:59",
        },
    )

    assert response.context["form"].errors["next_update_due"] == [
        "Pick a time within 366 days from now."
    ]
    assert body in response.content.decode()
    assert not Update.objects.exists()
