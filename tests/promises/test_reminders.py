"""The comms owner is told before a promised update is due, and again when it is overdue."""

from datetime import timedelta

from clearline.accounts.models import Organisation
from clearline.core.clock import time_label
from clearline.promises.models import Reminder
from clearline.promises.services import check_promises, send_reminder
from tests.factories import make_incident
from tests.promises.conftest import say
from tests.servers import free_port
from tests.smtp import text_of

MINUTE = timedelta(minutes=1)


def test_it_emails_the_comms_owner_before_the_update_is_due(promise, smtp, remind):
    remind(promise.next_update_due - 5 * MINUTE)
    [message] = smtp.messages
    due = time_label(promise.next_update_due, Organisation.current().zone)
    assert message["To"] == "sam@example.com"
    assert message["Subject"] == f"Update due at {due}: Sign-in fails for some users"
    text = text_of(message)
    assert f'"Sign-in fails for some users" is due at {due}, in 5\xa0minutes' in text
    assert f"http://127.0.0.1:8000/desk/incidents/{promise.incident_id}/" in text
    assert "you are its comms owner" in text


def test_it_sends_one_reminder_however_often_the_check_runs(promise, smtp, remind):
    soon = promise.next_update_due - 5 * MINUTE
    check_promises(now=soon)  # a second worker's clock, before anyone sent the first
    remind(soon)
    remind(soon + MINUTE)
    assert len(smtp.messages) == 1


def test_it_sends_one_overdue_reminder_once_the_time_has_passed(promise, smtp, remind):
    remind(promise.next_update_due - 5 * MINUTE)
    remind(promise.next_update_due + 2 * MINUTE)
    remind(promise.next_update_due + 7 * MINUTE)
    subjects = [message["Subject"] for message in smtp.messages]
    assert len(subjects) == 2
    assert subjects[1] == "Update overdue: Sign-in fails for some users"
    assert "It is 2\xa0minutes late" in text_of(smtp.messages[1])


def test_it_skips_the_early_reminder_when_the_check_first_runs_after_the_deadline(
    promise, smtp, remind
):
    remind(promise.next_update_due + MINUTE)
    assert [message["Subject"] for message in smtp.messages] == [
        "Update overdue: Sign-in fails for some users"
    ]


def test_it_keeps_quiet_until_the_reminder_window_opens(promise, smtp, remind):
    remind(promise.next_update_due - 11 * MINUTE)
    assert smtp.messages == []


def test_it_follows_the_organisations_reminder_window(promise, smtp, remind):
    org = Organisation.current()  # the row exists once anything read it; make sure it does
    org.remind_before_minutes = 20
    org.save()
    remind(promise.next_update_due - 15 * MINUTE)
    assert len(smtp.messages) == 1


def test_it_stops_reminding_once_a_new_update_makes_a_new_promise(promise, smtp, remind):
    say(promise.incident, "We found the cause.", at=promise.next_update_due - 12 * MINUTE)
    remind(promise.next_update_due + MINUTE)
    assert smtp.messages == []


def test_it_never_reminds_about_a_resolved_incident(promise, smtp, remind):
    say(promise.incident, "Sign-in works again.", status="resolved", at=promise.published_at)
    remind(promise.next_update_due + MINUTE)
    assert smtp.messages == [] and not Reminder.objects.exists()


def test_it_drops_a_queued_reminder_when_the_update_was_published_meanwhile(
    promise, smtp, work_the_queue
):
    check_promises(now=promise.next_update_due - 5 * MINUTE)
    say(promise.incident, "We found the cause.", at=promise.next_update_due - 4 * MINUTE)
    work_the_queue()
    assert smtp.messages == []
    assert "newer update" in Reminder.objects.get().error


def test_it_reminds_about_a_drill_and_says_so(transactional_db, people, smtp, remind):
    drill = make_incident(title="Payouts delayed", is_drill=True, comms_owner=people["comms"])
    update = drill.updates.get()
    remind(update.next_update_due + MINUTE)
    [message] = smtp.messages
    assert message["Subject"] == "[Drill] Update overdue: Payouts delayed"
    assert "This is a drill." in text_of(message)


def test_it_reminds_the_commander_when_nobody_owns_the_updates(
    transactional_db, people, smtp, remind
):
    incident = make_incident(title="Exports fail", commander=people["commander"])
    remind(incident.updates.get().next_update_due + MINUTE)
    [message] = smtp.messages
    assert message["To"] == "dana@example.com"
    assert "you are its commander and it has no comms owner" in text_of(message)


def test_it_reminds_every_responder_when_nobody_leads_the_incident(
    transactional_db, people, smtp, remind
):
    incident = make_incident(title="Exports fail")
    remind(incident.updates.get().next_update_due + MINUTE)
    [message] = smtp.messages
    assert set(message["To"].split(", ")) == {
        "alex@example.com",
        "dana@example.com",
        "sam@example.com",
    }


def test_it_never_sends_twice_when_two_workers_claim_the_same_reminder(promise, smtp):
    [reminder] = check_promises(now=promise.next_update_due + MINUTE)
    first = send_reminder(reminder_id=reminder.pk)
    second = send_reminder(reminder_id=reminder.pk)
    assert (first, second) == (True, False)
    assert len(smtp.messages) == 1


def test_it_records_a_failed_send_and_retries_on_the_next_check(promise, smtp, settings, remind):
    overdue = promise.next_update_due + MINUTE
    with_server = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is down
    remind(overdue)
    failed = Reminder.objects.get()
    assert failed.sent_at is None and "Connection" in failed.error
    settings.EMAIL_PORT = with_server
    remind(overdue + MINUTE)
    sent = Reminder.objects.get()
    assert sent.sent_at is not None and sent.attempts == 2 and sent.error == ""
    assert len(smtp.messages) == 1


def test_it_keeps_the_reminder_on_the_desk_when_nobody_has_an_email_address(
    promise, people, smtp, remind
):
    people["comms"].email = ""
    people["comms"].save()
    remind(promise.next_update_due + MINUTE)
    reminder = Reminder.objects.get()
    assert smtp.messages == []
    assert reminder.channel == "desk" and reminder.sent_at is not None
