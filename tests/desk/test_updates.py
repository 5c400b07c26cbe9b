"""Writing, editing and publishing updates from the desk, and what customers then see."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from clearline.core.models import OutboxEvent
from clearline.updates.models import Update
from clearline.updates.services import edit_update, publish_update
from tests.factories import approve, make_incident, make_user
from tests.unchanged import nothing_changes

WRITE = {"status": "identified", "audience": "public", "action": "approve-publish"}
TEXT = (
    "Card payments fail for all customers because a certificate expired. "
    "Next update within 30 minutes."
)
FIXED = (
    "Card payments work again. We checked the fix by repeating a test payment, and error "
    "rates are back to normal. No card was charged twice."
)


def due_in(minutes):
    return (timezone.now() + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def test_it_offers_the_next_update_time_from_the_cadence_for_the_impact(desk):
    incident = make_incident(published=False, impact="major")
    form = desk.get(f"/desk/incidents/{incident.pk}/updates/new/").context["form"]
    offered = form["next_update_due"].initial
    assert timedelta(minutes=29) < offered - timezone.now() <= timedelta(minutes=30)


def test_it_publishes_an_update_that_customers_then_see(client, people, committed, one_person_team):
    """In a team of one, the commander writes, approves and publishes in one step."""
    client.force_login(people["commander"])
    incident = make_incident(title="Card payments fail", published=False)
    assert "Card payments fail" not in client.get("/").content.decode()
    with committed():
        response = client.post(
            f"/desk/incidents/{incident.pk}/updates/new/",
            {**WRITE, "body": TEXT, "next_update_due": due_in(30)},
        )
    assert response.status_code == 302
    assert TEXT in client.get("/").content.decode()
    assert Update.objects.get().approver == people["commander"]


def test_it_saves_a_draft_that_customers_do_not_see(desk, client, committed):
    incident = make_incident(title="Card payments fail", published=False)
    with committed():
        desk.post(
            f"/desk/incidents/{incident.pk}/updates/new/",
            {**WRITE, "action": "draft", "body": TEXT, "next_update_due": due_in(30)},
        )
    assert Update.objects.get().state == "draft"
    assert TEXT not in client.get("/").content.decode()


def test_it_marks_drafts_and_internal_updates_in_the_list(desk):
    incident = make_incident(published=False)
    desk.post(
        f"/desk/incidents/{incident.pk}/updates/new/",
        {**WRITE, "audience": "internal", "action": "draft", "body": "For the team only."},
    )
    page = desk.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert '<span class="badge state-draft">Draft</span>' in page
    assert '<span class="badge audience-internal">Internal</span>' in page


def test_it_names_the_empty_text_and_keeps_the_promised_time(desk):
    incident = make_incident(published=False)
    due = due_in(45)
    response = desk.post(
        f"/desk/incidents/{incident.pk}/updates/new/", {**WRITE, "body": "", "next_update_due": due}
    )
    assert response.context["form"].errors["body"] == ["Write the update text."]
    assert f'value="{due}"' in response.content.decode()
    assert not Update.objects.exists()


def test_it_refuses_a_next_update_time_in_the_past(desk):
    incident = make_incident(published=False)
    response = desk.post(
        f"/desk/incidents/{incident.pk}/updates/new/",
        {**WRITE, "body": TEXT, "next_update_due": due_in(-10)},
    )
    assert response.context["form"].errors["next_update_due"] == ["Pick a time in the future."]
    assert TEXT in response.content.decode()


def test_it_publishes_an_edited_draft(client, people, world, one_person_team):
    client.force_login(people["commander"])
    draft = world["update"]
    response = client.post(
        f"/desk/updates/{draft.pk}/edit/",
        {**WRITE, "body": TEXT, "version": draft.version, "next_update_due": due_in(30)},
    )
    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.state, draft.body) == ("published", TEXT)


def test_it_reports_a_conflict_and_keeps_the_text_of_a_stale_edit(desk, world, people):
    draft = world["update"]
    edit_update(update=draft, by=people["commander"], version=draft.version, body="Their words.")
    response = desk.post(
        f"/desk/updates/{draft.pk}/edit/",
        {**WRITE, "action": "draft", "body": TEXT, "version": draft.version},
    )
    page = response.content.decode()
    assert "Someone else changed this draft while you were editing." in page
    assert TEXT in page
    assert "Their words." in page
    assert Update.objects.get(pk=draft.pk).body == "Their words."


def test_it_saves_after_the_conflict_once_the_editor_has_seen_it(desk, world, people):
    draft = world["update"]
    edit_update(update=draft, by=people["commander"], version=draft.version, body="Their words.")
    data = {**WRITE, "action": "draft", "body": TEXT, "version": draft.version}
    form = desk.post(f"/desk/updates/{draft.pk}/edit/", data).context["form"]
    desk.post(f"/desk/updates/{draft.pk}/edit/", {**data, "version": form["version"].value()})
    assert Update.objects.get(pk=draft.pk).body == TEXT


def test_it_sends_an_editor_of_a_published_update_back_to_the_incident(desk, world):
    incident = make_incident(title="Exports fail")
    update = incident.updates.get()
    response = desk.get(f"/desk/updates/{update.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/desk/incidents/{incident.pk}/"
    assert "That update is published; write a new one instead." in response.content.decode()


def test_it_keeps_the_text_when_the_draft_was_published_meanwhile(desk, world, people):
    draft = world["update"]
    approve(draft, by=people["commander"])
    publish_update(update=draft, by=people["commander"])
    response = desk.post(
        f"/desk/updates/{draft.pk}/edit/",
        {**WRITE, "action": "draft", "body": TEXT, "version": 2},
    )
    page = response.content.decode()
    assert "A published update cannot be edited; write a new one." in page
    assert TEXT in page


def test_it_resolves_the_incident(world, client, people, committed, one_person_team):
    client.force_login(people["commander"])
    incident = world["incident"]
    with committed():
        client.post(
            f"/desk/incidents/{incident.pk}/resolve/",
            {"audience": "public", "action": "approve-publish", "body": FIXED},
        )
    incident.refresh_from_db()
    assert incident.status == "resolved"
    assert incident.resolved_at is not None


def test_it_refuses_to_publish_for_someone_who_may_only_draft(client, world):
    drafter = make_user("robin", None)
    drafter.user_permissions.set(
        Permission.objects.filter(codename__in=["view_incident", "add_update"])
    )
    client.force_login(drafter)
    incident = world["incident"]
    before = Update.objects.count()
    with nothing_changes():
        response = client.post(
            f"/desk/incidents/{incident.pk}/updates/new/", {**WRITE, "body": TEXT}
        )
    assert response.status_code == 403
    assert Update.objects.count() == before


def test_it_escapes_a_script_in_an_update_body(desk, world):
    incident = world["incident"]
    desk.post(
        f"/desk/incidents/{incident.pk}/updates/new/",
        {**WRITE, "action": "draft", "body": "<script>alert(1)</script>"},
    )
    page = desk.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_notify_box_is_offered_ticked_on_a_public_incident_only(desk):
    public = make_incident(title="Card payments fail", published=False)
    drill = make_incident(title="Payments drill", published=False, is_drill=True)
    page = desk.get(f"/desk/incidents/{public.pk}/updates/new/").content.decode()
    assert 'name="notify"' in page and "Notify subscribers" in page
    box = page.split('name="notify"')[1].split(">")[0]
    assert "checked" in box
    drill_page = desk.get(f"/desk/incidents/{drill.pk}/updates/new/").content.decode()
    assert 'name="notify"' not in drill_page


def test_publishing_with_the_notify_box_cleared_tells_no_one(client, people, one_person_team):
    client.force_login(people["commander"])
    incident = make_incident(title="Card payments fail", published=False)
    address = f"/desk/incidents/{incident.pk}/updates/new/"
    client.post(address, {**WRITE, "body": TEXT, "next_update_due": due_in(30)})
    client.post(address, {**WRITE, "body": FIXED, "status": "resolved", "notify": "on"})
    events = OutboxEvent.objects.filter(kind="update.published").order_by("pk")
    bodies = dict(Update.objects.values_list("pk", "body"))
    assert [(bodies[e.update_id], e.notify) for e in events] == [(TEXT, False), (FIXED, True)]
