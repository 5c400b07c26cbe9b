"""An admin correcting records in the back office is held to the same plausible times."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.core.models import AuditEntry, OutboxEvent
from clearline.incidents.models import Maintenance
from tests.factories import PASSWORD, run_jobs


@pytest.fixture
def admin_site(client, people):
    assert client.login(username=people["admin"].username, password=PASSWORD)
    return client


def window(start: str, end: str) -> dict:
    return {
        "title": "Database upgrade",
        "description": "Checkout pauses for five minutes.",
        "status": "scheduled",
        "visibility": "public",
        "scheduled_for_0": start,
        "scheduled_for_1": "10:00:00",
        "scheduled_until_0": end,
        "scheduled_until_1": "11:00:00",
    }


def day(delta: timedelta) -> str:
    return f"{timezone.now() + delta:%Y-%m-%d}"


@pytest.mark.parametrize(
    ("start", "end", "field", "says"),
    [
        ("0001-01-01", "0001-01-01", "scheduled_for", "Pick a time on or after 1 January 2000."),
        ("9999-12-31", "9999-12-31", "scheduled_for", "Pick a time within 366 days from now."),
        (day(timedelta(days=2)), day(timedelta(days=1)), "scheduled_until", "cannot end before"),
    ],
    ids=["year 1", "year 9999", "ends before it begins"],
)
def test_an_admin_cannot_schedule_maintenance_at_an_impossible_time(
    admin_site, start, end, field, says
):
    audited = AuditEntry.objects.count()

    response = admin_site.post("/admin/incidents/maintenance/add/", window(start, end))

    assert response.status_code == 200
    assert says in " ".join(response.context["adminform"].form.errors[field])
    assert not Maintenance.objects.exists() and AuditEntry.objects.count() == audited


def test_an_admin_schedules_maintenance_next_week(admin_site):
    week = day(timedelta(days=7))
    response = admin_site.post("/admin/incidents/maintenance/add/", window(week, week))
    assert response.status_code == 302
    assert Maintenance.objects.get().title == "Database upgrade"


@pytest.mark.parametrize(
    "visibility, ticked, kind, told",
    [
        ("public", True, "maintenance.published", True),
        ("public", False, "maintenance.published", False),
        ("internal", True, "page.changed", False),
    ],
    ids=["public", "public-quietly", "internal"],
)
def test_saving_maintenance_writes_its_event_and_the_page_shows_it(
    admin_site, client, visibility, ticked, kind, told
):
    week = day(timedelta(days=7))
    form = {**window(week, week), "visibility": visibility, **({"notify": "on"} if ticked else {})}
    assert (
        admin_site.get("/admin/incidents/maintenance/add/")
        .context["adminform"]
        .form["notify"]
        .initial
        is True
    )
    admin_site.post("/admin/incidents/maintenance/add/", form)
    maintenance = Maintenance.objects.get()
    [event] = OutboxEvent.objects.all()
    assert (event.kind, event.notify) == (kind, told)
    assert event.maintenance_id == (maintenance.pk if kind == "maintenance.published" else None)
    run_jobs()
    shown = "Database upgrade" in client.get("/api/v2/scheduled-maintenances.json").content.decode()
    assert shown is (visibility == "public")
