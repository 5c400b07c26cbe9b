"""The API speaks the one error shape: a bad spreadsheet names each row, a question on a
running incident is a conflict, and a late question is answered through the updates API."""

from tests.loop.conftest import incident_for, resolve


def test_a_bad_import_names_each_row_and_imports_nothing(api_as, people, london):
    response = api_as("comms").post(
        "/api/accounts/import", {"csv": "name,owner\nAcme,kim\nGlobex,nobody\n"}
    )
    assert response.status_code == 400
    assert response.data["errors"] == [
        {"field": "row 2: owner", "message": "no active person with a role is called 'kim'"},
        {"field": "row 3: owner", "message": "no active person with a role is called 'nobody'"},
    ]
    assert api_as("support").get("/api/accounts").data == []


def test_a_question_on_a_running_incident_is_a_conflict(api_as, people, london):
    incident = incident_for(people)
    response = api_as("support").post(
        f"/api/incidents/{incident.public_id}/questions", {"text": "Is it over?"}
    )
    assert response.status_code == 409
    assert "customer signal" in response.data["detail"]


def test_a_late_question_is_answered_and_published_through_the_updates_api(
    api_as, people, london, client
):
    incident = resolve(incident_for(people))
    asked = api_as("support").post(
        f"/api/incidents/{incident.public_id}/questions", {"text": "Were refunds affected?"}
    )
    assert (asked.status_code, asked.data["state"]) == (201, "open")
    path = f"/api/incidents/{incident.public_id}/questions/{asked.data['id']}/answer"
    body = "Refunds asked for between 12:00 and 12:40 went through once each, later that day."
    drafted = api_as("comms").post(path, {"body": body})
    addendum = drafted.data["addendum"]
    update = api_as("commander").get(f"/api/updates/{addendum}").data
    approved = api_as("commander").post(
        f"/api/updates/{addendum}/approve",
        {"content_hash": update["content_hash"], "override_reason": "One plain answer."},
    )
    assert approved.status_code == 200, approved.data
    assert api_as("comms").post(f"/api/updates/{addendum}/publish").status_code == 200
    [listed] = api_as("support").get(f"/api/incidents/{incident.public_id}/questions").data
    assert listed["state"] == "published" and listed["published_at"]


def test_key_accounts_are_found_by_part_of_their_name(api_as, people, london):
    comms = api_as("comms")
    for name in ("Acme Freight", "Acme  Logistics", "Globex"):
        comms.post("/api/accounts", {"name": name, "owner": "sam"})
    found = api_as("support").get("/api/accounts?name=ACME")
    assert [account["name"] for account in found.data] == ["Acme Freight", "Acme Logistics"]
    assert api_as("support").get("/api/accounts?name=initech").data == []
