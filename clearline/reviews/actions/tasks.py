"""Background jobs of action items: each takes ids or nothing, and calls the code that works."""

from django.db import transaction
from django_tasks import task  # Django 6: django.tasks

from clearline.core import queueing
from clearline.reviews.actions import webhooks


@task()
def send_action_webhook(webhook_id: int) -> str:
    return webhooks.send_webhook(webhook_id=webhook_id)


@task()
def send_due_action_webhooks() -> int:
    """Periodic: `clearline worker` queues it every CLEARLINE_RETRY_CHECK_SECONDS."""
    ids = webhooks.due()
    with transaction.atomic():
        for webhook_id in ids:
            queueing.enqueue(send_action_webhook, webhook_id=webhook_id)
    return len(ids)
