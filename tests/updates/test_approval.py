"""An approval covers one exact text; check errors pass only with an approver's written reason."""

import pytest

from clearline.accounts.models import Organisation
from clearline.accounts.services import change_check_settings
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.core.models import AuditEntry
from clearline.core.permissions import SYSTEM
from clearline.updates.models import Update
from clearline.updates.services import (
    Refused,
    approval_holds,
    approve_and_publish,
    approve_update,
    content_hash_of,
    draft_update,
    edit_update,
    publish_edited_update,
    publish_new_update,
    publish_update,
)
from tests.factories import make_incident, make_user
from tests.unchanged import nothing_changes

CLEAN = (
    "Card payments fail for all customers in the EU. Our payments team is investigating. "
    "Next update in 30 minutes."
)
NO_PROMISE = "Card payments fail for all customers in the EU. We apologize for any inconvenience."


@pytest.fixture
def incident(people):
    return make_incident(title="Card payments fail", published=False)


@pytest.fixture
def draft(incident, people):
    return draft_update(incident=incident, by=people["comms"], body=CLEAN)


def approved(update, by, reason=""):
    return approve_update(
        update=update, by=by, content_hash=content_hash_of(update), override_reason=reason
    )


def test_an_approver_approves_the_text_they_read_and_the_comms_owner_publishes_it(draft, people):
    approved(draft, people["commander"])
    published = publish_update(update=draft, by=people["comms"])
    assert published.is_published
    entry = AuditEntry.objects.get(action="update.approved")
    assert entry.actor == people["commander"]
    assert entry.changes["content_hash"] == content_hash_of(draft)
    assert entry.changes["override_reason"] == ""


def test_a_draft_nobody_approved_is_not_published(draft, people):
    with pytest.raises(Refused, match="not approved yet") as refused:
        publish_update(update=draft, by=people["commander"])
    assert refused.value.status == 409
    assert Update.objects.get(pk=draft.pk).state == "draft"


def test_an_edit_after_approval_cannot_be_published_without_a_new_approval(draft, people):
    approved(draft, people["commander"])
    edited = edit_update(
        update=draft, by=people["comms"], version=draft.version, body=CLEAN + " Thanks."
    )
    assert (edited.state, edited.approved_hash, edited.approver) == ("draft", "", None)
    with pytest.raises(Refused, match="not approved yet"):
        publish_update(update=edited, by=people["comms"])


def test_saving_the_same_text_again_keeps_the_approval(draft, people):
    approved(draft, people["commander"])
    saved = edit_update(update=draft, by=people["comms"], version=draft.version, body=CLEAN)
    assert saved.state == "approved" and approval_holds(saved)


def test_text_changed_behind_the_approval_is_refused_at_publish(draft, people):
    approved(draft, people["commander"])
    Update.objects.filter(pk=draft.pk).update(body="Changed without the editor.")
    with pytest.raises(Refused, match="changed since it was approved") as refused:
        publish_update(update=draft, by=people["comms"])
    assert refused.value.status == 409


def test_approving_with_a_stale_hash_is_a_conflict(draft, people):
    read = content_hash_of(draft)
    edit_update(update=draft, by=people["comms"], version=draft.version, body=CLEAN + " More.")
    with pytest.raises(Conflict, match="The text changed since you read it"):
        approve_update(update=draft, by=people["commander"], content_hash=read)
    assert Update.objects.get(pk=draft.pk).state == "draft"
    assert not AuditEntry.objects.filter(action="update.approved").exists()


def test_a_responder_cannot_approve(draft, people):
    """Not even a colleague's text (sam wrote it): approving is for approvers."""
    lee = make_user("lee", "responder")
    with nothing_changes(), pytest.raises(PermissionDenied):
        approved(draft, lee)
    assert Update.objects.get(pk=draft.pk).approved_hash == ""


def test_the_incident_commander_approves_without_the_approver_role(people):
    lead = make_user("lee", "responder")
    incident = make_incident(published=False, commander=lead)
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    assert approved(update, lead).approver == lead


