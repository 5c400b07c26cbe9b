"""A tracker mirrors the action items: each one created or closed reaches a real HTTP receiver,
signed per Standard Webhooks and verified there with the standardwebhooks library; a receiver
that is down gets the event again later, and admins see every try."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from clearline.channels.webhook import new_signing_secret
from clearline.reviews.actions import services, webhooks
from clearline.reviews.models import ActionWebhook, ActionWebhookAttempt
from tests.channels.receiver import WebhookReceiver
from tests.factories import run_jobs, run_worker
from tests.reviews.actions.conftest import ALERT, add_item, days

EVIDENCE = "The alert fired in a drill on the staging queue within 5 minutes."


@pytest.fixture
def secret():
    return new_signing_secret()


@pytest.fixture
def tracker(transactional_db, delivery_settings, secret):
    """A tracker's endpoint on loopback, configured as the operator would."""
    with WebhookReceiver(secret) as receiver:
        delivery_settings.CLEARLINE_ACTIONS_WEBHOOK_URL = receiver.url
        delivery_settings.CLEARLINE_ACTIONS_WEBHOOK_SECRET = secret
        yield receiver


def add(resolved, people):
    return add_item(
        resolved, by=people["commander"], owner=people["comms"], outcome=ALERT, category="detection"
    )


def test_the_tracker_hears_of_a_new_item_signed_and_verified(tracker, resolved, people):
    item = add(resolved, people)
    run_jobs()
    assert tracker.refused == []
    [event] = tracker.accepted
    assert event["type"] == "action_item.created"
    data = event["data"]
    assert data["incident"] == {"id": resolved.public_id, "title": "Invoice emails delivered late"}
    assert data["desk_url"] == f"http://127.0.0.1:8000/desk/incidents/{resolved.pk}/#actions"
    fields = data["action_item"]
    assert fields["id"] == item.public_id
    assert (fields["outcome"], fields["owner"], fields["category"]) == (ALERT, "sam", "detection")
    assert (fields["status"], fields["due_date"]) == ("open", days(7).isoformat())
    row = ActionWebhook.objects.get()
    assert row.state == "delivered" and tracker.message_ids == [f"msg_{row.public_id}"]


def test_the_tracker_hears_of_an_item_closed_with_its_evidence(tracker, resolved, people):
    item = add(resolved, people)
    services.close_action_item(item=item, by=people["comms"], evidence_note=EVIDENCE)
    run_jobs()
    created, closed = tracker.accepted
    assert created["type"] == "action_item.created"
    assert closed["type"] == "action_item.closed"
    fields = closed["data"]["action_item"]
    assert (fields["status"], fields["evidence_note"], fields["closed_by"]) == (
        "done",
        EVIDENCE,
        "sam",
    )


def test_a_receiver_that_is_down_gets_the_event_again_later(
    transactional_db, delivery_settings, secret, resolved, people
):
    with WebhookReceiver(secret, failures=1) as receiver:
        delivery_settings.CLEARLINE_ACTIONS_WEBHOOK_URL = receiver.url
        delivery_settings.CLEARLINE_ACTIONS_WEBHOOK_SECRET = secret
        add(resolved, people)
        run_jobs()  # the first try: 503
        row = ActionWebhook.objects.get()
        assert (row.state, row.attempts) == ("pending", 1)
        assert row.last_error == "127.0.0.1 answered 503."
        run_worker()  # the retry check finds it due (the wait is 0 here) and sends it
    [event] = receiver.accepted
    assert event["type"] == "action_item.created"
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("delivered", 2)
    tries = list(
        ActionWebhookAttempt.objects.order_by("number").values("number", "succeeded", "error")
    )
    assert tries == [
        {"number": 1, "succeeded": False, "error": "127.0.0.1 answered 503."},
        {"number": 2, "succeeded": True, "error": ""},
    ]
    # The same message id both times, so a tracker that saw the first can drop the repeat.
    assert len(set(receiver.message_ids)) == 1


def test_the_retry_waits_the_delivery_backoff(tracker, resolved, people, settings):
    settings.CLEARLINE_RETRY_BASE_SECONDS = 3600
    settings.CLEARLINE_RETRY_CAP_SECONDS = 3600
    tracker.failures = 1
    add(resolved, people)
    run_jobs()
    row = ActionWebhook.objects.get()
    assert row.state == "pending" and row.next_attempt_at > row.created_at
    assert webhooks.due() == []  # not yet: the wait has not passed
    assert webhooks.due(now=row.next_attempt_at) == [row.pk]


def test_the_last_try_leaves_the_event_failed_for_an_admin_to_see(
    tracker, resolved, people, settings, admin_client
):
    settings.CLEARLINE_DELIVERY_ATTEMPTS = 2
    tracker.failures = 5
    add(resolved, people)
    run_jobs()
    run_worker()
    row = ActionWebhook.objects.get()
    assert (row.state, row.attempts) == ("failed", 2)
    page = admin_client.get("/admin/reviews/actionwebhookattempt/").content.decode()
    assert page.count("127.0.0.1 answered 503.") == 2
    page = admin_client.get(f"/admin/reviews/actionwebhook/{row.pk}/change/").content.decode()
    assert "Failed" in page and "answered 503" in page


def test_a_private_address_is_refused_at_send_time_and_recorded(
    tracker, resolved, people, settings
):
    settings.CLEARLINE_WEBHOOK_ALLOWED_NETWORKS = []  # loopback is private, as in production
    add(resolved, people)
    run_jobs()
    assert tracker.accepted == []
    [attempt] = ActionWebhookAttempt.objects.all()
    assert "private, loopback or link-local" in attempt.error and not attempt.succeeded


def test_a_rolled_back_change_leaves_neither_event_nor_job(tracker, resolved, people):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        add(resolved, people)
        assert ActionWebhook.objects.count() == 1
        assert DBTaskResult.objects.filter(task_path__endswith="send_action_webhook").exists()
        raise Undo
    assert not ActionWebhook.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="send_action_webhook").exists()


def test_without_a_tracker_nothing_is_recorded_or_sent(transactional_db, resolved, people):
    add(resolved, people)
    assert not ActionWebhook.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="send_action_webhook").exists()


def test_a_send_inside_a_transaction_is_a_programming_error(tracker, resolved, people):
    add(resolved, people)
    row = ActionWebhook.objects.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        webhooks.send_webhook(webhook_id=row.pk)
