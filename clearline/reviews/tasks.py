"""The after-incident work that follows a publication: the outbox's "reviews" consumer.

It runs in the worker, so the request that publishes a resolution does not pay for proposing
the review, drafting the preliminary report or the plan. One consumer reads the published
update once for all three; each step is idempotent, so a retried event adds nothing.
"""

from django.db import transaction

from clearline.core import outbox
from clearline.core.models import EventKind, OutboxEvent
from clearline.core.permissions import SYSTEM
from clearline.incidents.models import Incident, IncidentStatus
from clearline.reviews import plan, preliminary, review
from clearline.updates.models import Audience, Update, UpdateKind, UpdateState

CONSUMER = "reviews"


def resolves(update: Update) -> bool:
    """A published resolution told to customers, on an incident that is still resolved."""
    return (
        update.state == UpdateState.PUBLISHED
        and update.kind == UpdateKind.UPDATE
        and update.status == IncidentStatus.RESOLVED
        and update.audience == Audience.PUBLIC
        and update.incident.status == IncidentStatus.RESOLVED
    )


@outbox.consumer(CONSUMER)
@transaction.atomic
def after_publication(event: OutboxEvent) -> None:
    """On a resolution: propose the review, draft the preliminary report and create the
    first-week plan (each once per incident). On any publication: close the plan's steps it
    completes."""
    if event.kind == EventKind.PAGE_CHANGED and event.incident_id:
        incident = Incident.objects.filter(pk=event.incident_id).first()
        if incident is not None:
            plan.settle_answers(incident=incident)
        return
    if event.kind != EventKind.UPDATE_PUBLISHED or not event.update_id:
        return
    update = Update.objects.select_related("incident").filter(pk=event.update_id).first()
    if update is None or update.state != UpdateState.PUBLISHED:
        return
    review.propose_on_resolution(update)
    if resolves(update) and not preliminary.is_stale(update):
        preliminary.draft_preliminary_report(incident=update.incident, by=SYSTEM)
        plan.create_plan(incident=update.incident, by=SYSTEM)
    plan.settle_after_publication(update=update)