def test_errors_are_not_approved_without_a_written_reason(incident, people):
    update = draft_update(incident=incident, by=people["comms"], body=NO_PROMISE)
    with pytest.raises(Refused, match="CL104 missing-next-update") as refused:
        approved(update, people["commander"], reason="   ")
    assert refused.value.field == "override_reason"
    assert [f.code for f in refused.value.errors] == ["CL104"]
    assert Update.objects.get(pk=update.pk).state == "draft"


def test_an_override_with_a_reason_is_recorded_and_lets_the_text_out(incident, people):
    update = draft_update(incident=incident, by=people["comms"], body=NO_PROMISE)
    reason = "The time is on the status page banner; the text goes out now."
    approved(update, people["commander"], reason=reason)
    publish_update(update=update, by=people["comms"])
    update.refresh_from_db()
    assert (update.override_reason, update.overridden_codes) == (reason, ["CL104"])
    approval = AuditEntry.objects.get(action="update.approved")
    assert approval.changes["override_reason"] == reason
    assert approval.changes["overridden_codes"] == ["CL104"]
    assert "overriding CL104" in approval.summary
    published = AuditEntry.objects.get(action="update.published")
    assert published.changes["override_reason"] == reason


def test_an_error_found_after_the_approval_blocks_the_publish(draft, people):
    approved(draft, people["commander"])
    # The organisation makes a missing "what still works" an error after the approval.
    change_check_settings(
        org=Organisation.current(), by=people["admin"], check_severities={"CL103": "error"}
    )
    with pytest.raises(Refused, match="CL103 missing-still-works") as refused:
        publish_update(update=draft, by=people["comms"])
    assert refused.value.status == 422
    assert Update.objects.get(pk=draft.pk).state == "approved"


def test_an_approver_approves_and_publishes_a_colleague_s_draft_in_one_step(incident, people):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    approve_and_publish(update=update, by=people["commander"], content_hash=content_hash_of(update))
    update.refresh_from_db()
    assert update.is_published and update.approver == people["commander"]


def test_a_responder_cannot_approve_and_publish(draft, people):
    lee = make_user("lee", "responder")
    with nothing_changes(), pytest.raises(PermissionDenied):
        approve_and_publish(update=draft, by=lee, content_hash=content_hash_of(draft))
    assert not Update.objects.filter(state="published").exists()


def test_a_new_update_is_published_in_one_step_only_with_an_approval(
    incident, people, one_person_team
):
    with pytest.raises(Refused, match="not approved yet"):
        publish_new_update(incident=incident, by=people["comms"], body=CLEAN)
    assert not Update.objects.exists()
    update = publish_new_update(incident=incident, by=people["commander"], body=CLEAN, approve=True)
    assert update.is_published and update.approver == people["commander"]


def test_an_edited_draft_is_published_only_if_the_edit_keeps_the_approved_text(draft, people):
    approved(draft, people["commander"])
    with pytest.raises(Refused):
        publish_edited_update(
            update=draft, by=people["comms"], version=draft.version, body="New words."
        )
    assert Update.objects.get(pk=draft.pk).body == CLEAN
    published = publish_edited_update(
        update=draft, by=people["comms"], version=draft.version, body=CLEAN
    )
    assert published.is_published


def test_clearline_itself_publishes_without_an_approval(draft):
    assert publish_update(update=draft, by=SYSTEM).is_published


def test_an_internal_note_needs_no_approval(incident, people):
    note = draft_update(
        incident=incident, by=people["comms"], body="Paged the database team.", audience="internal"
    )
    assert publish_update(update=note, by=people["comms"]).is_published


def test_a_published_update_is_not_approved_again(draft, people):
    approved(draft, people["commander"])
    publish_update(update=draft, by=people["comms"])
    with pytest.raises(ClearlineError, match="already published"):
        approved(draft, people["commander"])


def test_line_breaks_from_a_browser_are_stored_as_plain_newlines(incident, people):
    body = "Card payments fail for all customers.\r\n\r\nNext update in 30 minutes."
    update = draft_update(incident=incident, by=people["comms"], body=body)
    assert update.body == "Card payments fail for all customers.\n\nNext update in 30 minutes."
    edited = edit_update(
        update=update, by=people["comms"], version=update.version, body="One.\r\nTwo.\rThree."
    )
    assert edited.body == "One.\nTwo.\nThree."
