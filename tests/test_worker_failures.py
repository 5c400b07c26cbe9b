"""A job that raises in the real database worker: recorded as failed, the worker goes on to the
next job, and what the job had claimed is free again for the next try."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.core import outbox
from clearline.core.models import EventKind
from clearline.promises import tasks as promise_tasks
from clearline.promises.models import Reminder
from clearline.promises.services import check_promises
from tests.factories import make_incident, publish, run_jobs

BROKEN_BACKEND = "clearline.no_such_mail.EmailBackend"  # a mistyped EMAIL_BACKEND


def test_a_job_that_raises_fails_visibly_and_the_worker_runs_the_next_one(
    transactional_db, people, smtp, settings, snapshot_dir
):
    incident = make_incident(title="Exports fail", comms_owner=people["comms"], published=False)
    publish(incident, "Exports fail for everyone.", now=timezone.now() - timedelta(hours=2))
    run_jobs()
    overdue = incident.updates.get().next_update_due + timedelta(minutes=1)
    settings.EMAIL_BACKEND = BROKEN_BACKEND
    check_promises(now=overdue)  # queues the reminder's job
    with transaction.atomic():  # a page change behind it in the queue
        event = outbox.publish(EventKind.PAGE_CHANGED, incident_id=incident.pk)
    [next_job] = DBTaskResult.objects.filter(
        args_kwargs__kwargs__event_id=event.pk, args_kwargs__kwargs__consumer="snapshot"
    )
    (snapshot_dir / "index.html").unlink()

    worker.run(batch=True, periodic=False)

    failed = DBTaskResult.objects.get(task_path=promise_tasks.send_reminder.module_path)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "builtins.ModuleNotFoundError"
    assert "No module named 'clearline.no_such_mail'" in failed.traceback
    after = DBTaskResult.objects.get(id=next_job.id)
    assert after.status == "SUCCESSFUL" and after.started_at >= failed.finished_at
    assert (snapshot_dir / "index.html").read_text().count("Exports fail") >= 1
    reminder = Reminder.objects.get()
    assert reminder.sent_at is None and reminder.claimed_at is None and reminder.attempts == 1
    assert reminder.error == "ModuleNotFoundError: No module named 'clearline.no_such_mail'"
    assert smtp.messages == []

    # The setting is mended: the next check sends it at once, not after the claim's lease.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    check_promises(now=overdue + timedelta(minutes=1))
    worker.run(batch=True, periodic=False)
    check_promises(now=overdue + timedelta(minutes=2))
    worker.run(batch=True, periodic=False)
    [message] = smtp.messages
    assert message["Subject"] == "Update overdue: Exports fail"
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.attempts == 2 and reminder.error == ""
