"""From the command line: `clearline check --kind review` checks a write-up like any other kind,
and `clearline review` prints an incident's review."""

import json

from clearline.cli import main
from tests.checks.test_cli import clearline, file

GOOD = """## What was missed

No alert watched the expiry date of the gateway certificate, and its renewal job failed
quietly three weeks earlier.

## What is next

- Add an alert 21 days before any certificate expires (owner: Priya Shah, due: 14 March)

## Heard from customers

Customers reported card payments declined at checkout; 14 support tickets from 9 accounts.
"""

BLAMING = GOOD.replace("No alert watched", "It was human error: nobody watched")
VAGUE = GOOD.replace("Add an alert 21 days before any certificate expires", "Be more careful")
NO_OWNER = GOOD.replace(" (owner: Priya Shah, due: 14 March)", "")


def check_json(tmp_path, text):
    result = clearline("--kind", "review", "--format", "json", str(file(tmp_path, "r.md", text)))
    return result.returncode, json.loads(result.stdout)


def test_a_good_write_up_is_clean(tmp_path):
    code, report = check_json(tmp_path, GOOD)
    assert code == 0 and report["kind"] == "review" and report["findings"] == []


def test_blame_is_a_warning_that_does_not_fail_the_run(tmp_path):
    code, report = check_json(tmp_path, BLAMING)
    [finding] = report["findings"]
    assert code == 0
    assert (finding["code"], finding["rule"], finding["severity"]) == (
        "CL150",
        "blame-language",
        "warning",
    )
    assert BLAMING[finding["start"] : finding["end"]] == "human error"


def test_a_vague_action_is_flagged(tmp_path):
    code, report = check_json(tmp_path, VAGUE)
    assert code == 0 and [f["code"] for f in report["findings"]] == ["CL153"]


def test_an_action_without_an_owner_or_date_fails_the_run(tmp_path):
    result = clearline("--kind", "review", str(file(tmp_path, "r.md", NO_OWNER)))
    assert result.returncode == 1
    assert "CL151 incomplete-action-item error" in result.stdout


def test_it_prints_an_incident_s_review(resolved, capsys):
    assert main(["review", str(resolved.pk)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"Review of incident {resolved.public_id}: proposed\n")
    assert "- Incident commander: dana <dana@example.com>" in text
    assert "- Customer liaison: sam <sam@example.com>" in text
    assert "## Timeline" in text


def test_it_prints_the_api_s_json(resolved, capsys):
    assert main(["review", resolved.public_id, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["incident"] == resolved.public_id and data["liaison_missing"] is False
    assert {a["role"] for a in data["attendees"]} == {"commander", "customer_liaison"}


def test_it_exits_2_for_an_incident_with_no_review(db, capsys):
    assert main(["review", "999999"]) == 2
    assert "No incident 999999" in capsys.readouterr().err
