"""Two support people log the same new question at the same moment: one group, counted twice."""

import threading

import pytest
from django.db import connection, transaction

from clearline.brief.models import QuestionGroup
from tests.brief.conftest import ask
from tests.factories import make_incident, make_user
from tests.incidents.test_alert_race import wait_until_a_transaction_waits_on_a_lock

# SQLite runs one writer at a time (IMMEDIATE transactions), so there is no race to lose there.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL run covers this"
)


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_group_when_two_people_log_a_new_question_at_once():
    incident = make_incident()
    vic, val = make_user("vic", "viewer"), make_user("val", "viewer")
    errors = []
    first_has_written, commit_first = threading.Event(), threading.Event()

    def log(person, text, *, hold):
        try:
            with transaction.atomic():
                ask(incident, person, text)
                if hold:  # keep the first transaction open until the second one waits
                    first_has_written.set()
                    commit_first.wait(10)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=log, args=(vic, "Is my data safe?"), kwargs={"hold": True})
    second = threading.Thread(target=log, args=(val, "is our data safe"), kwargs={"hold": False})
    first.start()
    assert first_has_written.wait(10)
    second.start()
    wait_until_a_transaction_waits_on_a_lock()
    commit_first.set()
    first.join(10)
    second.join(10)

    assert errors == []
    assert QuestionGroup.objects.count() == 1
    assert QuestionGroup.objects.get().signals.count() == 2
