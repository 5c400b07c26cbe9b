"""A time at the calendar's ends, stored before the checks existed or by a raw UPDATE, never takes
the public page down: every page, JSON document and feed still answers."""

import json
from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from clearline.accounts.models import Organisation
from clearline.incidents.models import Component, Incident, Maintenance
from clearline.statuspage import snapshot
from clearline.updates.models import Update
from tests.factories import make_component, make_incident

YEAR_1 = datetime(1, 1, 1, tzinfo=UTC)
YEAR_9999 = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# West of UTC, year 1 leaves the calendar; east of it, the end of 9999 does.
ZONES = ["America/Los_Angeles", "Pacific/Kiritimati"]
# Every stored time a public surface shows, as a raw UPDATE would change it.
FORCED = {
    "incident started": lambda w, v: Incident.objects.filter(pk=w["open"].pk).update(started_at=v),
    "incident resolved": lambda w, v: Incident.objects.filter(pk=w["resolved"].pk).update(
        resolved_at=v
    ),
    "update published": lambda w, v: Update.objects.filter(incident=w["open"]).update(
        published_at=v
    ),
    "next update due": lambda w, v: Update.objects.filter(incident=w["open"]).update(
        next_update_due=v
    ),
    "maintenance window": lambda w, v: Maintenance.objects.filter(pk=w["maintenance"].pk).update(
        scheduled_for=v, scheduled_until=v
    ),
    "component created": lambda w, v: Component.objects.filter(pk=w["component"].pk).update(
        created_at=v, updated_at=v
    ),
}


def public_addresses(world) -> list[str]:
    return [
        "/",
        "/history/",
        f"/history/{datetime.now(UTC):%Y-%m}",
        f"/incidents/{world['open'].public_id}",
        f"/incidents/{world['resolved'].public_id}",
        "/history.atom",
        "/history.rss",
        *(f"/api/v2/{name}" for name in snapshot.V2_DOCUMENTS),
    ]


@pytest.fixture
def world(db):
    component = make_component("Checkout")
    open_incident = make_incident(
        title="Payments fail", components={component: "major_outage"}, still_works="Browsing"
    )
    resolved = make_incident(title="Slow search", status="resolved", started_ago=timedelta(hours=3))
    maintenance = Maintenance.objects.create(
        title="Database upgrade",
        description="Checkout pauses for five minutes.",
        scheduled_for=datetime.now(UTC) + timedelta(days=1),
        scheduled_until=datetime.now(UTC) + timedelta(days=1, hours=1),
    )
    maintenance.components.add(component)
    return {
        "component": component,
        "open": open_incident,
        "resolved": resolved,
        "maintenance": maintenance,
    }


def assert_every_public_surface_answers(client, world):
    for path in public_addresses(world):
        response = client.get(path)
        assert response.status_code == 200, path
        if path.endswith(".json"):
            json.loads(response.content)
        elif path.startswith("/history."):
            assert not feedparser.parse(response.content).bozo, path


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("value", [YEAR_1, YEAR_9999], ids=["year 1", "year 9999"])
@pytest.mark.parametrize("field", list(FORCED))
def test_a_customer_still_reads_every_page_after_a_time_at_the_calendars_end(
    client, world, field, value, zone
):
    Organisation.objects.filter(pk=Organisation.current().pk).update(time_zone=zone)
    FORCED[field](world, value)

    assert_every_public_surface_answers(client, world)
    # The full re-render of `clearline snapshot` gets through too.
    assert "index.html" in snapshot.render_everything()


def test_a_customer_never_sees_a_month_page_for_a_stored_year_1_start(client, world, snapshot_dir):
    FORCED["incident started"](world, YEAR_1)
    snapshot.render_everything()

    assert client.get("/history/0001-01").status_code == 404
    assert not list(snapshot_dir.glob("history/0001-*"))
    assert 'href="/history/0001' not in client.get("/history/").content.decode()
