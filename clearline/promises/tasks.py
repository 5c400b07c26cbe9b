"""Background jobs: each takes ids or nothing, and calls a service."""

from django_tasks import task  # Django 6: django.tasks

from clearline.promises import services


@task()
def check_promises() -> int:
    """Periodic: `clearline worker` queues it every CLEARLINE_PROMISE_CHECK_SECONDS."""
    return len(services.check_promises())


@task()
def send_reminder(reminder_id: int) -> bool:
    return services.send_reminder(reminder_id=reminder_id)
