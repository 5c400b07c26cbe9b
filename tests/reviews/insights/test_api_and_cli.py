"""The same numbers wherever they are read: the API for a dashboard, the command line for a
script, both in one shape."""

import json

from clearline.cli import main
from tests.reviews.insights.conftest import SINCE, UNTIL

RANGE_QUERY = f"since={SINCE}&until={UNTIL}"
RANGE_ARGS = ["--since", str(SINCE), "--until", str(UNTIL)]


def without_clock(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "generated_at"}


def test_a_viewer_reads_the_numbers_from_the_api(history, api_as):
    response = api_as("support").get(f"/api/insights?{RANGE_QUERY}")
    assert response.status_code == 200
    real = response.data["overall"]["real"]
    assert (real["first_update_seconds"], real["on_time_share"]) == (900, 0.5)
    assert (real["actions_open"], real["actions_overdue"], real["actions_closed"]) == (2, 1, 2)
    assert response.data["overall"]["drill"]["resolve_seconds"] == 3000
    assert [p["label"] for p in response.data["periods"]] == ["Mar 2026", "Apr 2026"]
    assert response.data["incidents"][2] | {"started_at": None, "resolved_at": None} == {
        "id": history["c"].public_id,
        "title": "Drill: payouts delayed",
        "kind": "drill",
        "impact": "major",
        "started_at": None,
        "resolved_at": None,
        "first_update_seconds": 300,
        "cadence_seconds": 1350,
        "resolve_seconds": 3000,
        "updates": 3,
        "on_time": 2,
        "late": 0,
        "lateness_seconds": 0,
        "worst_lateness_seconds": None,
        "actions_open": 1,
        "actions_overdue": 1,
        "actions_closed": 0,
    }
    assert response.data["follow_ups"] == {"done": 0, "open": 0, "overdue": 0}


def test_the_api_and_the_command_line_give_the_same_numbers(history, api_as, capsys):
    for by in ("month", "week"):
        api = api_as("support").get(f"/api/insights?{RANGE_QUERY}&by={by}").data
        assert main(["insights", "--format", "json", "--by", by, *RANGE_ARGS]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert without_clock(printed) == without_clock(api)


def test_the_command_line_prints_a_table_for_people(history, capsys):
    assert main(["insights", *RANGE_ARGS]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    real = next(line for line in lines if line.startswith("real "))
    drill = next(line for line in lines if line.startswith("drill "))
    assert real.split()[:4] == ["real", "4", "15", "min"]
    assert "1 h 20 min" in real
    assert drill.split()[:4] == ["drill", "1", "5", "min"]
    assert "100%" in drill
    assert "Follow-ups: 0 done, 0 open (0 overdue)." in text


def test_a_range_that_ends_before_it_begins_is_refused_naming_the_field(history, api_as, capsys):
    response = api_as("support").get(f"/api/insights?since={UNTIL}&until={SINCE}")
    assert response.status_code == 400
    assert response.data["errors"][0]["field"] == "since"
    assert main(["insights", "--since", str(UNTIL), "--until", str(SINCE)]) == 2
    assert "ends before it begins" in capsys.readouterr().err


def test_an_unknown_period_is_refused(history, api_as):
    response = api_as("support").get("/api/insights?by=year")
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "by"


def test_nobody_without_a_token_reads_them(history, client):
    response = client.get("/api/insights")
    assert response.status_code == 401
    assert b"first_update_seconds" not in response.content


def test_a_person_without_a_role_is_refused(history, api_as):
    assert api_as("outsider").get("/api/insights").status_code == 403
