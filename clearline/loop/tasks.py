"""The outbox's "loop" consumer: a published resolution starts the key accounts' follow-ups.

It runs in the worker, like the preliminary report's drafting, so the publishing request does
not wait for it; it is idempotent, as every consumer must be.
"""

from clearline.core import outbox
from clearline.core.models import EventKind, OutboxEvent
from clearline.loop import followups
from clearline.reviews.tasks import resolves
from clearline.updates.models import Update, UpdateState

CONSUMER = "loop"


@outbox.consumer(CONSUMER)
def after_resolution(event: OutboxEvent) -> None:
    if event.kind != EventKind.UPDATE_PUBLISHED or not event.update_id:
        return
    update = Update.objects.select_related("incident").filter(pk=event.update_id).first()
    if update is None or update.state != UpdateState.PUBLISHED or not resolves(update):
        return
    followups.create_follow_ups(incident=update.incident, now=update.published_at)
