"""The draft editor: checks as the writer types, approval of the text as read, and the override."""

import pytest

from clearline.accounts.selectors import display_name
from clearline.core.models import AuditEntry
from clearline.updates.models import Update
from clearline.updates.services import content_hash_of, draft_update, edit_update
from tests.factories import approve, make_incident, make_user
from tests.unchanged import nothing_changes

CLEAN = (
    "Card payments fail for all customers in the EU. Our payments team is investigating. "
    "Next update in 30 minutes."
)
STOCK = "Card payments fail for all customers in the EU. We apologize for any inconvenience."


@pytest.fixture
def incident(people):
    return make_incident(title="Card payments fail", published=False)


@pytest.fixture
def draft(incident, people):
    return draft_update(incident=incident, by=people["comms"], body=STOCK)


def editor(update):
    return f"/desk/updates/{update.pk}/edit/"


def form_data(update, action, **fields):
    return {
        "status": update.status,
        "body": update.body,
        "version": update.version,
        "content_hash": content_hash_of(update),
        "action": action,
        **fields,
    }


def test_the_editor_shows_the_checks_on_first_load_without_scripts(client, people, draft):
    client.force_login(people["comms"])
    page = client.get(editor(draft)).content.decode()
    assert 'data-rule="stock-apology"' in page
    assert 'data-rule="missing-next-update"' in page
    assert '<mark class="warning" title="CL112 stock-apology"' in page
    assert 'When do I hear more?</dt><dd><span class="missing">not found</span>' in page
    assert 'hx-trigger="input changed delay:300ms"' in page


