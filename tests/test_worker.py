"""`clearline worker`: the database task worker, its clock, and several workers side by side."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.promises import tasks
from clearline.promises.services import check_promises
from tests.factories import make_incident, publish
from tests.servers import clearline_env, run_cli
from tests.smtp import text_of


def overdue_incident(people, title="Exports fail"):
    incident = make_incident(title=title, comms_owner=people["comms"], published=False)
    publish(incident, "Exports fail for everyone.", now=timezone.now() - timedelta(hours=2))
    return incident


def test_it_sends_what_a_committed_check_queued(transactional_db, people, smtp):
    incident = overdue_incident(people)
    check_promises(now=incident.updates.get().next_update_due + timedelta(minutes=1))
    queued = DBTaskResult.objects.get(task_path=tasks.send_reminder.module_path)
    assert queued.status == "READY"

    worker.run(batch=True, periodic=False)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert [message["To"] for message in smtp.messages] == ["sam@example.com"]


def test_it_queues_nothing_when_the_check_rolls_back(transactional_db, people):
    incident = overdue_incident(people)
    with pytest.raises(RuntimeError), transaction.atomic():
        check_promises(now=incident.updates.get().next_update_due + timedelta(minutes=1))
        raise RuntimeError("the check's transaction fails")
    assert not DBTaskResult.objects.filter(task_path=tasks.send_reminder.module_path).exists()


def test_it_checks_promises_by_itself_when_run_as_a_batch(transactional_db, people, smtp):
    overdue_incident(people, title="Invoices are not sent")
    worker.run(batch=True)
    [message] = smtp.messages
    assert message["Subject"] == "Update overdue: Invoices are not sent"


def test_it_queues_the_periodic_check_only_while_none_is_waiting(db):
    assert worker.queue_periodic(tasks.check_promises) is True
    assert worker.queue_periodic(tasks.check_promises) is False
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.slow
def test_it_sends_an_overdue_reminder_once_from_two_worker_processes(tmp_path, smtp):
    # The demo's active incident promised its next update a few minutes ago, and one of its
    # action items is a day late.
    env = clearline_env(tmp_path, EMAIL_HOST=smtp.host, EMAIL_PORT=str(smtp.port))
    run_cli("demo", env=env)
    command = [sys.executable, "-m", "clearline", "worker", "--batch"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for process in workers:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors.decode()
    # Each overdue promise is told once: the update, the demo's overdue action item, and the
    # key-account follow-up still open days after the resolution.
    action, follow_up, update = sorted(smtp.messages, key=lambda message: message["Subject"])
    assert update["To"] == action["To"] == follow_up["To"] == "sam@tallyhouse.example"
    assert follow_up["Subject"] == "Follow-up overdue: Oakfield Dental"
    assert update["Subject"] == "Update overdue: Bank transfer payments not marked as paid"
    assert action["Subject"].startswith("Action item overdue: Write the runbook")
    assert "http://127.0.0.1:8000/desk/incidents/" in text_of(update)
