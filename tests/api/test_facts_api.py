"""The facts ledger through the API: open questions and confirmed facts kept apart."""

from clearline.incidents.models import Fact
from clearline.incidents.services import add_fact
from tests.factories import make_incident
from tests.unchanged import audited, nothing_changes


def test_it_adds_an_open_question(api_as, people):
    incident = make_incident()
    comms = api_as("comms")
    with audited() as entries:
        response = comms.post(
            f"/api/incidents/{incident.public_id}/facts",
            {"text": "Was any customer data affected?", "subject": "data_safety"},
        )
    assert response.status_code == 201, response.data
    fact = Fact.objects.get(text="Was any customer data affected?")
    assert (fact.incident, fact.subject, fact.created_by.username) == (
        incident,
        "data_safety",
        "sam",
    )
    assert entries == [("fact.added", "sam", "incidents.fact", str(fact.pk))]
    assert response.data["kind"] == "question" and response.data["status"] == "open"
    assert response.data["created_by"] == "sam" and response.data["confirmed_at"] is None


def test_it_adds_a_confirmed_fact(api_as, people):
    incident = make_incident()
    dana = api_as("commander")
    with audited() as entries:
        response = dana.post(
            f"/api/incidents/{incident.public_id}/facts",
            {"text": "No data was lost.", "kind": "fact", "subject": "data_safety"},
        )
    assert response.status_code == 201, response.data
    fact = Fact.objects.get(text="No data was lost.")
    assert (fact.created_by.username, fact.confirmed_by.username) == ("dana", "dana")
    assert entries == [("fact.added", "dana", "incidents.fact", str(fact.pk))]
    assert response.data["status"] == "confirmed" and response.data["confirmed_by"] == "dana"


def test_it_lists_the_ledger(api_as, people):
    incident = make_incident()
    add_fact(incident=incident, by=people["comms"], text="Which regions?", subject="scope")
    response = api_as("support").get(f"/api/incidents/{incident.public_id}/facts")
    assert response.status_code == 200
    assert [(f["text"], f["subject"]) for f in response.data] == [("Which regions?", "scope")]


def test_it_answers_a_question(api_as, people):
    incident = make_incident()
    question = add_fact(incident=incident, by=people["comms"], text="Which regions?")
    response = api_as("commander").post(
        f"/api/incidents/{incident.public_id}/facts/{question.pk}/settle",
        {"status": "answered", "text": "Only EU customers."},
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "answered" and response.data["kind"] == "fact"
    assert response.data["text"] == "Only EU customers."
    assert response.data["confirmed_by"] == "dana"


def test_it_refuses_to_settle_a_fact_as_open(api_as, people):
    incident = make_incident()
    question = add_fact(incident=incident, by=people["comms"], text="Which regions?")
    response = api_as("commander").post(
        f"/api/incidents/{incident.public_id}/facts/{question.pk}/settle", {"status": "open"}
    )
    assert response.status_code == 400
    assert response.data["errors"][0]["field"] == "status"
    question.refresh_from_db()
    assert question.status == "open"


def test_it_does_not_settle_a_fact_of_another_incident(api_as, people):
    first, second = make_incident(title="First"), make_incident(title="Second")
    question = add_fact(incident=first, by=people["comms"], text="Which regions?")
    dana = api_as("commander")
    with nothing_changes():
        response = dana.post(
            f"/api/incidents/{second.public_id}/facts/{question.pk}/settle",
            {"status": "withdrawn"},
        )
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == "open"


def test_it_names_a_fact_id_that_is_not_a_number(api_as, people):
    incident = make_incident()
    response = api_as("commander").post(
        f"/api/incidents/{incident.public_id}/facts/seven/settle", {"status": "withdrawn"}
    )
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "fact_id"
