"""Background jobs of subscriptions and the fan-out: each takes ids or nothing, and calls the
code that does the work."""

from django_tasks import task  # Django 6: django.tasks

from clearline.notify import confirmation, retry, sending


@task()
def send_confirmation(subscriber_id: int, attempt: int = 1) -> bool:
    return confirmation.send_confirmation(subscriber_id, attempt=attempt)


@task()
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    return sending.send_deliveries(delivery_ids)


@task()
def send_due_retries() -> int:
    """Periodic: `clearline worker` queues it every CLEARLINE_RETRY_CHECK_SECONDS."""
    return retry.queue_due()


@task()
def send_confirmations(subscriber_ids: list[int]) -> int:
    """An import's mails: each sent, or skipped when it confirmed, left or bounced meanwhile."""
    return sum(confirmation.send_confirmation(pk) for pk in subscriber_ids)
