"""A writer pastes far too much into the desk, or text with hidden controls: the desk says what
the limit is, keeps every character they typed in the box, and stores nothing."""

import html
import time

from clearline.core.models import AuditEntry
from clearline.incidents.models import Incident, Segment
from clearline.updates.models import Update
from tests.factories import make_incident

STORY = (
    "Card payments fail for some customers in the EU because a certificate expired. "
    "Invoices still work. Next update at 10:30 UTC. "
)


def nothing_new(before):
    return (Incident.objects.count(), Update.objects.count(), AuditEntry.objects.count()) == before


def counts():
    return Incident.objects.count(), Update.objects.count(), AuditEntry.objects.count()


def test_the_live_check_refuses_a_megabyte_at_once_and_answers_small(desk, people):
    incident = make_incident(by=people["comms"])
    megabyte = (STORY * (1_000_000 // len(STORY) + 1))[:1_000_000]

    started = time.monotonic()
    response = desk.post(f"/desk/incidents/{incident.pk}/checks/", {"body": megabyte})
    took = time.monotonic() - started

    assert response.status_code == 422
    assert len(response.content) < 4_000  # the panel, not the text marked up again
    page = response.content.decode()
    assert "Not checked" in page and "10,000 characters" in page
    assert took < 30  # a hang guard only; the checks never run


def test_the_live_check_still_checks_a_real_update(desk, people):
    incident = make_incident(by=people["comms"])
    response = desk.post(f"/desk/incidents/{incident.pk}/checks/", {"body": STORY})
    assert response.status_code == 200
    assert "Not checked" not in response.content.decode()
    assert "What a reader takes away" in response.content.decode()


def test_a_too_long_update_is_refused_with_the_writers_text_kept(desk, people):
    incident = make_incident(by=people["comms"])
    before = counts()
    typed = STORY * 90  # about 11,700 characters: a paste gone wrong

    response = desk.post(
        f"/desk/incidents/{incident.pk}/updates/new/",
        {"status": "identified", "audience": "public", "body": typed, "action": "draft"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Keep this to 10,000 characters" in page
    assert html.escape(typed, quote=False).strip() in page  # every character, still in the box
    assert 'maxlength="' not in page.split('name="body"')[1].split(">")[0]
    assert nothing_new(before)


def test_a_request_far_over_any_form_is_refused_before_it_is_read(desk, people):
    incident = make_incident(by=people["comms"])
    before = counts()
    response = desk.post(
        f"/desk/incidents/{incident.pk}/updates/new/",
        {"status": "identified", "body": "x" * (3 * 1024 * 1024), "action": "draft"},
    )
    assert response.status_code == 413
    assert len(response.content) < 500
    assert nothing_new(before)


def test_the_incident_form_refuses_a_121_character_segment_and_a_bidi_override(desk, people):
    before = counts()
    response = desk.post(
        "/desk/incidents/new/",
        {
            "title": "Checkout \u202efails",
            "impact": "minor",
            "visibility": "public",
            "started_at": "2025-03-04T09:15",
            "segment_0_kind": "region",
            "segment_0_label": "E" * 121,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "control character (U+202E)" in form.errors["title"][0]
    assert "120" in form.errors["segment_0_label"][0]
    assert nothing_new(before) and not Segment.objects.exists()
