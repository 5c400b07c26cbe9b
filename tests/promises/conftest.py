from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.core.permissions import SYSTEM
from clearline.updates.services import draft_update, publish_update
from tests.factories import make_incident


@pytest.fixture
def work_the_queue():
    """Run the real database worker until the queue is empty, as `clearline worker --batch`
    does, without its own promise check: the tests choose the clock."""
    from clearline import worker

    return lambda: worker.run(batch=True, periodic=False)


@pytest.fixture
def remind(work_the_queue):
    """The promise check at a chosen moment, then the worker sends what it queued."""
    from clearline.promises.services import check_promises

    def at(moment):
        check_promises(now=moment)
        work_the_queue()

    return at


@pytest.fixture
def promise(transactional_db, people):
    """A public update the comms owner published now, promising the next one in 30 minutes.

    Reminder tests commit for real (transactional_db): sending happens after commit, outside
    any transaction, as in production.
    """
    incident = make_incident(
        title="Sign-in fails for some users",
        impact="major",
        commander=people["commander"],
        comms_owner=people["comms"],
        published=False,
    )
    return say(incident, "We are looking into failed sign-ins.", at=timezone.now())


def say(incident, body: str, *, at, due_in=timedelta(minutes=30), status="investigating"):
    """Publish a public update at `at` that promises the next one `due_in` later."""
    due = None if status == "resolved" else at + due_in
    update = draft_update(
        incident=incident, by=SYSTEM, body=body, status=status, next_update_due=due
    )
    return publish_update(update=update, by=SYSTEM, now=at)
