"""On the database backend a job is a row of the transaction that queues it."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from clearline.core import queueing
from clearline.core.tasks import handle_event


class RolledBack(Exception):
    pass


def test_the_job_is_written_in_the_transaction_and_goes_with_its_rollback(transactional_db):
    with pytest.raises(RolledBack), transaction.atomic():
        queueing.enqueue(handle_event, event_id=1, consumer="snapshot")
        assert DBTaskResult.objects.filter(status="READY").count() == 1  # in, not after
        raise RolledBack

    assert DBTaskResult.objects.count() == 0
