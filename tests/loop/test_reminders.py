"""An overdue follow-up reminds its owner once by email, through the promise check every
worker runs; a follow-up done before the check sends nothing."""

from datetime import date

import pytest
from django.utils import timezone

from clearline.loop import accounts, followups
from clearline.promises.models import Reminder
from clearline.promises.services import check_promises
from tests.loop.conftest import incident_for, resolve
from tests.smtp import text_of


@pytest.fixture
def late(transactional_db, people, acme):
    incident = resolve(incident_for(people))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    follow_up = acme.follow_ups.get()
    follow_up.due_date = date(2026, 11, 2)
    follow_up.save()
    return follow_up


def _remind():
    from clearline import worker

    check_promises(now=timezone.now())
    worker.run(batch=True, periodic=False)


def test_the_owner_is_emailed_once(late, smtp):
    _remind()
    _remind()
    [message] = smtp.messages
    assert message["To"] == "kim@example.com"
    assert message["Subject"] == "Follow-up overdue: Acme Freight"
    text = text_of(message)
    assert "was due on Monday 02 November 2026" in text
    assert '"Card payments declined"' in text
    assert "http://127.0.0.1:8000/desk/follow-ups/" in text
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.follow_up_id) == ("follow_up_overdue", late.pk)


def test_a_follow_up_done_before_the_send_is_not_reminded(late, smtp):
    check_promises(now=timezone.now())
    followups.complete_follow_up(follow_up=late, by=late.owner, note="Called them.")
    from clearline import worker

    worker.run(batch=True, periodic=False)
    assert smtp.messages == []


def test_an_overdue_follow_up_handed_to_someone_else_reminds_its_new_owner(late, smtp, people):
    _remind()
    followups.change_follow_up(follow_up=late, by=people["comms"], owner=people["comms"])
    _remind()
    _remind()
    assert [message["To"] for message in smtp.messages] == ["kim@example.com", "sam@example.com"]
    assert "was due on Monday 02 November 2026" in text_of(smtp.messages[1])
