"""The incident page: the record, the timeline and the facts ledger, kept up to date inline."""

import re
from datetime import UTC, datetime

from django.test import Client

from clearline.accounts.models import Organisation
from clearline.core.permissions import SYSTEM
from clearline.incidents.models import Fact, Incident, TimelineEntry
from clearline.incidents.services import add_fact, open_incident
from tests.factories import make_component, make_incident
from tests.unchanged import audited, nothing_changes

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_of(client, incident):
    return client.get(f"/desk/incidents/{incident.pk}/").content.decode()


def test_it_shows_every_time_in_the_organisation_zone_with_its_name(desk):
    Organisation.objects.update_or_create(defaults={"time_zone": "Europe/Berlin"})
    incident = open_incident(
        by=SYSTEM, title="Exports fail", started_at=datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
    )
    assert "15 Jan 2025, 11:00 CET (10:00 UTC)" in page_of(desk, incident)


def test_it_adds_a_timeline_entry_in_place_with_htmx(desk, world):
    incident = world["incident"]
    with audited() as entries:
        response = desk.post(
            f"/desk/incidents/{incident.pk}/timeline/",
            {"kind": "cause_found", "text": "A certificate expired on the card gateway."},
            **HTMX,
        )
    html = response.content.decode()
    assert response.status_code == 200
    entry = TimelineEntry.objects.get(text="A certificate expired on the card gateway.")
    assert (entry.incident, entry.kind, entry.author.username) == (incident, "cause_found", "sam")
    assert entries == [("timeline.added", "sam", "incidents.timelineentry", str(entry.pk))]
    assert html.startswith('<section id="timeline"')
    assert "A certificate expired on the card gateway." in html
    assert "Cause found" in html


def test_it_adds_a_timeline_entry_without_javascript_too(desk, world):
    incident = world["incident"]
    with audited() as entries:
        response = desk.post(
            f"/desk/incidents/{incident.pk}/timeline/", {"kind": "note", "text": "Paged the team."}
        )
    assert response.status_code == 302
    entry = TimelineEntry.objects.get(text="Paged the team.")
    assert (entry.incident, entry.kind, entry.author.username) == (incident, "note", "sam")
    assert entries == [("timeline.added", "sam", "incidents.timelineentry", str(entry.pk))]
    assert response["Location"] == f"/desk/incidents/{incident.pk}/#timeline"
    assert "Paged the team." in page_of(desk, incident)


def test_it_names_the_empty_timeline_text_and_keeps_the_kind(desk, world):
    incident = world["incident"]
    with nothing_changes():
        response = desk.post(
            f"/desk/incidents/{incident.pk}/timeline/", {"kind": "restored", "text": " "}, **HTMX
        )
    assert response.status_code == 200
    assert response.context["timeline_form"].errors["text"] == ["Say what happened."]
    assert '<option value="restored" selected>' in response.content.decode()
    assert not TimelineEntry.objects.exists()


def test_it_keeps_confirmed_facts_and_open_questions_apart(desk, world):
    incident = world["incident"]
    with audited() as entries:
        response = desk.post(
            f"/desk/incidents/{incident.pk}/facts/",
            {"kind": "fact", "subject": "data_safety", "text": "No card numbers were exposed."},
            **HTMX,
        )
    assert response.status_code == 200
    fact = Fact.objects.get(text="No card numbers were exposed.")
    assert (fact.incident, fact.kind, fact.subject, fact.created_by.username) == (
        incident,
        "fact",
        "data_safety",
        "sam",
    )
    assert entries == [("fact.added", "sam", "incidents.fact", str(fact.pk))]
    ledger = desk.get(f"/desk/incidents/{incident.pk}/").context["ledger"]
    assert [f.text for f in ledger["facts"]] == ["No card numbers were exposed."]
    assert [f.text for f in ledger["questions"]] == ["Were any cards charged twice?"]


def test_it_answers_an_open_question_inline(desk, world):
    with audited() as entries:
        response = desk.post(
            f"/desk/facts/{world['fact'].pk}/settle/",
            {"status": "answered", "text": "No card was charged twice."},
            **HTMX,
        )
    html = response.content.decode()
    assert response.status_code == 200
    fact = Fact.objects.get(pk=world["fact"].pk)
    assert (fact.status, fact.text) == ("answered", "No card was charged twice.")
    assert entries == [("fact.settled", "sam", "incidents.fact", str(fact.pk))]
    assert html.startswith('<section id="ledger"')
    assert response.context["ledger"]["questions"] == []
    assert [f.text for f in response.context["ledger"]["facts"]] == ["No card was charged twice."]


