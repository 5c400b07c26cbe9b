"""Background jobs of subscriptions: each takes an id and calls the code that does the work."""

from django_tasks import task  # Django 6: django.tasks

from clearline.notify import confirmation


@task()
def send_confirmation(subscriber_id: int) -> bool:
    return confirmation.send_confirmation(subscriber_id)


@task()
def send_confirmations(subscriber_ids: list[int]) -> int:
    """An import's mails: each sent, or skipped when it confirmed, left or bounced meanwhile."""
    return sum(confirmation.send_confirmation(pk) for pk in subscriber_ids)
