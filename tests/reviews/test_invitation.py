"""Everyone in the room gets the review in their calendar: one event per review (a stable UID),
moved in place when the time changes (a higher SEQUENCE), sent by the worker over real SMTP."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from clearline.reviews import invitation
from clearline.reviews import review as services
from clearline.reviews.models import AttendeeRole, Invitation
from tests.factories import run_jobs
from tests.reviews.conftest import incident_for, organisation, resolve

LONDON = ZoneInfo("Europe/London")


def calendar_of(message) -> Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "invite.ics"
    assert part.get_param("method") in ("REQUEST", "CANCEL")
    return Calendar.from_ical(part.get_content())


def event_of(message):
    [event] = calendar_of(message).walk("VEVENT")
    return event


def subject(message) -> str:
    # A non-ASCII subject is folded onto the next line; mail programs unfold it.
    return str(message["Subject"]).strip()


def attendees(event) -> dict[str, str]:
    found = event.get("ATTENDEE")
    found = found if isinstance(found, list) else [found]
    return {str(a).removeprefix("mailto:"): str(a.params["ROLE"]) for a in found}


@pytest.fixture
def room(transactional_db, people):
    """A resolved incident's review with the commander, the comms owner as liaison and a scribe
    who has no account."""
    organisation()
    review = resolve(incident_for(people)).review
    services.add_attendee(
        review=review,
        by=people["comms"],
        role=AttendeeRole.SCRIBE,
        name="Ruth Adeyemi",
        email="ruth@example.com",
    )
    services.add_attendee(
        review=review, by=people["comms"], role=AttendeeRole.SERVICE_OWNER, name="Noor (no email)"
    )
    return review


def test_scheduling_emails_everyone_with_an_address_an_invitation(room, people, smtp):
    services.schedule_review(review=room, by=people["comms"])
    run_jobs()

    messages = smtp.wait_for(3)
    assert sorted(m["To"] for m in messages) == [
        "dana@example.com",
        "ruth@example.com",
        "sam@example.com",
    ]
    room.refresh_from_db()
    for message in messages:
        calendar = calendar_of(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        event = event_of(message)
        assert str(event["UID"]) == f"review-{room.public_id}@127.0.0.1"
        assert int(event["SEQUENCE"]) == 0
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start == room.starts_at and end - start == timedelta(minutes=60)
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert (start.hour, start.minute) == (10, 0) and str(start.tzinfo) == "Europe/London"
        assert str(event["ORGANIZER"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
        assert attendees(event) == {
            "dana@example.com": "CHAIR",
            "sam@example.com": "REQ-PARTICIPANT",
            "ruth@example.com": "REQ-PARTICIPANT",
        }
        assert str(event["SUMMARY"]) == "Incident review: Card payments declined"
        page = f"{settings.SITE_URL}/desk/incidents/{room.incident_id}/review/"
        assert str(event["URL"]) == page and page in str(event["DESCRIPTION"])
        assert "Ruth Adeyemi: Scribe" in str(event["DESCRIPTION"])
        assert subject(message).startswith("Invitation: incident review of “Card payments")
        assert "read the pre-read first" in message.get_body(("plain",)).get_content()
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 3


def test_moving_it_sends_the_same_event_with_a_higher_sequence(room, people, smtp):
    services.schedule_review(review=room, by=people["comms"])
    run_jobs()
    first_uid = str(event_of(smtp.wait_for(3)[0])["UID"])
    smtp.messages.clear()
    later = room.starts_at + timedelta(days=1, hours=4)

    services.schedule_review(review=room, by=people["commander"], starts_at=later)
    run_jobs()

    messages = smtp.wait_for(3)
    assert len(messages) == 3
    for message in messages:
        event = event_of(message)
        assert str(event["UID"]) == first_uid
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART") == later
        assert subject(message).startswith("Moved: incident review")


def test_a_newcomer_is_invited_alone_and_a_leaver_gets_a_cancellation(room, people, smtp):
    services.schedule_review(review=room, by=people["comms"])
    run_jobs()
    smtp.wait_for(3)
    smtp.messages.clear()

    services.add_attendee(
        review=room,
        by=people["comms"],
        role=AttendeeRole.SUBJECT_MATTER_EXPERT,
        user=people["admin"],
    )
    scribe = room.attendees.get(role=AttendeeRole.SCRIBE)
    services.remove_attendee(attendee=scribe, by=people["comms"])
    run_jobs()

    messages = {m["To"]: m for m in smtp.wait_for(2)}
    assert set(messages) == {"alex@example.com", "ruth@example.com"}
    assert str(calendar_of(messages["alex@example.com"])["METHOD"]) == "REQUEST"
    cancel = messages["ruth@example.com"]
    assert str(calendar_of(cancel)["METHOD"]) == "CANCEL"
    assert attendees(event_of(cancel)) == {"ruth@example.com": "REQ-PARTICIPANT"}
    assert str(event_of(cancel)["STATUS"]) == "CANCELLED"


def test_the_worker_never_sends_inside_a_transaction(room, people):
    services.schedule_review(review=room, by=people["comms"])
    pending = Invitation.objects.first()
    with pytest.raises(RuntimeError, match="outside a transaction"), transaction.atomic():
        invitation.send_invitation(invitation_id=pending.pk)


def test_a_refusing_mail_server_is_retried_and_the_error_kept(room, people, smtp):
    smtp.refuse("RCPT", "451 4.3.0 Try again later")
    services.schedule_review(review=room, by=people["comms"])
    run_jobs()
    failed = Invitation.objects.get(email="ruth@example.com")
    assert failed.sent_at is None and "451" in failed.error and failed.attempts == 1

    smtp.accept()
    assert invitation.send_invitation(invitation_id=failed.pk) is True
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.error == ""


def test_an_invitation_overtaken_by_a_move_is_not_sent(room, people, smtp):
    services.schedule_review(review=room, by=people["comms"])
    services.schedule_review(
        review=room, by=people["comms"], starts_at=room.starts_at + timedelta(hours=3)
    )
    run_jobs()
    assert {int(event_of(m)["SEQUENCE"]) for m in smtp.wait_for(3)} == {1}
    stale = Invitation.objects.filter(sequence=0)
    assert stale.count() == 3 and all(row.sent_at is None for row in stale)
    assert "moved again" in stale.first().error


def test_the_page_offers_the_same_event_to_download(room, people, client):
    client.force_login(people["support"])
    response = client.get(f"/desk/incidents/{room.incident_id}/review/invitation.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == invitation.uid(room)
    assert event.decoded("DTSTART") == room.starts_at


def test_a_review_held_before_its_invitations_went_out_sends_none(room, people, smtp):
    services.schedule_review(review=room, by=people["comms"])
    services.mark_held(review=room, by=people["comms"], held_at=timezone.now())
    run_jobs()
    assert smtp.messages == []
    assert all(row.sent_at is None for row in Invitation.objects.all())
    assert "held before the invitation went out" in Invitation.objects.first().error
