"""The review page at the desk, without JavaScript: every form posts and comes back; only the
checks panel also answers as people type."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.reviews.models import Review, ReviewState
from tests.reviews.conftest import incident_for, resolve

BLAME = "It was human error: the on-call engineer should have known better."


def page(incident) -> str:
    return f"/desk/incidents/{incident.pk}/review/"


@pytest.fixture
def comms(client, people):
    client.force_login(people["comms"])
    return client


def form_data(review, **changes) -> dict:
    """The write-up form as the page renders it, unchanged unless `changes` say."""
    data = {"version": review.version}
    for name in ("timeline", "missed", "done", "next_steps", "customer_signal"):
        data[name] = getattr(review, name)
    return data | changes


def test_signed_out_people_are_sent_to_sign_in(client, resolved):
    response = client.get(page(resolved))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_viewer_reads_the_review_but_gets_no_forms(client, people, resolved):
    client.force_login(people["support"])
    response = client.get(page(resolved))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Blameless review" in html and "Incident commander" in html
    assert "Customer liaison" in html and 'id="liaison-missing"' not in html
    assert "Business days 3–5 after the resolution" in html
    assert f"/desk/incidents/{resolved.pk}/review/invitation.ics" in html
    assert 'id="writeup-form"' not in html and 'id="attendee-form"' not in html
    # The saved write-up is checked on every load: nothing on what customers said.
    assert 'data-rule="missing-customer-signal"' in html


def test_a_viewer_cannot_save(client, people, resolved):
    client.force_login(people["support"])
    response = client.post(page(resolved) + "writeup/", form_data(resolved.review, done="x"))
    assert response.status_code == 403
    assert Review.objects.get().done == ""


def test_the_incident_page_leads_to_the_review(comms, resolved):
    assert page(resolved) in comms.get(f"/desk/incidents/{resolved.pk}/").content.decode()


def test_the_write_up_saves_with_a_why_pointing_at_the_timeline(comms, resolved):
    entry = resolved.timeline.get(kind="cause_found")
    review = resolved.review
    response = comms.post(
        page(resolved) + "writeup/",
        form_data(
            review,
            done="Renewed the certificate and repeated a test payment.",
            why_0_question="Why were card payments declined?",
            why_0_answer="The gateway's certificate had expired.",
            why_0_entry=str(entry.pk),
            factor_0_kind="detection",
            factor_0_text="No alert on certificate expiry.",
            factor_0_entry="",
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#writeup")
    review.refresh_from_db()
    assert review.done == "Renewed the certificate and repeated a test payment."
    [why] = review.whys.all()
    assert why.timeline_entry == entry and why.position == 1
    assert review.factors.get().kind == "detection"
    html = comms.get(page(resolved)).content.decode()
    assert "Renewed the certificate and repeated a test payment.</textarea>" in html


def test_an_answer_without_its_question_keeps_everything_typed(comms, resolved):
    review = resolved.review
    response = comms.post(
        page(resolved) + "writeup/",
        form_data(review, done="Kept words.", why_1_answer="An answer with no question."),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Write the question this answers." in html
    assert "Kept words.</textarea>" in html and "An answer with no question.</textarea>" in html
    assert Review.objects.get().done == ""


def test_a_stale_save_is_a_conflict_that_keeps_the_writer_s_words(comms, people, resolved):
    review = resolved.review
    comms.post(page(resolved) + "writeup/", form_data(review, done="First words."))
    response = comms.post(page(resolved) + "writeup/", form_data(review, done="Second words."))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this write-up" in html and "Second words.</textarea>" in html
    assert Review.objects.get().done == "First words."


def test_the_live_panel_flags_blame_as_it_is_typed(comms, resolved):
    response = comms.post(
        page(resolved) + "checks/", form_data(resolved.review, missed=BLAME), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-rule="blame-language"' in html and "CL150" in html
    assert "What a reader takes away" not in html  # an internal text has no customer reader


def test_the_live_panel_reads_the_whys_and_factors_too(comms, resolved):
    response = comms.post(
        page(resolved) + "checks/",
        form_data(
            resolved.review,
            why_0_question="Why did it happen?",
            why_0_answer="Because someone was careless.",
            factor_0_kind="other",
            factor_0_text="We must improve monitoring.",
        ),
    )
    html = response.content.decode()
    assert 'data-rule="blame-language"' in html and 'data-rule="vague-action"' in html


def test_adding_the_liaison_clears_the_flag(comms, london, people):
    incident = resolve(incident_for(people, comms_owner=None))
    assert 'id="liaison-missing"' in comms.get(page(incident)).content.decode()
    response = comms.post(
        page(incident) + "attendees/",
        {"role": "customer_liaison", "user": people["support"].pk, "name": "", "email": ""},
    )
    assert response.status_code == 302
    assert 'id="liaison-missing"' not in comms.get(page(incident)).content.decode()


def test_an_attendee_needs_a_person_or_a_name(comms, resolved):
    response = comms.post(page(resolved) + "attendees/", {"role": "scribe", "user": ""})
    assert response.status_code == 422
    assert "Choose a person, or give a name." in response.content.decode()


def test_removing_an_attendee(comms, resolved):
    liaison = resolved.review.attendees.get(role="customer_liaison")
    response = comms.post(f"/desk/review-attendees/{liaison.pk}/remove/")
    assert response.status_code == 302
    assert 'id="liaison-missing"' in comms.get(page(resolved)).content.decode()


def test_scheduling_outside_the_window_shows_the_warning(comms, resolved):
    later = timezone.localtime(resolved.review.starts_at + timedelta(days=21))
    response = comms.post(
        page(resolved) + "schedule/",
        {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "minutes": 45},
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.state == ReviewState.SCHEDULED and review.minutes == 45
    html = comms.get(page(resolved)).content.decode()
    assert "outside the window" in html and "after the window of business days 3–5" in html


def test_a_past_time_is_refused_on_the_field(comms, resolved):
    response = comms.post(
        page(resolved) + "schedule/", {"starts_at": "2020-01-06T10:00", "minutes": 60}
    )
    assert response.status_code == 422
    assert "That time has passed; pick a time ahead." in response.content.decode()


def test_marking_it_held(comms, resolved):
    response = comms.post(page(resolved) + "held/", {"held_at": ""})
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.state == ReviewState.HELD and review.held_at is not None
    html = comms.get(page(resolved)).content.decode()
    assert "Review held" in html and 'id="held-form"' not in html


def test_an_incident_resolved_before_gets_its_review_proposed_by_hand(comms, london, people):
    incident = resolve(incident_for(people))
    Review.objects.all().delete()
    html = comms.get(page(incident)).content.decode()
    assert "no review yet" in html
    response = comms.post(page(incident) + "propose/")
    assert response.status_code == 302 and Review.objects.filter(incident=incident).exists()
