"""The desk offers Approve only to someone who may use it, and says why not to the writer."""

import pytest

from clearline.core.models import AuditEntry
from clearline.incidents.models import Incident
from clearline.updates.models import Update
from clearline.updates.services import draft_update
from tests.desk.test_approval import CLEAN, editor, form_data
from tests.factories import make_incident, make_user
from tests.unchanged import audited, nothing_changes
from tests.updates.test_second_pair import approval_of

OWN_TEXT = "You wrote this text; another approver must approve it."


@pytest.fixture
def incident(people):
    return make_incident(title="Card payments fail", published=False)


def test_the_writer_is_told_why_there_is_no_approve_button(client, people, incident):
    update = draft_update(incident=incident, by=people["commander"], body=CLEAN)
    client.force_login(people["commander"])
    page = client.get(editor(update)).content.decode()
    assert OWN_TEXT in page
    assert 'value="approve"' not in page and 'value="approve-publish"' not in page
    before, entries = approval_of(update), AuditEntry.objects.count()
    for action in ("approve", "approve-publish"):
        with nothing_changes():
            response = client.post(editor(update), form_data(update, action))
        assert response.status_code == 403
    assert approval_of(update) == before and AuditEntry.objects.count() == entries


def test_a_new_text_offers_no_approve_and_publish_to_its_writer(client, people, incident):
    client.force_login(people["commander"])
    page = client.get(f"/desk/incidents/{incident.pk}/updates/new/").content.decode()
    assert 'value="approve-publish"' not in page
    assert "another approver must approve it" in page


def test_another_approver_sees_the_button_and_approves(client, people, incident):
    update = draft_update(incident=incident, by=people["commander"], body=CLEAN)
    client.force_login(make_user("kim", "approver"))
    page = client.get(editor(update)).content.decode()
    assert 'value="approve"' in page and OWN_TEXT not in page
    with audited() as entries:
        response = client.post(editor(update), form_data(update, "approve"))
    assert response.status_code == 302
    stored = Update.objects.get(pk=update.pk)
    assert (stored.state, stored.approver.username, stored.author.username) == (
        "approved",
        "kim",
        "dana",
    )
    assert entries == [("update.approved", "kim", "updates.update", str(update.pk))]


def test_an_approver_who_changes_the_text_keeps_it_and_is_told_to_ask_another(
    client, people, incident
):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    client.force_login(people["commander"])
    before, entries = approval_of(update), AuditEntry.objects.count()
    changed = CLEAN + " We are sorry."
    with nothing_changes():
        response = client.post(editor(update), form_data(update, "approve", body=changed))
    assert response.status_code == 403
    page = response.content.decode()
    assert OWN_TEXT in page and changed in page  # their words are still on the form
    assert approval_of(update) == before and AuditEntry.objects.count() == entries


def test_a_one_person_team_gets_the_button_for_its_own_text(
    client, people, incident, one_person_team
):
    update = draft_update(incident=incident, by=people["commander"], body=CLEAN)
    client.force_login(people["commander"])
    assert 'value="approve"' in client.get(editor(update)).content.decode()
    client.post(editor(update), form_data(update, "approve-publish"))
    assert Update.objects.get(pk=update.pk).is_published
    assert AuditEntry.objects.get(action="update.approved").changes["self_approved"] is True


def test_a_responder_cannot_change_the_commander_from_the_incident_form(client, people, incident):
    client.force_login(people["comms"])
    page = client.get(f"/desk/incidents/{incident.pk}/edit/").content.decode()
    assert "Only an approver chooses the commander" in page
    response = client.post(
        f"/desk/incidents/{incident.pk}/edit/",
        {
            "title": "Card payments fail",
            "impact": "minor",
            "visibility": "public",
            "started_at": incident.started_at.strftime("%Y-%m-%dT%H:%M"),
            "commander": people["comms"].pk,
        },
    )
    assert response.status_code == 302  # the rest of the record saves; the commander does not
    assert Incident.objects.get(pk=incident.pk).commander_id is None


def test_the_admin_shows_the_commander_read_only_to_staff_who_are_not_approvers(
    client, people, incident
):
    lee = make_user("lee", "responder")
    lee.is_staff = True
    lee.save()
    client.force_login(lee)
    page = client.get(f"/admin/incidents/incident/{incident.pk}/change/").content.decode()
    assert 'name="title"' in page and 'name="commander"' not in page
    client.force_login(people["admin"])
    page = client.get(f"/admin/incidents/incident/{incident.pk}/change/").content.decode()
    assert 'name="commander"' in page
