"""When the mail server refuses a reminder, or is not there: nobody is told it was sent, the
reason is on record (never the mail password), and the next check sends it, once."""

import logging
import socket
from datetime import timedelta

import pytest

from clearline.promises.models import Reminder
from clearline.promises.services import check_promises
from tests.servers import free_port
from tests.smtp import SmtpServer

MINUTE = timedelta(minutes=1)
USER, PASSWORD = "clearline", "pw-Tq8vX2mailbox"


@pytest.fixture
def mail(settings):
    """A real SMTP server that wants clearline's mail login, as a provider's relay does."""
    with SmtpServer(user=USER, password=PASSWORD) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = USER, PASSWORD
        settings.EMAIL_USE_TLS = False
        yield server


@pytest.fixture
def warnings_logged(caplog):
    caplog.set_level(logging.WARNING, logger="clearline.promises")
    return caplog


def assert_not_sent(reminder: Reminder, error: str, *, attempts: int = 1) -> None:
    assert reminder.sent_at is None
    assert reminder.recipients == ""
    assert reminder.error == error
    assert reminder.attempts == attempts
    assert reminder.claimed_at is None  # free for the next check to try again


def assert_sent_once(mail: SmtpServer, *, attempts: int) -> None:
    reminder = Reminder.objects.get()
    assert reminder.sent_at is not None
    assert reminder.recipients == "sam@example.com"
    assert reminder.error == ""
    assert reminder.attempts == attempts
    [message] = mail.messages
    assert message["Subject"] == "Update overdue: Sign-in fails for some users"


@pytest.mark.parametrize(
    ("stage", "reply", "error"),
    [
        (
            "RCPT",
            "554 5.7.1 Relay access denied",
            "SMTPRecipientsRefused: {'sam@example.com': (554, b'5.7.1 Relay access denied')}",
        ),
        (
            "DATA",
            "554 5.7.1 Message refused by policy",
            "SMTPDataError: (554, b'5.7.1 Message refused by policy')",
        ),
        (
            "RCPT",
            "450 4.2.1 Mailbox busy",
            "SMTPRecipientsRefused: {'sam@example.com': (450, b'4.2.1 Mailbox busy')}",
        ),
        (
            "DATA",
            "451 4.3.0 Temporary local problem",
            "SMTPDataError: (451, b'4.3.0 Temporary local problem')",
        ),
    ],
    ids=["rcpt-554", "data-554", "rcpt-450", "data-451"],
)
def test_a_refused_reminder_is_not_marked_sent_and_goes_out_once_the_server_accepts(
    promise, mail, remind, warnings_logged, stage, reply, error
):
    overdue = promise.next_update_due + MINUTE
    mail.refuse(stage, reply)
    remind(overdue)

    assert mail.logins == [USER] and mail.refused == [f"{stage} {reply}"]
    assert mail.messages == []
    reminder = Reminder.objects.get()
    assert_not_sent(reminder, error)
    assert f"Reminder {reminder.pk} not sent (try 1): {error}" in warnings_logged.messages
    assert PASSWORD not in warnings_logged.text

    mail.accept()
    remind(overdue + MINUTE)
    remind(overdue + 2 * MINUTE)  # a later check finds it sent: no second email
    assert_sent_once(mail, attempts=2)


def test_a_wrong_mail_password_is_recorded_without_the_password(
    promise, mail, settings, remind, warnings_logged
):
    overdue = promise.next_update_due + MINUTE
    settings.EMAIL_HOST_PASSWORD = "pw-Wrong4relay"
    remind(overdue)

    assert mail.logins == [] and mail.messages == []
    assert_not_sent(
        Reminder.objects.get(),
        "SMTPAuthenticationError: (535, b'5.7.8 Authentication credentials invalid')",
    )
    assert "pw-Wrong4relay" not in warnings_logged.text

    settings.EMAIL_HOST_PASSWORD = PASSWORD
    remind(overdue + MINUTE)
    assert_sent_once(mail, attempts=2)


def test_a_mail_server_that_is_down_is_recorded_and_the_reminder_sent_when_it_is_back(
    promise, mail, settings, remind, warnings_logged
):
    overdue = promise.next_update_due + MINUTE
    settings.EMAIL_PORT = free_port()  # nothing listens there
    remind(overdue)

    assert_not_sent(
        Reminder.objects.get(), "ConnectionRefusedError: [Errno 111] Connection refused"
    )
    assert PASSWORD not in warnings_logged.text

    settings.EMAIL_PORT = mail.port
    remind(overdue + MINUTE)
    assert_sent_once(mail, attempts=2)


def test_a_mail_server_that_never_answers_times_out_and_frees_the_reminder(
    promise, mail, settings, remind
):
    overdue = promise.next_update_due + MINUTE
    with socket.create_server(("127.0.0.1", 0)) as silent:  # takes the call, never speaks
        settings.EMAIL_PORT = silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 1
        remind(overdue)
    assert_not_sent(
        Reminder.objects.get(), "SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    )

    settings.EMAIL_PORT = mail.port
    remind(overdue + MINUTE)
    assert_sent_once(mail, attempts=2)


def test_it_stops_trying_after_three_refusals_and_keeps_the_last_reason(promise, mail, remind):
    overdue = promise.next_update_due + MINUTE
    mail.refuse("DATA", "554 5.7.1 Message refused by policy")
    for minutes in range(3):
        remind(overdue + minutes * MINUTE)
    assert len(mail.refused) == 3

    mail.accept()
    assert check_promises(now=overdue + 3 * MINUTE) == []  # nothing queued any more
    remind(overdue + 4 * MINUTE)
    assert mail.messages == []
    assert_not_sent(
        Reminder.objects.get(),
        "SMTPDataError: (554, b'5.7.1 Message refused by policy')",
        attempts=3,
    )