def test_the_live_check_returns_the_findings_for_the_typed_text(client, people, incident):
    client.force_login(people["comms"])
    response = client.post(
        f"/desk/incidents/{incident.pk}/checks/", {"body": STOCK, "status": "investigating"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<section id="checks"' in page
    assert "<html" not in page
    assert 'data-rule="stock-apology"' in page and 'data-rule="missing-next-update"' in page
    assert 'data-errors="1"' in page


def test_the_live_check_escapes_the_writer_s_text(client, people, incident):
    client.force_login(people["comms"])
    typed = "<script>alert(1)</script> We apologize for any inconvenience."
    page = client.post(f"/desk/incidents/{incident.pk}/checks/", {"body": typed}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark" in page


def test_a_viewer_gets_no_live_checks(client, people, incident):
    client.force_login(people["support"])
    with nothing_changes():
        response = client.post(f"/desk/incidents/{incident.pk}/checks/", {"body": STOCK})
    assert response.status_code == 403


def test_publishing_an_unapproved_draft_is_refused_with_a_clear_message(client, people, draft):
    client.force_login(people["comms"])
    with nothing_changes():
        response = client.post(editor(draft), form_data(draft, "publish"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "This update is not approved yet." in page
    assert STOCK in page
    assert Update.objects.get(pk=draft.pk).state == "draft"


def test_a_responder_sees_no_approve_button_and_cannot_approve(client, people, draft):
    """Not even on a colleague's text (sam wrote it): the button is for approvers."""
    client.force_login(make_user("lee", "responder"))
    page = client.get(editor(draft)).content.decode()
    assert 'value="approve"' not in page and 'value="approve-publish"' not in page
    with nothing_changes():
        response = client.post(editor(draft), form_data(draft, "approve", override_reason="Fine."))
    assert response.status_code == 403
    assert Update.objects.get(pk=draft.pk).approved_hash == ""


def test_an_override_without_a_reason_is_refused_and_names_the_error(client, people, draft):
    client.force_login(people["commander"])
    response = client.post(editor(draft), form_data(draft, "approve"))
    errors = response.context["form"].errors["override_reason"]
    assert "CL104 missing-next-update" in errors[0]
    assert Update.objects.get(pk=draft.pk).state == "draft"


def test_the_commander_approves_with_an_override_and_the_editor_says_so(client, people, draft):
    client.force_login(people["commander"])
    reason = "Status banner carries the time."
    response = client.post(
        editor(draft), form_data(draft, "approve", override_reason=reason), follow=True
    )
    page = response.content.decode()
    assert f"Approved by {display_name(people['commander'])}" in page
    assert "overriding CL104" in page and reason in page
    assert AuditEntry.objects.get(action="update.approved").changes["override_reason"] == reason


def test_the_comms_owner_publishes_what_the_commander_approved(client, people, incident):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    approve(update, by=people["commander"])
    client.force_login(people["comms"])
    response = client.post(editor(update), form_data(update, "publish"))
    assert response.status_code == 302
    assert Update.objects.get(pk=update.pk).is_published


def test_an_edit_after_approval_is_not_published_without_a_new_approval(client, people, incident):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    approve(update, by=people["commander"])
    client.force_login(people["comms"])
    changed = CLEAN + " We are sorry."
    response = client.post(editor(update), form_data(update, "publish", body=changed))
    page = response.content.decode()
    assert "This update is not approved yet." in page
    assert changed in page
    stored = Update.objects.get(pk=update.pk)
    assert (stored.state, stored.body) == ("approved", CLEAN)
    client.post(editor(update), form_data(update, "draft", body=changed))
    stored = Update.objects.get(pk=update.pk)
    assert (stored.state, stored.approved_hash) == ("draft", "")
    assert "Not approved yet." in client.get(editor(update)).content.decode()


def test_approving_text_someone_else_changed_is_a_conflict_that_keeps_both(
    client, people, incident
):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    seen = form_data(update, "approve")
    edit_update(update=update, by=people["comms"], version=update.version, body="Their words.")
    client.force_login(people["commander"])
    page = client.post(editor(update), seen).content.decode()
    assert "The text changed since you read it." in page
    assert "Their words." in page and CLEAN in page
    assert Update.objects.get(pk=update.pk).state == "draft"


def test_two_people_editing_the_second_gets_the_conflict_and_keeps_their_text(
    client, people, incident
):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    loaded = form_data(update, "draft")
    client.force_login(people["commander"])
    client.post(editor(update), {**loaded, "body": "The commander's words."})
    client.force_login(people["comms"])
    page = client.post(editor(update), {**loaded, "body": "The comms owner's words."})
    page = page.content.decode()
    assert "Someone else changed this draft while you were editing." in page
    assert "The comms owner&#x27;s words." in page and "The commander&#x27;s words." in page
    assert Update.objects.get(pk=update.pk).body == "The commander's words."


def test_an_approver_approves_and_publishes_in_one_step(client, people, incident):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    client.force_login(people["commander"])
    response = client.post(editor(update), form_data(update, "approve-publish"))
    assert response.status_code == 302
    stored = Update.objects.get(pk=update.pk)
    assert stored.is_published and stored.approver == people["commander"]


def test_a_responder_leading_the_incident_may_approve(client, people):
    lead = make_user("lee", "responder")
    incident = make_incident(published=False, commander=lead)
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    client.force_login(lead)
    assert 'value="approve"' in client.get(editor(update)).content.decode()
    client.post(editor(update), form_data(update, "approve"))
    assert Update.objects.get(pk=update.pk).approver == lead


def test_the_incident_page_shows_who_approved_and_the_override(client, people, draft):
    approve(draft, by=people["commander"], reason="Banner carries the time.")
    client.force_login(people["support"])
    page = client.get(f"/desk/incidents/{draft.incident_id}/").content.decode()
    assert f"approved by {display_name(people['commander'])}" in page
    assert "override: CL104" in page and 'title="Banner carries the time."' in page


def test_the_live_check_holds_the_text_to_the_next_update_time_in_the_form(
    client, people, incident
):
    client.force_login(people["comms"])
    text = CLEAN.replace("Next update in 30 minutes.", "Next update by 10:30 UTC.")
    url = f"/desk/incidents/{incident.pk}/checks/"
    typed = {"body": text, "status": "investigating"}
    page = client.post(url, {**typed, "next_update_due": "2031-03-03T10:03"}).content.decode()
    assert 'data-rule="next-update-mismatch"' in page
    page = client.post(url, {**typed, "next_update_due": "2031-03-03T10:30"}).content.decode()
    assert 'data-rule="next-update-mismatch"' not in page
    # A time still being typed is no time yet: nothing to compare.
    page = client.post(url, {**typed, "next_update_due": "2031-03-"}).content.decode()
    assert 'data-rule="next-update-mismatch"' not in page


def test_the_editor_checks_again_when_the_next_update_time_changes(client, people, incident):
    client.force_login(people["comms"])
    page = client.get(f"/desk/incidents/{incident.pk}/updates/new/").content.decode()
    start = page.index('<input type="datetime-local"')
    picker = page[start : page.index(">", start)]
    assert 'name="next_update_due"' in picker
    assert 'hx-trigger="change"' in picker and "/checks/" in picker
