"""An admin sets the organisation's working days and its country and region for holidays, in
the admin where the organisation is edited."""

import pytest

from clearline.accounts.models import Organisation
from clearline.core.business_days import Calendar
from clearline.core.models import AuditEntry
from tests.factories import organisation_admin_form


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["admin"])
    return client


def save_in_admin(client, **changes):
    org = Organisation.current()
    data = organisation_admin_form(org)
    return client.post(f"/admin/accounts/organisation/{org.pk}/change/", data | changes)


def test_the_admin_shows_the_working_days_as_boxes_to_tick(admin_client):
    page = admin_client.get(f"/admin/accounts/organisation/{Organisation.current().pk}/change/")
    html = page.content.decode()
    assert 'type="checkbox" name="working_days" value="sat"' in html
    assert "Business days" in html and "region for public holidays" in html.lower()


def test_an_admin_sets_england_and_a_four_day_week(admin_client):
    response = save_in_admin(
        admin_client,
        holiday_country="gb",
        holiday_subdivision="eng",
        working_days=["mon", "tue", "wed", "thu"],
    )
    assert response.status_code == 302
    org = Organisation.current()
    assert org.calendar == Calendar(("mon", "tue", "wed", "thu"), "GB", "ENG")
    entry = AuditEntry.objects.get(action="admin.edited")
    assert {"holiday_country", "holiday_subdivision", "working_days"} <= set(entry.changes)


def test_the_admin_names_the_field_of_a_region_the_calendars_do_not_know(admin_client):
    response = save_in_admin(admin_client, holiday_country="DE", holiday_subdivision="XY")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["holiday_subdivision"]
    assert "'XY' is not a region of DE" in errors["holiday_subdivision"][0]
    assert Organisation.current().holiday_country == ""


def test_the_admin_refuses_a_week_with_no_working_day(admin_client):
    data = {"holiday_country": "", "holiday_subdivision": ""}
    org = Organisation.current()
    form = organisation_admin_form(org, leave_out=("working_days",)) | data
    response = admin_client.post(f"/admin/accounts/organisation/{org.pk}/change/", form)
    assert response.status_code == 200
    assert "working_days" in response.context["adminform"].form.errors
