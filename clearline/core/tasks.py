"""Task-engine jobs of the lowest layer: running the outbox's consumers."""

from django_tasks import task  # Django 6: django.tasks

from clearline.core import outbox


@task()
def handle_event(event_id: int, consumer: str) -> bool:
    return outbox.handle(event_id, consumer)
