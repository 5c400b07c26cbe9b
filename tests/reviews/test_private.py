"""A review is internal: nothing written in it reaches the status page, its snapshot files, the
feeds, the public JSON or a subscriber's mail, however full it is."""

from pathlib import Path

import pytest

from clearline.reviews import review as services
from clearline.reviews.models import AttendeeRole
from clearline.statuspage.snapshot import render_everything
from tests.factories import make_component, publish, run_jobs
from tests.notify.conftest import subscribe
from tests.reviews.conftest import incident_for, organisation, resolve
from tests.statuspage.test_privacy import PUBLIC_PATHS

MARKER = "RVW-7f3a91-INTERNAL"


@pytest.fixture
def full_review(transactional_db, people, smtp, delivery_settings):
    """A public incident, told to an email subscriber, whose held review carries the marker in
    every part of it; then one more public update goes out to the subscriber."""
    organisation()
    payments = make_component("Card payments")
    subscribe("kim@example.com")
    incident = resolve(incident_for(people, components={payments: "partial_outage"}))
    review = incident.review
    entry = incident.timeline.first()
    services.edit_writeup(
        review=review,
        by=people["comms"],
        version=review.version,
        timeline=f"{review.timeline}\n- {MARKER} in the timeline",
        missed=f"{MARKER} missed",
        done=f"{MARKER} done",
        next_steps=f"- {MARKER} next (owner: Priya Shah, due: 14 March)",
        customer_signal=f"Customers reported {MARKER}",
        whys=[services.WhyIn(f"Why {MARKER}?", f"Because {MARKER}.", entry.pk)],
        factors=[services.FactorIn(f"{MARKER} factor", "detection", entry.pk)],
    )
    services.add_attendee(
        review=review,
        by=people["comms"],
        role=AttendeeRole.SUBJECT_MATTER_EXPERT,
        name=f"{MARKER} expert",
        email="expert@example.com",
    )
    services.schedule_review(review=review, by=people["comms"])
    run_jobs()  # the invitations go out to the room
    services.mark_held(review=review, by=people["comms"])
    publish(
        incident,
        "Card payments have worked normally for a day; we keep watching them.",
        status="resolved",
    )
    run_jobs()
    return incident


def test_nothing_of_the_review_is_on_any_public_address(client, full_review):
    paths = [
        *PUBLIC_PATHS,
        f"/incidents/{full_review.public_id}",
        f"/history/{full_review.started_at:%Y-%m}",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert MARKER not in response.content.decode(), path
    # The page is there and speaks of the incident: the search looked at real content.
    assert (
        "Card payments declined"
        in client.get(f"/incidents/{full_review.public_id}").content.decode()
    )


def test_nothing_of_the_review_is_in_any_snapshot_file(full_review, snapshot_dir):
    render_everything()
    files = [p for p in Path(snapshot_dir).rglob("*") if p.is_file()]
    assert len(files) >= len(PUBLIC_PATHS)
    for path in files:
        assert MARKER not in path.read_text(), path.name


def test_nothing_of_the_review_is_in_a_subscriber_s_mail(full_review, smtp):
    told = [m for m in smtp.messages if m["To"] == "kim@example.com"]
    assert len(told) == 3  # the first update, the resolution, the update after the review
    for message in told:
        assert MARKER not in message.as_string()
        assert MARKER not in message.get_body(("plain",)).get_content()
    # The review's own invitations went to the room, not to subscribers.
    invited = {m["To"] for m in smtp.messages} - {"kim@example.com"}
    assert invited == {"dana@example.com", "sam@example.com", "expert@example.com"}
