"""The owner of an overdue action item is emailed once, through the promise check every worker
runs: the reminder row is written first, claimed, and sent after the commit by a real SMTP
conversation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.promises.models import Reminder
from clearline.promises.services import check_promises, send_reminder
from clearline.reviews.actions import services
from clearline.reviews.actions.selectors import overdue_from
from tests.reviews.actions.conftest import RUNBOOK, add_item, days
from tests.smtp import text_of


@pytest.fixture
def remind():
    """The promise check at a chosen moment, then the real worker sends what it queued."""
    from clearline import worker

    def at(moment=None):
        check_promises(now=moment or timezone.now())
        worker.run(batch=True, periodic=False)

    return at


@pytest.fixture
def late(transactional_db, overdue):
    """Reminder tests commit for real: sending happens after commit, outside any transaction."""
    return overdue


def test_the_owner_is_emailed_once_however_often_the_check_runs(late, smtp, remind):
    check_promises(now=timezone.now())  # a second worker's clock, before anyone sent it
    remind()
    remind(timezone.now() + timedelta(minutes=1))
    remind(timezone.now() + timedelta(hours=5))
    [message] = smtp.messages
    assert message["To"] == "sam@example.com"
    assert message["Subject"] == f"Action item overdue: {RUNBOOK}"
    text = text_of(message)
    assert text.startswith("Hello sam,")
    assert f"was due on {days(-2):%A %d %B %Y}" in text
    assert "Outcome: " + RUNBOOK in text
    assert "From the incident: Invoice emails delivered late" in text
    assert f"http://127.0.0.1:8000/desk/incidents/{late.incident_id}/#actions" in text
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.action_item_id, reminder.update_id) == (
        "action_overdue",
        late.pk,
        None,
    )
    assert reminder.recipients == "sam@example.com" and reminder.sent_at is not None


def test_the_row_is_written_before_the_send_and_claimed_once(late, smtp):
    [queued] = check_promises(now=timezone.now())
    assert queued.sent_at is None and queued.claimed_at is None  # on record before any mail
    assert send_reminder(reminder_id=queued.pk) is True
    assert send_reminder(reminder_id=queued.pk) is False  # another worker finds it claimed
    assert len(smtp.messages) == 1


def test_an_item_not_yet_late_is_left_alone(transactional_db, resolved, people, smtp, remind):
    add_item(resolved, by=people["commander"], owner=people["comms"], due_date=days(0))
    remind()
    assert smtp.messages == [] and not Reminder.objects.exists()


def test_a_closed_item_is_not_chased(late, people, smtp, remind):
    services.close_action_item(item=late, by=people["comms"], evidence_note="Written and used.")
    remind()
    assert smtp.messages == []


def test_a_reminder_queued_before_the_item_closed_is_not_sent(late, people, smtp):
    [queued] = check_promises(now=timezone.now())
    services.close_action_item(item=late, by=people["comms"], evidence_note="Written and used.")
    assert send_reminder(reminder_id=queued.pk) is False
    assert smtp.messages == []
    assert "closed or given a new due date" in Reminder.objects.get().error


def test_a_new_due_date_that_passes_too_brings_one_more_reminder(late, people, smtp, remind):
    remind()
    services.edit_action_item(item=late, by=people["comms"], due_date=days(1))
    remind()
    assert len(smtp.messages) == 1
    remind(timezone.now() + timedelta(days=3))  # the new date has passed too
    assert len(smtp.messages) == 2
    zone = Organisation.current().zone
    assert sorted(Reminder.objects.values_list("due_at", flat=True)) == [
        overdue_from(days(-2), zone),
        overdue_from(days(1), zone),
    ]


def test_it_goes_overdue_when_the_day_is_over_in_the_organisations_zone(
    transactional_db, resolved, people, smtp, remind
):
    Organisation.objects.update(time_zone="Pacific/Kiritimati")  # UTC+14
    item = add_item(resolved, by=people["commander"], owner=people["comms"], due_date=days(0))
    zone = Organisation.current().zone
    remind(overdue_from(item.due_date, zone) - timedelta(minutes=1))
    assert smtp.messages == []
    remind(overdue_from(item.due_date, zone) + timedelta(minutes=1))
    assert len(smtp.messages) == 1


def test_an_owner_without_an_email_address_sees_it_on_the_desk_only(late, people, smtp, remind):
    people["comms"].email = ""
    people["comms"].save()
    remind()
    assert smtp.messages == []
    assert Reminder.objects.get().channel == "desk"


def test_a_mail_server_that_refuses_is_tried_again_at_the_next_check(late, smtp, remind):
    smtp.refuse("RCPT", "451 4.3.0 Try again later")
    remind()
    assert smtp.messages == [] and Reminder.objects.get().attempts == 1
    smtp.accept()
    remind(timezone.now() + timedelta(minutes=1))
    assert len(smtp.messages) == 1
