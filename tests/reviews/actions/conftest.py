from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.reviews.actions import selectors, services
from tests.api.conftest import api_as  # noqa: F401 -- the API tests' client, here too
from tests.factories import make_incident

RUNBOOK = "Write the runbook for draining a backlog in the outgoing mail queue"
ALERT = "Alert the on-call engineer when the mail queue holds more than 500 messages"


@pytest.fixture
def resolved(db):
    """A public incident, over: the team now decides what to change."""
    return make_incident(title="Invoice emails delivered late", status="resolved")


def days(count: int):
    """A date `count` days from the organisation's today (negative: in the past)."""
    return selectors.today() + timedelta(days=count)


def add_item(incident, *, by, owner, **fields):
    """An action item added through the service, as the desk and the API add one; `ago` makes
    it as of that long ago (so its due date may have passed since)."""
    ago = fields.pop("ago", None)
    now = timezone.now() - ago if ago is not None else None
    values = {"outcome": RUNBOOK, "due_date": days(7), "category": "runbook", "now": now}
    return services.create_action_item(
        incident=incident, by=by, owner=owner, **{**values, **fields}
    )


@pytest.fixture
def overdue(resolved, people):
    """Sam's runbook, written five days ago and due two days ago, still open."""
    return add_item(
        resolved,
        by=people["commander"],
        owner=people["comms"],
        due_date=days(-2),
        ago=timedelta(days=5),
    )
