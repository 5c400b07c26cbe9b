"""The demo company shows a held review: the room with its liaison, a full write-up that the
review checks pass, Five Whys and factors pointing at the timeline."""

import pytest

from clearline import demo
from clearline.accounts.models import Organisation
from clearline.reviews import review_selectors as selectors
from clearline.reviews import writeup
from clearline.reviews.models import AttendeeRole, Invitation, Review, ReviewState
from tests.factories import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    demo.load()
    run_jobs()  # the worker proposes reviews for the other resolved incidents
    return Review.objects.get(incident__title="Invoice emails delivered late")


def test_the_latest_resolved_incident_has_a_held_review(loaded):
    assert loaded.state == ReviewState.HELD and loaded.held_at > loaded.starts_at
    roles = {a.role for a in loaded.attendees.all()}
    assert roles == {
        AttendeeRole.COMMANDER,
        AttendeeRole.CUSTOMER_LIAISON,
        AttendeeRole.SCRIBE,
        AttendeeRole.SERVICE_OWNER,
        AttendeeRole.SUBJECT_MATTER_EXPERT,
        AttendeeRole.ENGINEERING_LEAD,
    }
    assert not selectors.liaison_missing(loaded)
    assert len(loaded.whys.all()) == 5 and len(loaded.factors.all()) == 3
    assert loaded.whys.filter(timeline_entry__isnull=False).count() == 3
    assert all(factor.timeline_entry for factor in loaded.factors.all())
    assert "Customers reported (3 reports from 3 accounts):" in loaded.customer_signal
    assert not Invitation.objects.filter(review=loaded, sent_at__isnull=True).exists()


def test_the_demo_write_up_passes_the_review_checks(loaded):
    text = selectors.document(loaded, Organisation.current().zone)
    report = writeup.check(loaded.incident, text)
    assert [
        (f.code, text[f.start : f.end] if f.start is not None else None) for f in report.findings
    ] == []


def test_the_other_resolved_incidents_get_proposed_reviews(loaded):
    others = Review.objects.exclude(pk=loaded.pk)
    assert others.count() >= len(demo.HISTORY) - 1
    assert all(review.state == ReviewState.PROPOSED for review in others)
    assert Organisation.current().calendar.country == "GB"
