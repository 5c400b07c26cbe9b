from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from clearline.core.permissions import SYSTEM
from clearline.loop import accounts
from tests.api.conftest import api_as  # noqa: F401 -- the API client fixture, for these tests
from tests.factories import make_user
from tests.reviews.conftest import incident_for, organisation, resolve

__all__ = ["incident_for", "resolve"]


@pytest.fixture
def london(db):
    return organisation()


@pytest.fixture
def seller(db):
    """An account owner in sales: a viewer on the desk."""
    return make_user("kim", "viewer")


@pytest.fixture
def acme(london, seller):
    return accounts.save_key_account(by=SYSTEM, name="Acme Freight", owner=seller, tier="strategic")


def at(day: str, clock: str = "15:00") -> datetime:
    """A moment in the organisation's zone (London), e.g. at("2026-11-27")."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=timezone.get_default_timezone())


def hours_ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)
