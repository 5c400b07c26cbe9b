from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.incidents.services import add_timeline_entry
from tests.api.conftest import api_as  # noqa: F401 -- the API client fixture, for these tests
from tests.factories import make_incident, publish, run_jobs


def organisation(zone: str = "Europe/London", country: str = "GB", region: str = "ENG"):
    org = Organisation.current()
    org.name, org.time_zone = "Tallyhouse", zone
    org.holiday_country, org.holiday_subdivision = country, region
    org.full_clean()
    org.save()
    return org


def resolve(incident, *, at: datetime | None = None, by=None):
    """Publish the resolution (at `at`, default now) and let the worker run what it queued."""
    kwargs = {"by": by} if by is not None else {}
    publish(incident, "Card payments work again for everyone.", status="resolved", now=at, **kwargs)
    run_jobs()
    incident.refresh_from_db()
    return incident


def incident_for(people, *, started: datetime | None = None, **fields):
    """An incident the commander leads and the comms owner speaks for, with a timeline entry."""
    started = started or timezone.now() - timedelta(hours=3)
    fields = {"commander": people["commander"], "comms_owner": people["comms"], **fields}
    incident = make_incident(
        title="Card payments declined", started_ago=timezone.now() - started, **fields
    )
    add_timeline_entry(
        incident=incident,
        by=people["comms"],
        kind="cause_found",
        occurred_at=started + timedelta(minutes=40),
        text="A certificate on the card gateway had expired.",
    )
    return incident


@pytest.fixture
def london(db):
    return organisation()


@pytest.fixture
def resolved(london, people):
    """A card-payments incident resolved an hour ago, its review proposed by the worker."""
    incident = incident_for(people)
    return resolve(incident, at=timezone.now() - timedelta(hours=1))


@pytest.fixture
def review(resolved):
    return resolved.review
