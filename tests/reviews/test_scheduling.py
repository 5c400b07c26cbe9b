"""A resolved incident leads to a review without anyone remembering to ask: the worker proposes
one on the third business day after the resolution, and people move it with a warning, not a
refusal, when they leave the window of days 3–5."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clearline.core.business_days import Calendar
from clearline.core.errors import ClearlineError, Conflict
from clearline.core.models import OutboxEvent
from clearline.core.permissions import SYSTEM
from clearline.reviews import review as services
from clearline.reviews import review_selectors as selectors
from clearline.reviews import schedule, tasks
from clearline.reviews.models import AttendeeRole, Review, ReviewState
from tests.factories import publish, run_jobs
from tests.reviews.conftest import incident_for, organisation, resolve

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_worker_proposes_a_review_after_easter_in_england(db, people):
    organisation("Europe/London", "GB", "ENG")
    # Resolved on Maundy Thursday afternoon; Good Friday and Easter Monday are bank holidays.
    resolved_at = datetime(2025, 4, 17, 15, 30, tzinfo=LONDON)
    incident = incident_for(people, started=resolved_at - timedelta(hours=2))
    publish(incident, "Card payments work again.", status="resolved", now=resolved_at)
    assert not Review.objects.exists()  # the worker has not run yet

    run_jobs()

    review = Review.objects.get(incident=incident)
    assert review.proposed_for == datetime(2025, 4, 24, 10, 0, tzinfo=LONDON)
    assert review.starts_at == review.proposed_for and review.state == ReviewState.PROPOSED
    plan = selectors.schedule_of(review)
    assert [d.isoformat() for d in plan.window.days] == ["2025-04-24", "2025-04-25", "2025-04-28"]


def test_the_worker_proposes_a_review_around_corpus_christi_in_bavaria(db, people):
    organisation("Europe/Berlin", "DE", "BY")
    resolved_at = datetime(2025, 6, 16, 18, 0, tzinfo=BERLIN)
    incident = incident_for(people, started=resolved_at - timedelta(hours=2))

    resolve(incident, at=resolved_at)

    # Tue 17 and Wed 18 are days 1 and 2; Thu 19 (Corpus Christi) is a holiday in Bavaria.
    assert incident.review.proposed_for == datetime(2025, 6, 20, 10, 0, tzinfo=BERLIN)


def test_the_day_of_the_resolution_is_read_in_the_organisation_s_zone(db, people):
    organisation("Europe/Berlin", "", "")
    # 23:30 UTC on Friday is already Saturday in Berlin: day 1 is Monday, day 3 Wednesday.
    resolved_at = datetime(2025, 3, 7, 23, 30, tzinfo=ZoneInfo("UTC"))
    incident = incident_for(people, started=resolved_at - timedelta(hours=2))
    resolve(incident, at=resolved_at)
    assert incident.review.proposed_for == datetime(2025, 3, 12, 10, 0, tzinfo=BERLIN)


def test_it_is_proposed_once_however_often_the_incident_is_resolved(london, people):
    incident = resolve(incident_for(people), at=timezone.now() - timedelta(hours=2))
    first = incident.review
    publish(incident, "Card payments fail again for some customers.", status="investigating")
    resolve(incident)
    for event in OutboxEvent.objects.all():  # and a consumer run twice adds nothing either
        tasks.after_publication(event)
    assert Review.objects.filter(incident=incident).count() == 1
    assert Review.objects.get(incident=incident).resolved_at == first.resolved_at


def test_an_update_that_does_not_resolve_proposes_nothing(london, people):
    incident = incident_for(people)
    publish(incident, "Card payments are recovering.", status="monitoring")
    run_jobs()
    assert not Review.objects.exists()


def test_two_reviews_on_one_day_get_the_earliest_free_slots(london, people):
    moment = timezone.now() - timedelta(minutes=30)
    first = resolve(incident_for(people), at=moment).review
    second = resolve(incident_for(people), at=moment).review
    assert second.starts_at - first.starts_at == timedelta(hours=1)
    assert first.starts_at.astimezone(LONDON).hour == 10


def test_the_commander_and_the_comms_owner_are_invited_in_their_roles(review, people):
    roles = {(a.role, a.user) for a in review.attendees.all()}
    assert roles == {
        (AttendeeRole.COMMANDER, people["commander"]),
        (AttendeeRole.CUSTOMER_LIAISON, people["comms"]),
    }
    assert not selectors.liaison_missing(review)


def test_a_missing_liaison_is_flagged_first(london, people):
    incident = incident_for(people, comms_owner=people["commander"])
    review = resolve(incident).review
    assert selectors.liaison_missing(review)
    warnings = selectors.warnings(review, selectors.schedule_of(review))
    assert warnings[0] == selectors.LIAISON_MISSING


def day_at(day, hour=10):
    return datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=LONDON)


def future_review(people) -> Review:
    """A review of an incident resolved just now, so its whole window lies ahead."""
    return resolve(incident_for(people)).review


def test_moving_it_inside_the_window_warns_of_nothing(london, people):
    review = future_review(people)
    plan = selectors.schedule_of(review)
    services.schedule_review(
        review=review, by=people["comms"], starts_at=day_at(plan.window.last, 14)
    )
    review.refresh_from_db()
    assert review.state == ReviewState.SCHEDULED
    assert selectors.schedule_of(review).warnings == []


def test_moving_it_past_the_window_is_allowed_with_a_warning(london, people):
    review = future_review(people)
    later = selectors.schedule_of(review).window.last + timedelta(days=7)
    while later.weekday() >= 5:
        later += timedelta(days=1)
    services.schedule_review(review=review, by=people["comms"], starts_at=day_at(later))
    review.refresh_from_db()
    assert review.starts_at == day_at(later)
    [warning] = selectors.schedule_of(review).warnings
    assert warning.startswith("That is after the window of business days 3–5")


def test_a_day_before_the_breather_and_off_work_gets_both_warnings():
    calendar = Calendar(country="GB", subdivision="ENG")
    span = schedule.window(datetime(2025, 4, 17, 15, 30, tzinfo=LONDON), calendar, LONDON)
    good_friday = datetime(2025, 4, 18, 10, 0, tzinfo=LONDON)
    said = schedule.warnings(good_friday, span, calendar, LONDON)
    assert said[0] == "Friday 18 April is Good Friday, a public holiday."
    assert said[1].startswith("That is before the window of business days 3–5 after the")
    assert "(Thu 24 Apr to Mon 28 Apr): no business day after the resolution" in said[1]
    tuesday = datetime(2025, 4, 22, 10, 0, tzinfo=LONDON)
    [early] = schedule.warnings(tuesday, span, calendar, LONDON)
    assert ": business day 1 after the resolution, too soon for a breather" in early
    assert (
        schedule.warnings(datetime(2025, 4, 28, 15, 0, tzinfo=LONDON), span, calendar, LONDON) == []
    )


def test_a_time_that_has_passed_is_refused_naming_the_field(london, people):
    review = future_review(people)
    with pytest.raises(ClearlineError) as refused:
        services.schedule_review(
            review=review, by=people["comms"], starts_at=timezone.now() - timedelta(hours=1)
        )
    assert refused.value.field == "starts_at"
    review.refresh_from_db()
    assert review.state == ReviewState.PROPOSED


def test_a_review_is_held_once_and_records_when(review, people):
    held_at = timezone.now() - timedelta(minutes=5)
    services.mark_held(review=review, by=people["comms"], held_at=held_at)
    review.refresh_from_db()
    assert review.state == ReviewState.HELD and review.held_at == held_at
    with pytest.raises(Conflict):
        services.mark_held(review=review, by=people["comms"])
    with pytest.raises(Conflict):
        services.schedule_review(review=review, by=people["comms"])


def test_a_review_cannot_be_proposed_before_the_incident_is_resolved(london, people):
    incident = incident_for(people)
    with pytest.raises(ClearlineError, match="once the incident is resolved"):
        services.propose_review(incident=incident, by=SYSTEM)
