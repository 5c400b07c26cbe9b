"""Every public update records whether it kept the promise the one before it made."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import make_incident, publish

MINUTE = timedelta(minutes=1)


def first_promise(**fields):
    incident = make_incident(title="Exports fail", published=False, **fields)
    update = publish(incident, "Exports fail for everyone.", now=timezone.now())
    return incident, update.next_update_due


def test_it_records_nothing_for_the_first_update(db):
    incident = make_incident(title="Exports fail")
    assert incident.updates.get().lateness_seconds is None


def test_it_records_an_update_published_before_its_promise_as_on_time(db):
    incident, due = first_promise()
    kept = publish(incident, "We found the cause.", now=due - 3 * MINUTE)
    assert kept.lateness_seconds == 0


def test_it_records_how_late_an_update_came(db):
    incident, due = first_promise()
    late = publish(incident, "We found the cause.", now=due + 7 * MINUTE)
    assert late.lateness_seconds == 7 * 60


def test_it_measures_the_resolution_against_the_last_promise_too(db):
    incident, due = first_promise()
    resolved = publish(incident, "Exports work again.", status="resolved", now=due + 2 * MINUTE)
    assert resolved.lateness_seconds == 120


def test_it_does_not_count_an_internal_note_as_keeping_the_promise(db):
    incident, due = first_promise()
    note = publish(incident, "Paged the database team.", audience="internal", now=due - MINUTE)
    public = publish(incident, "We found the cause.", now=due + 4 * MINUTE)
    assert note.lateness_seconds is None
    assert public.lateness_seconds == 4 * 60


def test_it_measures_drills_as_well(db):
    incident, due = first_promise(is_drill=True)
    assert publish(incident, "Practice: cause found.", now=due + MINUTE).lateness_seconds == 60
