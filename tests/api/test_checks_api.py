"""An integration checks a text through the API and gets what `clearline check` prints."""

import io
import json
from contextlib import redirect_stdout

from clearline.accounts.models import Organisation
from clearline.accounts.services import change_check_settings
from clearline.cli import main
from clearline.incidents.services import add_fact
from tests.factories import make_incident
from tests.unchanged import nothing_changes

TEXT = (
    "Since 09:40 UTC some customers cannot sign in to the dashboard. We apologize for any "
    "inconvenience. No data was lost. We will post the next update soon."
)


def cli_json(tmp_path, text: str, kind: str = "update") -> dict:
    draft = tmp_path / "draft.txt"
    draft.write_text(text)
    out = io.StringIO()
    with redirect_stdout(out):
        main(["check", "--kind", kind, "--format", "json", str(draft)])
    return json.loads(out.getvalue())


def test_it_answers_exactly_what_the_command_line_prints(api_as, tmp_path):
    response = api_as("comms").post("/api/checks", {"text": TEXT})
    assert response.status_code == 200
    assert response.data == cli_json(tmp_path, TEXT)


def test_it_checks_the_kind_asked_for(api_as, tmp_path):
    response = api_as("comms").post("/api/checks", {"text": TEXT, "kind": "resolved"})
    assert response.data == cli_json(tmp_path, TEXT, kind="resolved")


def test_it_refuses_an_unknown_kind_naming_the_field(api_as):
    response = api_as("comms").post("/api/checks", {"text": TEXT, "kind": "tweet"})
    assert response.status_code == 422
    assert response.data["detail"] == "Check these fields: kind."
    assert [error["field"] for error in response.data["errors"]] == ["kind"]


def test_it_requires_the_text(api_as):
    response = api_as("comms").post("/api/checks", {"kind": "first"})
    assert response.status_code == 422
    assert response.data["errors"] == [{"field": "text", "message": "This field is required."}]


def test_it_checks_against_the_incidents_ledger_and_status(api_as, people):
    incident = make_incident(status="investigating")
    add_fact(incident=incident, by=people["comms"], subject="data_safety", text="Lost exports?")
    response = api_as("comms").post(
        "/api/checks", {"text": TEXT + " The issue is resolved.", "incident": incident.public_id}
    )
    assert response.data["kind"] == "update"
    found = {finding["code"] for finding in response.data["findings"]}
    assert {"CL116", "CL121"} <= found
    # The open question already blocks "No data was lost": one finding for those words.
    assert "CL122" not in found


def test_it_runs_no_ledger_rules_without_an_incident(api_as):
    response = api_as("comms").post("/api/checks", {"text": TEXT + " The issue is resolved."})
    found = {finding["code"] for finding in response.data["findings"]}
    assert not found & {"CL121", "CL122"}


def test_a_first_update_is_checked_as_a_first_update(api_as):
    incident = make_incident(published=False)
    response = api_as("comms").post("/api/checks", {"text": TEXT, "incident": incident.public_id})
    assert response.data["kind"] == "first"


def test_it_uses_the_organisations_severity_overrides(api_as, people):
    change_check_settings(
        org=Organisation.current(), by=people["admin"], check_severities={"CL112": "error"}
    )
    response = api_as("comms").post("/api/checks", {"text": TEXT})
    apology = next(f for f in response.data["findings"] if f["code"] == "CL112")
    assert apology["severity"] == "error"


def test_an_unknown_incident_is_a_404_in_the_error_shape(api_as):
    comms = api_as("comms")
    with nothing_changes():
        response = comms.post("/api/checks", {"text": TEXT, "incident": "nope"})
    assert response.status_code == 404
    assert response.data == {"detail": "No incident has the id 'nope'.", "errors": []}


def test_a_support_viewer_may_not_check_texts(api_as):
    support = api_as("support")
    with nothing_changes():
        response = support.post("/api/checks", {"text": TEXT})
    assert response.status_code == 403
    assert set(response.data) == {"detail", "errors"}


def test_an_outsider_is_refused(api_as):
    outsider = api_as("outsider")
    with nothing_changes():
        response = outsider.post("/api/checks", {"text": TEXT})
    assert response.status_code == 403
    assert response.data["detail"] == "Your role does not allow this (it needs updates.add_update)."


def test_it_holds_the_text_to_the_next_update_time_given(api_as):
    incident = make_incident(status="investigating")
    text = "Since 09:40 UTC some customers cannot sign in. Next update by 10:30 UTC."
    payload = {"text": text, "incident": incident.public_id}
    wrong = api_as("comms").post(
        "/api/checks", {**payload, "next_update_due": "2031-03-03T10:03:00+00:00"}
    )
    [finding] = [f for f in wrong.data["findings"] if f["code"] == "CL123"]
    assert text[finding["start"] : finding["end"]] == "10:30 UTC"
    right = api_as("comms").post(
        "/api/checks", {**payload, "next_update_due": "2031-03-03T11:30:00+01:00"}
    )
    assert "CL123" not in {f["code"] for f in right.data["findings"]}
