"""Publishing with or without telling subscribers: the event a publish writes says which, and
drills and internal text never tell anyone."""

import pytest

from clearline.core.models import EventKind, OutboxEvent
from clearline.core.permissions import SYSTEM
from clearline.updates.services import (
    approve_and_publish,
    content_hash_of,
    draft_update,
    publish_edited_update,
    publish_new_update,
    publish_update,
)
from tests.factories import make_incident

TEXT = "Card payments fail for some customers; we are looking into it."
REASON = "Short text written for a test."


def told(update) -> bool:
    [event] = OutboxEvent.objects.filter(kind=EventKind.UPDATE_PUBLISHED, update_id=update.pk)
    return event.notify


@pytest.mark.parametrize(
    "incident_fields, audience, notify, expected",
    [
        ({}, "public", True, True),
        ({}, "public", False, False),
        ({"is_drill": True}, "public", True, False),
        ({"visibility": "internal"}, "public", True, False),
        ({}, "internal", True, False),
    ],
    ids=["public", "switched-off", "drill", "internal-incident", "internal-update"],
)
def test_the_event_says_whether_subscribers_are_told(
    db, incident_fields, audience, notify, expected
):
    incident = make_incident(title="Card payments fail", published=False, **incident_fields)
    update = draft_update(incident=incident, by=SYSTEM, body=TEXT, audience=audience)
    publish_update(update=update, by=SYSTEM, notify=notify)
    assert told(update) is expected


@pytest.mark.parametrize("notify", [True, False])
def test_every_way_to_publish_passes_the_switch_on(db, people, one_person_team, notify):
    dana = people["commander"]
    incident = make_incident(title="Card payments fail", published=False)

    first = draft_update(incident=incident, by=people["comms"], body=TEXT)
    approve_and_publish(
        update=first,
        by=dana,
        content_hash=content_hash_of(first),
        override_reason=REASON,
        notify=notify,
    )
    new = publish_new_update(
        incident=incident,
        by=dana,
        approve=True,
        override_reason=REASON,
        body=TEXT + " More soon.",
        notify=notify,
    )
    draft = draft_update(incident=incident, by=people["comms"], body=TEXT + " Still on it.")
    edited = publish_edited_update(
        update=draft,
        by=dana,
        version=draft.version,
        approve=True,
        override_reason=REASON,
        body=TEXT + " Still on it, with a fix.",
        notify=notify,
    )

    assert [told(u) for u in (first, new, edited)] == [notify] * 3
