"""Approval is a second pair of eyes: nobody approves words they wrote, and only approvers
choose who commands an incident (the commander approves text).

The probe this answers: a responder made themselves commander, then approved their own text.
"""

import pytest

from clearline.accounts.models import Organisation
from clearline.core.errors import PermissionDenied
from clearline.core.models import AuditEntry
from clearline.incidents import services as incidents
from clearline.incidents.models import Incident
from clearline.updates.models import Update
from clearline.updates.services import (
    approve_and_publish,
    approve_edited_update,
    approve_update,
    content_hash_of,
    draft_update,
    edit_update,
    publish_new_update,
)
from tests.factories import make_incident, make_user
from tests.unchanged import nothing_changes
from tests.updates.test_approval import CLEAN


@pytest.fixture
def incident(people):
    return make_incident(title="Card payments fail", published=False)


def approval_of(update):
    """What a refused approval must leave as it was."""
    stored = Update.objects.get(pk=update.pk)
    return (stored.state, stored.approved_hash, stored.approver_id, stored.body, stored.version)


def approve(update, by):
    return approve_update(update=update, by=by, content_hash=content_hash_of(update))


def test_a_responder_cannot_make_themselves_commander_and_approve_their_own_text(incident, people):
    sam = people["comms"]
    update = draft_update(incident=incident, by=sam, body=CLEAN)
    before, entries = approval_of(update), AuditEntry.objects.count()
    with (
        nothing_changes(),
        pytest.raises(PermissionDenied, match="Only an approver chooses the incident commander"),
    ):
        incidents.edit_incident(incident=incident, by=sam, commander=sam)
    assert Incident.objects.get(pk=incident.pk).commander_id is None
    with nothing_changes(), pytest.raises(PermissionDenied):
        approve(update, sam)
    assert approval_of(update) == before
    assert AuditEntry.objects.count() == entries


def test_a_commander_who_is_not_an_approver_cannot_approve_their_own_text(people):
    lee = make_user("lee", "responder")
    incident = make_incident(published=False, commander=lee, by=people["commander"])
    update = draft_update(incident=incident, by=lee, body=CLEAN)
    before, entries = approval_of(update), AuditEntry.objects.count()
    with nothing_changes(), pytest.raises(PermissionDenied, match="You wrote this text"):
        approve(update, lee)
    assert approval_of(update) == before and AuditEntry.objects.count() == entries
    # A colleague's text is still theirs to approve: they lead the incident.
    theirs = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    assert approve(theirs, lee).approver == lee


def test_an_approver_cannot_approve_their_own_text(incident, people):
    dana = people["commander"]
    update = draft_update(incident=incident, by=dana, body=CLEAN)
    before, entries = approval_of(update), AuditEntry.objects.count()
    with (
        nothing_changes(),
        pytest.raises(PermissionDenied, match="another approver must approve it"),
    ):
        approve(update, dana)
    with nothing_changes(), pytest.raises(PermissionDenied):
        approve_and_publish(update=update, by=dana, content_hash=content_hash_of(update))
    assert approval_of(update) == before and AuditEntry.objects.count() == entries
    assert approve(update, make_user("kim", "approver")).state == "approved"


def test_writing_and_publishing_in_one_step_needs_a_second_person(incident, people):
    entries = AuditEntry.objects.count()
    with nothing_changes(), pytest.raises(PermissionDenied, match="You wrote this text"):
        publish_new_update(incident=incident, by=people["commander"], body=CLEAN, approve=True)
    assert not Update.objects.exists() and AuditEntry.objects.count() == entries


def test_whoever_last_changed_the_text_cannot_approve_it(incident, people):
    """Editing someone's draft makes its words yours too."""
    dana = people["commander"]
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    update = edit_update(update=update, by=dana, version=update.version, body=CLEAN + " Sorry.")
    assert update.edited_by == dana
    before, entries = approval_of(update), AuditEntry.objects.count()
    with nothing_changes(), pytest.raises(PermissionDenied, match="You wrote this text"):
        approve(update, dana)
    assert approval_of(update) == before and AuditEntry.objects.count() == entries


def test_an_approver_changing_the_text_as_they_approve_is_refused_before_anything_is_saved(
    incident, people
):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    before, entries = approval_of(update), AuditEntry.objects.count()
    with nothing_changes(), pytest.raises(PermissionDenied) as refused:
        approve_edited_update(
            update=update,
            by=people["commander"],
            version=update.version,
            content_hash=content_hash_of(update),
            body=CLEAN + " We are sorry.",
        )
    assert refused.value.field == "body"
    assert approval_of(update) == before and AuditEntry.objects.count() == entries


def test_saving_a_draft_unchanged_does_not_make_you_its_writer(incident, people):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    edit_update(update=update, by=people["commander"], version=update.version, body=CLEAN)
    assert approve(update, people["commander"]).state == "approved"


def test_a_one_person_team_may_approve_its_own_text_and_the_audit_log_says_so(
    incident, people, one_person_team
):
    dana = people["commander"]
    update = publish_new_update(incident=incident, by=dana, body=CLEAN, approve=True)
    assert update.is_published and update.approver == dana
    entry = AuditEntry.objects.get(action="update.approved")
    assert entry.actor == dana and entry.changes["self_approved"] is True
    assert "self-approval is allowed" in entry.summary


def test_an_approval_by_a_second_person_is_not_marked_as_self_approval(
    incident, people, one_person_team
):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    approve(update, people["commander"])
    entry = AuditEntry.objects.get(action="update.approved")
    assert entry.changes["self_approved"] is False
    assert "self-approval" not in entry.summary


def test_the_self_approval_setting_does_not_let_a_responder_approve(
    incident, people, one_person_team
):
    update = draft_update(incident=incident, by=people["comms"], body=CLEAN)
    before = approval_of(update)
    with nothing_changes(), pytest.raises(PermissionDenied):
        approve(update, people["comms"])
    assert approval_of(update) == before


def test_self_approval_is_off_by_default(db):
    assert Organisation.current().allow_self_approval is False


def test_only_approvers_change_the_commander(incident, people):
    lee = make_user("lee", "responder")
    entries = AuditEntry.objects.count()
    for commander in (lee, people["commander"]):
        with nothing_changes(), pytest.raises(PermissionDenied):
            incidents.edit_incident(incident=incident, by=people["comms"], commander=commander)
    assert Incident.objects.get(pk=incident.pk).commander_id is None
    assert AuditEntry.objects.count() == entries
    incidents.edit_incident(incident=incident, by=people["commander"], commander=lee)
    assert Incident.objects.get(pk=incident.pk).commander == lee
    # Saving the record with the commander unchanged is no choice of commander.
    incidents.edit_incident(incident=incident, by=people["comms"], commander=lee, title="Cards")
    assert Incident.objects.get(pk=incident.pk).title == "Cards"


def test_opening_an_incident_a_responder_names_only_an_approver_as_commander(people):
    sam = people["comms"]
    entries, count = AuditEntry.objects.count(), Incident.objects.count()
    for commander in (sam, make_user("lee", "responder")):
        with nothing_changes(), pytest.raises(PermissionDenied):
            make_incident(published=False, by=sam, commander=commander)
    assert Incident.objects.count() == count and AuditEntry.objects.count() == entries
    assert make_incident(published=False, by=sam, commander=people["commander"]).commander_id
