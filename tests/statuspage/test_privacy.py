"""Nothing internal reaches the public: not on a page, in JSON, in a feed or in a snapshot file."""

import json
from datetime import timedelta
from pathlib import Path

import pytest

from clearline.statuspage.snapshot import render_everything
from clearline.updates.services import draft_update
from tests.factories import make_component, make_incident, publish, run_jobs

SECRETS = ["SECRET-INTERNAL", "SECRET-DRILL", "SECRET-NOTE", "SECRET-DRAFT"]
PUBLIC_PATHS = [
    "/",
    "/history/",
    "/history.atom",
    "/history.rss",
    "/api/v2/summary.json",
    "/api/v2/status.json",
    "/api/v2/components.json",
    "/api/v2/incidents.json",
    "/api/v2/incidents/unresolved.json",
    "/api/v2/scheduled-maintenances.json",
    "/api/v2/scheduled-maintenances/upcoming.json",
    "/api/v2/scheduled-maintenances/active.json",
]


@pytest.fixture
def mixed_history(db, people):
    payments = make_component("Payments")
    staging = make_component("Staging reports")
    public = make_incident(
        title="Checkout errors",
        body="Checkout fails for some cards.",
        components={payments: "partial_outage"},
        by=people["comms"],
    )
    publish(
        public,
        "SECRET-NOTE engineers paged the database team.",
        audience="internal",
        by=people["comms"],
    )
    draft_update(incident=public, by=people["comms"], body="SECRET-DRAFT not yet approved.")
    internal = make_incident(
        title="SECRET-INTERNAL staging disk full",
        visibility="internal",
        body="SECRET-INTERNAL cleanup running.",
        components={staging: "major_outage"},
        by=people["comms"],
    )
    drill = make_incident(
        title="SECRET-DRILL practice outage",
        is_drill=True,
        body="SECRET-DRILL payouts are delayed.",
        components={payments: "major_outage"},
        by=people["comms"],
        started_ago=timedelta(days=40),
    )
    return {"public": public, "internal": internal, "drill": drill}


def month_path(incident):
    return f"/history/{incident.started_at:%Y-%m}"


def test_it_keeps_every_secret_off_every_public_address(client, mixed_history):
    paths = [
        *PUBLIC_PATHS,
        f"/incidents/{mixed_history['public'].public_id}",
        month_path(mixed_history["public"]),
        month_path(mixed_history["drill"]),
    ]
    for path in paths:
        response = client.get(path)
        # A drill does not open the history to its month, which came before the page began.
        expected = 404 if path == month_path(mixed_history["drill"]) else 200
        assert response.status_code == expected, path
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, f"{secret} leaked on {path}"
    assert "Checkout fails for some cards." in client.get("/").content.decode()


def test_it_has_no_page_for_internal_incidents_or_drills(client, mixed_history):
    for key in ("internal", "drill"):
        response = client.get(f"/incidents/{mixed_history[key].public_id}")
        assert response.status_code == 404


def test_it_does_not_let_internal_incidents_move_component_status(client, mixed_history):
    components = json.loads(client.get("/api/v2/components.json").content)["components"]
    statuses = {c["name"]: c["status"] for c in components}
    assert statuses == {"Payments": "partial_outage", "Staging reports": "operational"}
    status = json.loads(client.get("/api/v2/status.json").content)["status"]
    # The public partial outage speaks; the drill's major outage would have made it "critical".
    assert status["indicator"] == "major"


def test_it_writes_no_secret_into_any_snapshot_file(mixed_history, snapshot_dir):
    render_everything()
    files = [p for p in Path(snapshot_dir).rglob("*") if p.is_file()]
    assert len(files) >= len(PUBLIC_PATHS)
    for path in files:
        text = path.read_text()
        for secret in SECRETS:
            assert secret not in text, f"{secret} in snapshot file {path.name}"
    pages = {p.name for p in Path(snapshot_dir, "incidents").iterdir()}
    assert pages == {f"{mixed_history['public'].public_id}.html"}


def test_it_removes_a_page_when_an_incident_turns_internal(
    client, mixed_history, people, snapshot_dir
):
    from clearline.incidents.services import edit_incident

    public = mixed_history["public"]
    assert client.get(f"/incidents/{public.public_id}").status_code == 200
    edit_incident(incident=public, by=people["commander"], visibility="internal")
    run_jobs()
    assert not Path(snapshot_dir, "incidents", f"{public.public_id}.html").exists()
    assert client.get(f"/incidents/{public.public_id}").status_code == 404
    assert "Checkout errors" not in client.get("/api/v2/incidents.json").content.decode()
