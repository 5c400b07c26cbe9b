"""A responder sets a component's status by hand; support reads the list."""

import json

from clearline.core.models import AuditEntry
from tests.factories import make_component, run_jobs
from tests.unchanged import nothing_changes


def test_it_lists_components_with_their_group(api_as, people):
    make_component("Public API", group="Integrations")
    make_component("Back office", showcase=False)
    response = api_as("support").get("/api/components")
    assert response.status_code == 200
    assert {(c["name"], c["group"], c["showcase"]) for c in response.data} == {
        ("Public API", "Integrations", True),
        ("Back office", None, False),
    }
    assert all(c["status"] == "operational" for c in response.data)


def test_it_sets_a_component_status_and_the_public_page_follows(client, api_as, people):
    web = make_component("Web app")
    response = api_as("comms").patch(
        f"/api/components/{web.public_id}", {"status": "degraded_performance"}
    )
    run_jobs()
    assert response.status_code == 200, response.data
    assert response.data["status"] == "degraded_performance"
    public = json.loads(client.get("/api/v2/components.json").content)["components"]
    assert public[0]["status"] == "degraded_performance"
    entry = AuditEntry.objects.get(action="component.status")
    assert entry.actor == people["comms"]


def test_it_names_an_unknown_component_status(api_as, people):
    web = make_component("Web app")
    response = api_as("comms").patch(f"/api/components/{web.public_id}", {"status": "sad"})
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "status"
    web.refresh_from_db()
    assert web.status == "operational"


def test_it_answers_404_for_an_unknown_component(api_as, people):
    comms = api_as("comms")
    with nothing_changes():
        response = comms.patch("/api/components/zzzzzzzzzzzz", {"status": "major_outage"})
    assert response.status_code == 404
    assert response.data["detail"] == "No component has the id 'zzzzzzzzzzzz'."
