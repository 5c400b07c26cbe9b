"""Schemathesis writes requests from /api/openapi.json, as an admin's integration would send them
and far stranger: every answer is a documented status with a body that fits its schema, and
none is a 5xx."""

import pytest
import schemathesis

from clearline.accounts.services import issue_token
from clearline.core.permissions import SYSTEM
from clearline.incidents.services import add_fact
from clearline.updates.services import draft_update
from clearline.wsgi import application
from tests.factories import make_component, make_incident
from tests.schemathesis_run import CHECKS, aim, bounded

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def admin_token(people):
    return issue_token(user=people["admin"], name="schema tests", by=SYSTEM)[1]


@pytest.fixture
def real_ids(people):
    """Something behind every kind of id the API takes."""
    web = make_component("Web app")
    incident = make_incident(
        title="Card payments are declined", by=people["comms"], components={web: "major_outage"}
    )
    update = draft_update(incident=incident, by=people["comms"], body="Still looking into it.")
    fact = add_fact(incident=incident, by=people["comms"], text="Were any cards charged twice?")
    return {
        "incident_id": incident.public_id,
        "update_id": update.public_id,
        "component_id": web.public_id,
        "fact_id": fact.pk,
    }


@schema.parametrize()
@bounded
def test_every_operation_answers_as_documented(case, in_process, admin_token, real_ids):
    aim(case, real_ids)
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
