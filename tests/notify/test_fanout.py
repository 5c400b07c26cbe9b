"""The fan-out: who is told about a published update, and that nobody is told twice."""

import pytest
from django_tasks_db.models import DBTaskResult

from clearline import worker
from clearline.core.models import OutboxEvent
from clearline.core.permissions import SYSTEM
from clearline.notify.fanout import fan_out
from clearline.notify.models import Delivery
from clearline.updates.services import publish_new_update, publish_update
from tests.factories import make_component, make_incident, publish
from tests.notify.conftest import subscribe
from tests.updates.test_approval import CLEAN

pytestmark = pytest.mark.usefixtures("delivery_settings")


def recipients(smtp) -> list[str]:
    return sorted(message["To"] for message in smtp.messages)


def test_a_subscriber_of_one_component_hears_only_of_incidents_on_it(transactional_db, smtp):
    api, billing = make_component("API"), make_component("Billing")
    subscribe("api-team@example.com", components=[api])
    subscribe("finance@example.com", components=[billing])
    subscribe("everything@example.com")

    make_incident(title="Invoices are late", components={billing: "degraded_performance"})
    worker.run(batch=True, periodic=False)

    assert recipients(smtp) == ["everything@example.com", "finance@example.com"]


def test_a_subscriber_of_one_incident_hears_only_of_that_incident(transactional_db, smtp):
    followed = make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)
    smtp.messages.clear()
    subscribe("kim@example.com", incident=followed)

    other = make_incident(title="Sign-in is slow")
    publish(followed, "Exports work again for most customers.", status="monitoring")
    publish(other, "Sign-in is fast again.", status="resolved")
    worker.run(batch=True, periodic=False)

    [message] = smtp.messages
    assert message["To"] == "kim@example.com" and "Exports fail" in message["Subject"]


def test_running_the_fan_out_again_writes_and_sends_nothing_new(transactional_db, smtp):
    for n in range(3):
        subscribe(f"reader{n}@example.com")
    make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)
    event = OutboxEvent.objects.get()

    assert fan_out(event) == 0
    worker.run(batch=True, periodic=False)

    assert Delivery.objects.count() == 3 and len(smtp.messages) == 3


def test_an_update_published_without_notifying_reaches_nobody(transactional_db, smtp):
    subscribe("kim@example.com")
    incident = make_incident(title="Exports fail", published=False)
    update = publish_new_update(incident=incident, by=SYSTEM, body=CLEAN, status="investigating")
    assert update.is_published
    OutboxEvent.objects.update(notify=False)  # as the "send notifications" switch leaves it
    worker.run(batch=True, periodic=False)
    assert Delivery.objects.count() == 0 and smtp.messages == []


def test_a_drill_reaches_nobody_even_if_its_event_says_notify(transactional_db, smtp):
    subscribe("kim@example.com")
    drill = make_incident(title="Database failover drill", is_drill=True, published=False)
    update = publish_new_update(incident=drill, by=SYSTEM, body=CLEAN, status="investigating")
    # Whatever the publishing side wrote, the fan-out reads the incident again.
    event = OutboxEvent.objects.create(
        kind="update.published", incident_id=drill.pk, update_id=update.pk, notify=True
    )

    assert fan_out(event) == 0
    worker.run(batch=True, periodic=False)
    assert Delivery.objects.count() == 0 and smtp.messages == []


def test_an_internal_update_reaches_nobody(transactional_db, smtp):
    subscribe("kim@example.com")
    incident = make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)
    smtp.messages.clear()

    publish(incident, "The fix is rolling out to the EU cluster first.", audience="internal")
    worker.run(batch=True, periodic=False)

    assert smtp.messages == [] and Delivery.objects.count() == 1


def test_no_notify_publish_through_the_service_switch(transactional_db, smtp):
    subscribe("kim@example.com")
    incident = make_incident(title="Exports fail", published=False)
    from clearline.updates.services import draft_update

    update = draft_update(incident=incident, by=SYSTEM, body=CLEAN, status="investigating")
    publish_update(update=update, by=SYSTEM, notify=False)
    worker.run(batch=True, periodic=False)

    assert Delivery.objects.count() == 0 and smtp.messages == []


def test_email_and_endpoint_jobs_take_turns(transactional_db, settings):
    settings.CLEARLINE_EMAIL_BATCH = settings.CLEARLINE_WEBHOOK_BATCH = 2
    for n in range(6):
        subscribe(f"reader{n}@example.com")
    for n in range(2):
        subscribe(f"https://hooks.example.com/{n}", channel="slack")
    make_incident(title="Exports fail")
    fan_out(OutboxEvent.objects.latest("pk"))

    channels = dict(Delivery.objects.values_list("pk", "channel"))
    jobs = DBTaskResult.objects.filter(task_path__endswith="send_deliveries")
    queued = [job.args_kwargs["kwargs"]["delivery_ids"] for job in jobs.order_by("enqueued_at")]
    order = [{channels[pk] for pk in ids} for ids in queued]
    # Emails do not wait behind every endpoint, nor endpoints behind every email.
    assert order == [{"email"}, {"slack"}, {"email"}, {"email"}]
