"""A whole drill, run as the team would run a real incident — opened from the API, updated,
resolved, its preliminary report published, reviewed, an action item added — and nothing of it
reaches the status page, its files, its JSON, its feeds, a component's status or anyone's
inbox. Its response times are recorded beside the real incidents'."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from clearline import worker
from clearline.core.permissions import SYSTEM
from clearline.incidents.models import Incident
from clearline.notify.models import Channel, Delivery
from clearline.reviews import review as reviews
from clearline.reviews.actions.services import create_action_item
from clearline.reviews.insights.selectors import insights
from clearline.reviews.preliminary import preliminary_report
from clearline.reviews.review_selectors import review_of
from clearline.statuspage.snapshot import render_everything
from clearline.updates.services import publish_update
from tests.factories import make_component, make_incident, publish
from tests.notify.conftest import subscribe
from tests.statuspage.test_privacy import PUBLIC_PATHS

pytestmark = pytest.mark.usefixtures("delivery_settings")

MARK = "PRACTICE-7Q"  # in every text of the drill, so a leak anywhere is found by a search
REAL = "Invoices are sent late to some customers."


def run_worker():
    worker.run(batch=True, periodic=False)


@pytest.fixture
def world(transactional_db, people, smtp):
    payouts = make_component("Payouts")
    web = make_component("Web app")
    real = make_incident(title="Invoices late", body=REAL, components={web: "partial_outage"})
    run_worker()
    subscribe("kim@example.com")
    subscribe("payouts@example.com", components=[payouts])
    subscribe("http://127.0.0.1:9/hook", channel=Channel.WEBHOOK, secret="whsec_" + "A" * 32)
    smtp.messages.clear()
    return {"payouts": payouts, "real": real}


def run_the_drill(api_as, people, world) -> Incident:
    opened = api_as("comms").post(
        "/api/incidents",
        {
            "title": f"{MARK} payouts held for every region",
            "impact": "critical",
            "is_drill": True,
            "started_at": (timezone.now() - timedelta(minutes=50)).isoformat(),
            "commander": people["commander"].username,
            "components": [{"component": world["payouts"].public_id, "status": "major_outage"}],
        },
    )
    assert opened.status_code == 201 and opened.data["is_drill"] is True
    drill = Incident.objects.get(public_id=opened.data["id"])
    now = timezone.now()
    for minutes_ago, status, text in [
        (42, "investigating", "payouts are held for every region"),
        (20, "identified", "the payout batch job stopped; restarting it"),
        (5, "resolved", "payouts run again; the held batch was paid and checked"),
    ]:
        body = f"{MARK}: {text}."
        publish(
            drill, body, status=status, by=people["comms"], now=now - timedelta(minutes=minutes_ago)
        )
    run_worker()  # the outbox's consumers: snapshot, fan-out, preliminary report, review
    report = preliminary_report(drill)
    report.body = f"{MARK}: payouts were held from 10:00 to 10:45 UTC. A full review follows."
    report.save()
    publish_update(update=report, by=SYSTEM)
    review = review_of(drill)
    reviews.mark_held(review=review, by=people["commander"])
    create_action_item(
        incident=drill,
        by=people["commander"],
        outcome=f"{MARK} alert when the payout batch stops for five minutes",
        owner=people["comms"],
        due_date=timezone.localdate() + timedelta(days=7),
        category="detection",
    )
    run_worker()
    drill.refresh_from_db()
    return drill


def test_a_drill_runs_to_its_review_and_reaches_no_public_surface(
    client, api_as, people, world, snapshot_dir
):
    drill = run_the_drill(api_as, people, world)
    assert drill.status == "resolved" and review_of(drill).state == "held"
    assert drill.updates.filter(kind="preliminary", state="published").exists()

    month = f"/history/{drill.started_at:%Y-%m}"
    for path in [*PUBLIC_PATHS, month, f"/incidents/{world['real'].public_id}"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert MARK not in response.content.decode(), f"the drill shows on {path}"
    assert REAL in client.get("/").content.decode()  # the page does show what is public
    assert client.get(f"/incidents/{drill.public_id}").status_code == 404

    render_everything()
    files = [path for path in Path(snapshot_dir).rglob("*") if path.is_file()]
    assert files
    for path in files:
        assert MARK not in path.read_text(), f"the drill is in the snapshot file {path.name}"


def test_a_drill_moves_no_component_status(client, api_as, people, world):
    run_the_drill(api_as, people, world)
    world["payouts"].refresh_from_db()
    assert world["payouts"].status == "operational"
    components = json.loads(client.get("/api/v2/components.json").content)["components"]
    assert {c["name"]: c["status"] for c in components} == {
        "Payouts": "operational",
        "Web app": "partial_outage",
    }


def test_a_drill_tells_no_subscriber(api_as, people, world, smtp):
    run_the_drill(api_as, people, world)
    run_worker()
    assert not Delivery.objects.exists()
    assert smtp.messages == []


def test_the_drills_response_times_are_recorded_beside_the_real_ones(api_as, people, world):
    drill = run_the_drill(api_as, people, world)
    found = insights()
    assert (found.overall["real"].incidents, found.overall["drill"].incidents) == (1, 1)
    [row] = [row for row in found.incidents if row.is_drill]
    assert row.public_id == drill.public_id
    # Started 50 minutes ago; updates 42, 20 and 5 minutes ago.
    assert row.first_update_seconds == pytest.approx(8 * 60, abs=2)
    assert row.cadence_seconds == pytest.approx(round(37 * 60 / 2), abs=2)
    assert row.resolve_seconds == pytest.approx(45 * 60, abs=2)
    assert (row.on_time, row.late, row.actions_open) == (2, 0, 1)
    assert found.overall["drill"].first_update_seconds == row.first_update_seconds
