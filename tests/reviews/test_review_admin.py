"""The review in the admin: an admin reads the whole record — the room, the write-up, the
invitations — and changes none of it there, since its services send, version and audit."""

import pytest

from clearline.reviews import review as services
from clearline.reviews.models import Attendee, Review
from tests.core.test_admin import login
from tests.reviews.actions.conftest import add_item
from tests.unchanged import nothing_changes

ANSWER = "The gateway certificate expired and nothing watched its date."


@pytest.fixture
def written(review, people):
    """The proposed review with a Five Whys answer in its write-up."""
    return services.edit_writeup(
        review=review,
        by=people["comms"],
        version=review.version,
        whys=[services.WhyIn("Why were card payments declined?", ANSWER)],
    )


@pytest.fixture
def admin_client(client, people):
    login(client, people["admin"])
    return client


def test_an_admin_reads_the_room_and_the_write_up(admin_client, written):
    listed = admin_client.get("/admin/reviews/review/")
    assert listed.status_code == 200 and "Card payments declined" in listed.content.decode()
    page = admin_client.get(f"/admin/reviews/review/{written.pk}/change/").content.decode()
    assert ANSWER in page
    assert "Customer liaison" in page and "Incident commander" in page


@pytest.mark.parametrize("model", ["review", "attendee", "invitation", "actionitem"])
def test_nothing_of_it_can_be_added_in_the_admin(admin_client, model):
    assert admin_client.get(f"/admin/reviews/{model}/add/").status_code == 403


def test_a_post_to_the_review_changes_nothing(admin_client, written):
    with nothing_changes():
        response = admin_client.post(
            f"/admin/reviews/review/{written.pk}/change/",
            {"state": "held", "missed": "Rewritten.", "whys-TOTAL_FORMS": "0"},
        )
        deleted = admin_client.post(f"/admin/reviews/review/{written.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and deleted.status_code == 403
    assert Review.objects.get().state == "proposed"


def test_attendees_and_action_items_are_shown_not_edited(admin_client, written, people):
    attendee = Attendee.objects.filter(review=written).first()
    item = add_item(written.incident, by=people["commander"], owner=people["comms"])
    for path in (
        f"/admin/reviews/attendee/{attendee.pk}/change/",
        f"/admin/reviews/actionitem/{item.pk}/change/",
    ):
        page = admin_client.get(path)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()


def test_responders_do_not_reach_it(client, people, written):
    login(client, people["comms"])
    assert client.get(f"/admin/reviews/review/{written.pk}/change/").status_code == 302
