"""The API refuses approving one's own text, and a responder choosing the commander, with 403."""

from clearline.core.models import AuditEntry
from clearline.incidents.models import Incident
from clearline.updates.models import Update
from clearline.updates.services import content_hash_of, draft_update
from tests.factories import make_incident
from tests.unchanged import audited, nothing_changes
from tests.updates.test_second_pair import CLEAN


def test_approving_your_own_text_answers_403_and_changes_nothing(api_as, people):
    incident = make_incident(published=False)
    update = draft_update(incident=incident, by=people["commander"], body=CLEAN)
    dana = api_as("commander")
    entries = AuditEntry.objects.count()
    with nothing_changes():
        response = dana.post(
            f"/api/updates/{update.public_id}/approve", {"content_hash": content_hash_of(update)}
        )
    assert response.status_code == 403
    assert response.data["detail"] == "You wrote this text; another approver must approve it."
    stored = Update.objects.get(pk=update.pk)
    assert (stored.state, stored.approved_hash, stored.approver_id) == ("draft", "", None)
    assert AuditEntry.objects.count() == entries


def test_a_responder_cannot_make_themselves_commander(api_as, people):
    incident = make_incident(published=False)
    sam = api_as("comms")
    entries = AuditEntry.objects.count()
    with nothing_changes():
        response = sam.patch(f"/api/incidents/{incident.public_id}", {"commander": "sam"})
    assert response.status_code == 403
    assert response.data["detail"] == (
        "Only an approver chooses the incident commander: the commander approves customer text."
    )
    assert response.data["errors"][0]["field"] == "commander"
    assert Incident.objects.get(pk=incident.pk).commander_id is None
    assert AuditEntry.objects.count() == entries


def test_an_approver_chooses_the_commander(api_as, people):
    incident = make_incident(published=False)
    dana = api_as("commander")
    with audited() as entries:
        response = dana.patch(f"/api/incidents/{incident.public_id}", {"commander": "sam"})
    assert response.status_code == 200 and response.data["commander"] == "sam"
    assert Incident.objects.get(pk=incident.pk).commander.username == "sam"
    assert entries == [("incident.edited", "dana", "incidents.incident", str(incident.pk))]
