"""Brief and FAQ answers: the person who wrote or last changed the words does not approve them."""

import pytest

from clearline.brief import services
from clearline.brief.models import Answer
from clearline.core.errors import PermissionDenied
from clearline.core.models import AuditEntry
from tests.brief.conftest import approved, ask, drafted
from tests.factories import make_user
from tests.unchanged import nothing_changes

OWN_TEXT = "You wrote this text; another approver must approve it."


def answer_state(answer):
    row = Answer.objects.get(pk=answer.pk)
    return (row.state, row.approved_hash, row.approver_id, row.text, row.show_on_status_page)


def test_the_writer_of_an_answer_cannot_approve_it(incident, people):
    answer = drafted(incident, people["commander"])
    before, entries = answer_state(answer), AuditEntry.objects.count()
    with nothing_changes(), pytest.raises(PermissionDenied, match=OWN_TEXT):
        approved(answer, people["commander"])
    assert answer_state(answer) == before and AuditEntry.objects.count() == entries
    assert approved(answer, make_user("kim", "approver")).is_approved


def test_whoever_last_changed_an_faq_answer_cannot_approve_it(incident, people):
    group = ask(incident, people["support"], "Was my card charged twice?").group
    answer = services.write_group_answer(
        group=group, by=people["comms"], version=0, question="Charged twice?", text="No."
    )
    answer = services.write_group_answer(
        group=group,
        by=people["commander"],
        version=answer.version,
        question="Charged twice?",
        text="No. Declined payments are not charged.",
    )
    before, entries = answer_state(answer), AuditEntry.objects.count()
    with nothing_changes(), pytest.raises(PermissionDenied, match=OWN_TEXT):
        approved(answer, people["commander"], show=True)
    assert answer_state(answer) == before and AuditEntry.objects.count() == entries


def test_a_one_person_team_approves_its_own_answer_and_the_audit_log_says_so(
    incident, people, one_person_team
):
    answer = approved(drafted(incident, people["commander"]), people["commander"])
    assert answer.is_approved
    entry = AuditEntry.objects.get(action="answer.approved")
    assert entry.changes["self_approved"] is True and "self-approval" in entry.summary


def test_the_brief_says_why_the_writer_has_no_approve_button(client, incident, people):
    answer = drafted(incident, people["commander"], text="Your card data is safe.")
    client.force_login(people["commander"])
    page = client.get(f"/desk/incidents/{incident.pk}/brief/").content.decode()
    assert OWN_TEXT in page
    assert f'action="/desk/answers/{answer.pk}/approve/"' not in page
    before, entries = answer_state(answer), AuditEntry.objects.count()
    with nothing_changes():
        response = client.post(
            f"/desk/answers/{answer.pk}/approve/", {"content_hash": answer.content_hash}
        )
    assert response.status_code == 403
    assert answer_state(answer) == before and AuditEntry.objects.count() == entries

    client.force_login(make_user("kim", "approver"))
    page = client.get(f"/desk/incidents/{incident.pk}/brief/").content.decode()
    assert f'action="/desk/answers/{answer.pk}/approve/"' in page and OWN_TEXT not in page
