"""Background jobs of the fan-out: each takes ids or nothing, and calls the sending code."""

from django_tasks import task  # Django 6: django.tasks

from clearline.notify import retry, sending


@task()
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    return sending.send_deliveries(delivery_ids)


@task()
def send_due_retries() -> int:
    """Periodic: `clearline worker` queues it every CLEARLINE_RETRY_CHECK_SECONDS."""
    return retry.queue_due()
