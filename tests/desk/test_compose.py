"""A comms owner composes an update from its facts, previews it and drafts it into the editor."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.updates.models import Update
from tests.factories import make_incident, make_user
from tests.unchanged import nothing_changes

FIRST = {
    "symptom": "Card payments fail at checkout",
    "who": "customers in the EU region",
    "still_works": "Bank transfers still work.",
    "lead": "Dana Reyes",
    "action": "You can pay by bank transfer in the meantime.",
    "next_update_minutes": "30",
}


def local(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")  # the organisation's zone is UTC here


def address(incident, kind="first", preview=False) -> str:
    return f"/desk/incidents/{incident.pk}/compose/{kind}/" + ("preview/" if preview else "")


@pytest.fixture
def incident(people):
    commander = make_user("dana-reyes", "approver")
    commander.first_name, commander.last_name = "Dana", "Reyes"
    commander.save()
    return make_incident(
        title="Card payments fail",
        published=False,
        impact="major",
        by=people["comms"],
        commander=commander,
        still_works="Bank transfers still work.",
        segments=[("region", "EU")],
    )


def first_update(incident, **changes) -> dict:
    return {**FIRST, "started_at": local(incident.started_at), **changes}


def test_it_starts_the_first_update_from_the_incident_record(desk, incident):
    form = desk.get(address(incident)).context["form"]
    assert form["who"].value() == "customers in the EU region"
    assert form["still_works"].value() == "Bank transfers still work."
    assert form["lead"].value() == "Dana Reyes"
    assert local(form["started_at"].value()) == local(incident.started_at)
    assert form["next_update_minutes"].value() == 30  # the cadence for a major incident


def test_it_previews_the_text_without_javascript(desk, incident):
    response = desk.post(address(incident), {**first_update(incident), "intent": "preview"})
    page = response.content.decode()
    assert "Card payments fail at checkout." in page
    assert "This affects customers in the EU region." in page
    assert "No findings: the checks have nothing to add." in page
    assert not Update.objects.exists()


def test_it_previews_the_text_as_the_writer_types(desk, incident):
    response = desk.post(address(incident, preview=True), first_update(incident))
    fragment = response.content.decode()
    assert "Card payments fail at checkout." in fragment
    assert "<html" not in fragment
    assert "Promises the next update by" in fragment


def test_the_preview_says_what_is_missing_instead_of_a_text(desk, incident):
    response = desk.post(address(incident, preview=True), first_update(incident, symptom=""))
    fragment = response.content.decode()
    assert "<strong>What customers experience</strong>: Say what customers experience." in fragment


def test_the_preview_escapes_what_the_writer_typed(desk, incident):
    typed = first_update(incident, symptom='<script>alert("x")</script> Exports fail')
    fragment = desk.post(address(incident, preview=True), typed).content.decode()
    assert "<script>alert" not in fragment
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Exports fail" in fragment


def test_the_preview_shows_what_the_checks_find(desk, incident):
    typed = first_update(incident, symptom="We are seeing degraded performance")
    fragment = desk.post(address(incident, preview=True), typed).content.decode()
    assert 'data-rule="missing-symptom"' in fragment
    assert "No sentence says what customers experienced" in fragment


def test_draft_it_puts_the_composed_text_in_the_editor(desk, incident):
    before = timezone.now()
    response = desk.post(address(incident), {**first_update(incident), "intent": "draft"})
    update = Update.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/updates/{update.pk}/edit/"
    assert (update.state, update.status) == ("draft", "investigating")
    assert before + timedelta(minutes=25) < update.next_update_due <= before + timedelta(minutes=30)
    editor = desk.get(response["Location"]).content.decode()
    assert "Card payments fail at checkout." in editor
    assert "Dana Reyes is leading the response." in editor


def test_draft_it_drafts_a_progress_update_with_its_status(desk, incident):
    desk.post(address(incident), {**first_update(incident), "intent": "draft"})
    data = {
        "news": "We undid a settings change made this morning",
        "status": "monitoring",
        "symptom": "A few card payments still fail",
        "who": "",
        "next_update_minutes": "60",
        "intent": "draft",
    }
    desk.post(address(incident, "progress"), data)
    update = Update.objects.order_by("-id").first()
    assert update.status == "monitoring"
    assert "We undid a settings change made this morning." in update.body
    assert re.search(r"still (confirming|working out) (who|which customers)", update.body)


def test_draft_it_drafts_the_resolution(desk, incident):
    fixed = timezone.now() - timedelta(minutes=5)
    data = {
        "symptom": "Card payments failed at checkout",
        "started_at": local(incident.started_at),
        "fixed_at": local(fixed),
        "who": "customers in the EU region",
        "verification": "we repeated failed payments with test cards",
        "safe": "No card details were exposed",
        "action": "",
        "report_by": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    desk.post(address(incident, "resolution"), {**data, "intent": "draft"})
    update = Update.objects.get()
    assert (update.status, update.next_update_due) == ("resolved", None)
    assert "we repeated failed payments with test cards" in update.body


def test_it_names_a_missing_field_and_keeps_what_was_typed(desk, incident):
    typed = {**first_update(incident, symptom=""), "intent": "draft"}
    response = desk.post(address(incident), typed)
    page = response.content.decode()
    assert response.context["form"].errors["symptom"] == ["Say what customers experience."]
    assert "You can pay by bank transfer in the meantime." in page
    assert "Please fix the fields marked below" in page
    assert not Update.objects.exists()


def test_it_refuses_a_next_update_too_close(desk, incident):
    response = desk.post(
        address(incident), {**first_update(incident, next_update_minutes="2"), "intent": "draft"}
    )
    assert response.context["form"].errors["next_update_minutes"] == [
        "Promise the next update in at least 5 minutes."
    ]
    assert not Update.objects.exists()


def test_it_refuses_a_fix_before_the_start(desk, incident):
    data = {
        "symptom": "Card payments failed",
        "started_at": local(incident.started_at),
        "fixed_at": local(incident.started_at - timedelta(hours=1)),
        "verification": "we repeated failed payments",
        "intent": "draft",
    }
    response = desk.post(address(incident, "resolution"), data)
    assert response.context["form"].errors["fixed_at"] == ["It cannot be fixed before it started."]
    assert not Update.objects.exists()


def test_it_refuses_a_progress_update_that_claims_to_be_resolved(desk, incident):
    data = {"news": "Fixed", "status": "resolved", "symptom": "Payments work", "intent": "draft"}
    response = desk.post(address(incident, "progress"), {**data, "next_update_minutes": "30"})
    assert response.context["form"].errors["status"] == [
        "Choose investigating, identified or monitoring."
    ]


def test_an_unknown_kind_is_not_found(desk, incident):
    assert desk.get(address(incident, "apology")).status_code == 404


@pytest.mark.parametrize("person", ["support", "outsider"])
def test_people_who_cannot_write_updates_are_refused(client, people, incident, person):
    client.force_login(people[person])
    assert client.get(address(incident)).status_code == 403
    draft = {**first_update(incident), "intent": "draft"}
    with nothing_changes():
        preview = client.post(address(incident, preview=True), first_update(incident))
        drafted = client.post(address(incident), draft)
    assert (preview.status_code, drafted.status_code) == (403, 403)
    assert not Update.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in(client, incident):
    response = client.get(address(incident))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_incident_page_offers_to_compose(desk, incident):
    page = desk.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert f'href="{address(incident)}">Compose the first update' in page
    assert f'href="{address(incident, "resolution")}">Compose the resolution' in page


def test_the_incident_page_offers_a_progress_update_once_one_is_out(desk, people):
    incident = make_incident(by=people["comms"])
    page = desk.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert f'href="{address(incident, "progress")}">Compose an update' in page


def test_a_viewer_is_not_offered_to_compose(client, people, incident):
    client.force_login(people["support"])
    page = client.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert "Compose" not in page
