"""A lead exports the action items to a spreadsheet or a script: CSV and JSON hold the same
items, read back as written, and no cell of the CSV runs as a formula."""

import csv
import io
import json

import pytest

from clearline.cli import main
from clearline.reviews.actions import export, selectors, services
from clearline.reviews.actions.cli import STATUSES
from clearline.reviews.models import ActionStatus
from tests.factories import make_incident
from tests.reviews.actions.conftest import ALERT, RUNBOOK, add_item, days

EVIDENCE = "Drained 40,000 queued messages in 6 minutes by following it."


@pytest.fixture
def items(resolved, overdue, people):
    """Sam's overdue runbook, and an alert Dana added and closed with evidence."""
    alert = add_item(resolved, by=people["commander"], owner=people["commander"], outcome=ALERT)
    services.close_action_item(
        item=alert,
        by=people["commander"],
        evidence_url="https://wiki.example.com/alerts/mail-queue",
        evidence_note=EVIDENCE,
    )
    return [overdue, alert]


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_json_export_reads_back_as_the_items(api_as, resolved, items):
    response = api_as("support").get(f"/api/incidents/{resolved.public_id}/actions?format=json")
    late, done = response.data
    assert (late["outcome"], late["owner"], late["status"], late["overdue"]) == (
        RUNBOOK,
        "sam",
        "open",
        True,
    )
    assert late["due_date"] == days(-2).isoformat()
    assert (done["status"], done["evidence_note"], done["closed_by"]) == ("done", EVIDENCE, "dana")
    assert done["evidence_url"] == "https://wiki.example.com/alerts/mail-queue"


def test_the_csv_export_holds_what_the_json_holds(api_as, resolved, items):
    client = api_as("support")
    path = f"/api/incidents/{resolved.public_id}/actions"
    response = client.client.get(
        f"{path}?format=csv", headers={"Authorization": f"Bearer {client.token}"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="action-items.csv"' in response["Content-Disposition"]
    rows = read_csv(response.content.decode())
    as_json = client.get(path).data
    assert [list(row) for row in rows[:1]] == [export.COLUMNS]
    for row, item in zip(rows, as_json, strict=True):
        expected = {
            key: (
                ""
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            for key, value in item.items()
        }
        assert row == expected


@pytest.mark.parametrize(
    "outcome",
    [
        '=HYPERLINK("https://evil.example.com","Open the runbook for the mail queue")',
        "+1 rollback rehearsal for every relay change",
        "-1 step: delete the dead letters after each drain",
        "@SUM(1+1) make the queue alert page twice",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(resolved, people, outcome):
    add_item(resolved, by=people["commander"], owner=people["comms"], outcome=outcome)
    [row] = read_csv(export.to_csv(selectors.action_items()))
    assert row["outcome"] == "'" + outcome
    json_outcome = json.loads(export.to_json(selectors.action_items()))[0]["outcome"]
    assert json_outcome == outcome  # JSON is data for programs: kept exactly


def test_every_incidents_items_export_from_the_command_line(resolved, items, people, capsys):
    other = make_incident(title="Payouts to UK bank accounts held", status="resolved")
    add_item(other, by=people["commander"], owner=people["comms"], outcome=ALERT)
    assert main(["actions", "export", "--format", "json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert {item["incident_title"] for item in everything} == {
        "Invoice emails delivered late",
        "Payouts to UK bank accounts held",
    }
    assert main(["actions", "export", "--incident", resolved.public_id]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert [row["outcome"] for row in rows] == [RUNBOOK, ALERT]
    assert main(["actions", "export", "--format", "json", "--overdue"]) == 0
    assert [item["outcome"] for item in json.loads(capsys.readouterr().out)] == [RUNBOOK]


def test_an_unknown_incident_is_an_error_on_the_command_line(db, capsys):
    assert main(["actions", "export", "--incident", "nosuchincid0"]) == 2
    assert "no incident has the id 'nosuchincid0'" in capsys.readouterr().err


def test_the_command_line_knows_every_status():
    assert STATUSES == ActionStatus.values