def test_it_confirms_a_suspicion_as_a_fact(desk, world):
    fact = add_fact(incident=world["incident"], by=SYSTEM, text="The gateway certificate expired.")
    with audited() as entries:
        response = desk.post(f"/desk/facts/{fact.pk}/settle/", {"status": "confirmed"}, **HTMX)
    assert response.status_code == 200
    fact.refresh_from_db()
    assert (fact.kind, fact.status) == ("fact", "confirmed")
    assert fact.confirmed_by.username == "sam" and fact.confirmed_at is not None
    assert entries == [("fact.settled", "sam", "incidents.fact", str(fact.pk))]


def test_it_withdraws_a_question_into_the_withdrawn_list(desk, world):
    with audited() as entries:
        response = desk.post(
            f"/desk/facts/{world['fact'].pk}/settle/", {"status": "withdrawn"}, **HTMX
        )
    assert response.status_code == 200
    assert Fact.objects.get(pk=world["fact"].pk).status == "withdrawn"
    assert entries == [("fact.settled", "sam", "incidents.fact", str(world["fact"].pk))]
    assert response.context["ledger"]["questions"] == []
    assert response.context["ledger"]["withdrawn"] == [world["fact"]]


def test_it_asks_for_the_answer_when_answering_with_nothing(desk, world):
    with nothing_changes():
        response = desk.post(
            f"/desk/facts/{world['fact'].pk}/settle/", {"status": "answered", "text": ""}, **HTMX
        )
    assert response.status_code == 200
    assert "Write the answer." in response.content.decode()
    assert Fact.objects.get().status == "open"


def test_it_names_the_empty_ledger_text_without_javascript(desk, world):
    incident = world["incident"]
    with nothing_changes():
        response = desk.post(
            f"/desk/incidents/{incident.pk}/facts/", {"kind": "question", "subject": "cause"}
        )
    assert response.status_code == 200
    assert response.context["ledger_form"].errors["text"] == ["Write the fact or question."]


def test_it_prefills_the_record_for_editing(desk, world):
    form = desk.get(f"/desk/incidents/{world['incident'].pk}/edit/").context["form"]
    assert form["title"].value() == "Card payments are declined"


def test_it_saves_an_edited_record(desk, people):
    cards = make_component("Card payments")
    incident = make_incident(title="Payments slow", components={cards: "degraded_performance"})
    form = desk.get(f"/desk/incidents/{incident.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "impact": "critical",
            f"component_{cards.pk}": "major_outage",
            "started_at": "2025-02-01T08:30",
        }
    )
    with audited() as entries:
        response = desk.post(f"/desk/incidents/{incident.pk}/edit/", data)
    incident = Incident.objects.get(pk=incident.pk)
    assert response.status_code == 302
    assert entries[0] == ("incident.edited", "sam", "incidents.incident", str(incident.pk))
    assert incident.impact == "critical"
    assert incident.affected.get().status == "major_outage"


def test_it_escapes_a_script_in_a_title(desk):
    incident = make_incident(title="<script>alert(1)</script>")
    for url in ["/desk/", f"/desk/incidents/{incident.pk}/"]:
        page = desk.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_escapes_a_script_in_a_timeline_entry(desk, world):
    response = desk.post(
        f"/desk/incidents/{world['incident'].pk}/timeline/",
        {"kind": "note", "text": "<script>alert(1)</script>"},
        **HTMX,
    )
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_it_accepts_an_htmx_post_carrying_the_pages_csrf_token(people, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["comms"])
    incident = world["incident"]
    page = client.get(f"/desk/incidents/{incident.pk}/").content.decode()
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"(\w+)\"\}'", page).group(1)
    response = client.post(
        f"/desk/incidents/{incident.pk}/timeline/",
        {"kind": "note", "text": "Paged the team."},
        HTTP_X_CSRFTOKEN=token,
        **HTMX,
    )
    assert response.status_code == 200
    entry = TimelineEntry.objects.get(text="Paged the team.")
    assert (entry.incident, entry.author.username) == (incident, "sam")


def test_it_refuses_a_post_without_the_csrf_token(people, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["comms"])
    incident = world["incident"]
    client.get(f"/desk/incidents/{incident.pk}/")
    with nothing_changes():
        response = client.post(
            f"/desk/incidents/{incident.pk}/timeline/", {"kind": "note", "text": "x"}, **HTMX
        )
    assert response.status_code == 403
