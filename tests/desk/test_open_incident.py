"""A comms owner opens an incident from the desk form and lands on the first update."""

from datetime import UTC, datetime

from clearline.accounts.models import Organisation
from clearline.incidents.models import Incident
from tests.factories import make_component
from tests.unchanged import audited

FORM = {
    "title": "Invoices cannot be sent",
    "impact": "major",
    "visibility": "public",
    "still_works": "Invoices can still be created and paid through their links.",
    "started_at": "2025-01-15T10:00",
    "segment_0_kind": "region",
    "segment_0_label": "Europe",
    "segment_1_kind": "plan",
    "segment_1_label": "Business",
}


def test_it_opens_an_incident_and_asks_for_the_first_update(desk, people):
    with audited() as entries:
        response = desk.post("/desk/incidents/new/", {**FORM, "commander": people["commander"].pk})
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert incident.created_by.username == "sam"
    assert entries[0] == ("incident.opened", "sam", "incidents.incident", str(incident.pk))
    assert response["Location"] == f"/desk/incidents/{incident.pk}/compose/first/"
    assert incident.title == "Invoices cannot be sent"
    assert incident.commander == people["commander"]


def test_it_records_each_affected_component_with_its_status(desk):
    email = make_component("Email delivery")
    make_component("Web app")
    desk.post("/desk/incidents/new/", {**FORM, f"component_{email.pk}": "major_outage"})
    affected = Incident.objects.get().affected.get()
    assert (affected.component, affected.status) == (email, "major_outage")


def test_it_records_every_segment_named(desk):
    desk.post("/desk/incidents/new/", FORM)
    segments = [str(s) for s in Incident.objects.get().segments.all()]
    assert segments == ["Region: Europe", "Plan: Business"]


def test_it_reads_the_start_time_in_the_organisation_zone(desk):
    Organisation.objects.update_or_create(defaults={"time_zone": "Europe/Berlin"})
    desk.post("/desk/incidents/new/", FORM)
    assert Incident.objects.get().started_at == datetime(2025, 1, 15, 9, 0, tzinfo=UTC)


def test_it_names_the_organisation_zone_on_the_form(desk):
    Organisation.objects.update_or_create(defaults={"time_zone": "America/Chicago"})
    page = desk.get("/desk/incidents/new/").content.decode()
    assert "Started at (America/Chicago)" in page


def test_it_makes_the_person_opening_it_the_comms_owner_by_default(desk, people):
    form = desk.get("/desk/incidents/new/").context["form"]
    assert form["comms_owner"].value() == people["comms"].pk


def test_it_names_the_missing_title_and_keeps_what_was_typed(desk):
    response = desk.post("/desk/incidents/new/", {**FORM, "title": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Give the incident a title."]
    assert "Invoices can still be created and paid through their links." in page
    assert 'value="Europe"' in page
    assert not Incident.objects.exists()


def test_it_asks_which_region_when_a_segment_names_none(desk):
    response = desk.post("/desk/incidents/new/", {**FORM, "segment_0_label": ""})
    errors = response.context["form"].errors
    assert errors["segment_0_label"] == ["Name the region, plan, platform or feature."]
    assert not Incident.objects.exists()


def test_it_refuses_a_start_time_that_is_not_a_time(desk):
    response = desk.post("/desk/incidents/new/", {**FORM, "started_at": "yesterday-ish"})
    assert "started_at" in response.context["form"].errors
    assert 'value="Invoices cannot be sent"' in response.content.decode()
