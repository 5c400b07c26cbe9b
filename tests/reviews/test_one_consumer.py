"""One outbox consumer follows a publication: the resolution is read once, and the review, the
preliminary report and the plan come of it. The upgrade that joined the two consumers leaves no
resolution without its review, and the older upgrade still keeps history from being replayed."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from clearline.core import outbox
from clearline.core.models import OutboxEvent, OutboxReceipt
from clearline.reviews.models import PlanItem, Review
from clearline.updates.models import Update
from tests.factories import publish, run_jobs
from tests.reviews.conftest import incident_for

INITIAL = importlib.import_module("clearline.reviews.migrations.0001_initial")
JOINED = importlib.import_module("clearline.reviews.migrations.0002_one_consumer")


def resolution_event(incident) -> OutboxEvent:
    publish(incident, "Card payments work again for everyone.", status="resolved")
    return OutboxEvent.objects.filter(kind="update.published", incident_id=incident.pk).latest("id")


def test_one_consumer_proposes_the_review_and_drafts_the_report_and_plan(london, people):
    incident = incident_for(people)
    event = resolution_event(incident)
    assert {"review", "reviews"} & set(outbox.consumers()) == {"reviews"}
    run_jobs()
    assert Review.objects.filter(incident=incident).exists()
    assert Update.objects.filter(incident=incident, kind="preliminary").exists()
    assert PlanItem.objects.filter(incident=incident).exists()
    assert OutboxReceipt.objects.filter(event=event, consumer="reviews").exists()


def test_the_upgrade_reopens_a_resolution_whose_review_was_still_to_come(london, people):
    waiting, settled = incident_for(people), incident_for(people)
    in_flight, done = resolution_event(waiting), resolution_event(settled)
    # The old consumers' receipts: "reviews" ran on both, "review" only on the second.
    for event, names in ((in_flight, ["reviews"]), (done, ["reviews", "review"])):
        OutboxReceipt.objects.bulk_create(OutboxReceipt(event=event, consumer=n) for n in names)
    JOINED.join_consumers(apps, None)
    assert not OutboxReceipt.objects.filter(event=in_flight).exists()
    assert list(OutboxReceipt.objects.filter(event=done).values_list("consumer", flat=True)) == [
        "reviews"
    ]
    assert not OutboxReceipt.objects.filter(consumer="review").exists()
    # The relay finds the reopened event and the joined consumer proposes the review.
    later = timezone.now() + timedelta(hours=1)
    assert outbox.relay(now=later) >= 1
    run_jobs()
    assert Review.objects.filter(incident=waiting).exists()
    assert not Review.objects.filter(incident=settled).exists()  # its receipt says done


def test_history_older_than_a_week_is_still_marked_handled_for_the_consumer(london, people):
    incident = incident_for(people)
    old = resolution_event(incident)
    OutboxEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    OutboxReceipt.objects.filter(event=old).delete()
    INITIAL.history_is_handled(apps, None)
    JOINED.join_consumers(apps, None)
    assert OutboxReceipt.objects.filter(event=old, consumer="reviews").exists()
    assert old.pk not in set(outbox.waiting("reviews").values_list("pk", flat=True))
