import pytest

from clearline.incidents.services import add_fact
from clearline.updates.services import draft_update
from tests.factories import make_incident


@pytest.fixture
def desk(client, people):
    """The comms owner, signed in at the desk."""
    client.force_login(people["comms"])
    return client


@pytest.fixture
def world(people):
    """One incident with a draft update and an open question: something behind every address."""
    incident = make_incident(title="Card payments are declined", by=people["comms"])
    update = draft_update(incident=incident, by=people["comms"], body="Still looking into it.")
    fact = add_fact(incident=incident, by=people["comms"], text="Were any cards charged twice?")
    return {"incident": incident, "update": update, "fact": fact}
