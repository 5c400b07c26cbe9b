"""Approved answers: drafted by responders, approved by an approver or the commander, and
approved only for the exact words approved."""

import pytest

from clearline.brief import services
from clearline.brief.models import Answer, content_hash
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.core.models import AuditEntry
from tests.brief.conftest import approved, ask, drafted
from tests.factories import make_user
from tests.unchanged import nothing_changes


def test_it_approves_the_text_the_approver_read(people, incident):
    answer = approved(
        drafted(incident, people["comms"], "No card data left our systems."), people["commander"]
    )
    assert answer.is_approved
    assert answer.approved_hash == content_hash(answer.question, "No card data left our systems.")
    assert answer.approver == people["commander"]


def test_it_refuses_to_approve_text_that_changed_after_it_was_read(people, incident):
    answer = drafted(incident, people["comms"], "We are checking.")
    read = answer.content_hash
    services.write_answer(
        incident=incident, topic="data_safe", by=people["comms"], version=1, text="No data lost."
    )
    with pytest.raises(Conflict):
        services.approve_answer(answer=answer, by=people["commander"], content_hash=read)
    assert not Answer.objects.get().is_approved


def test_it_withdraws_the_approval_when_the_text_is_edited(people, incident):
    answer = approved(drafted(incident, people["comms"], "We are checking."), people["commander"])
    edited = services.write_answer(
        incident=incident,
        topic="data_safe",
        by=people["comms"],
        version=answer.version,
        text="We are checking, and will say by 15:00 UTC.",
    )
    assert not edited.is_approved
    assert edited.state == "draft"
    assert edited.approver is None


def test_it_treats_text_changed_behind_its_back_as_not_approved(people, incident):
    answer = approved(drafted(incident, people["comms"], "We are checking."), people["commander"])
    Answer.objects.filter(pk=answer.pk).update(text="Nothing was lost.")
    assert not Answer.objects.get().is_approved


def test_it_keeps_an_approval_when_the_same_text_is_saved_again(people, incident):
    answer = approved(drafted(incident, people["comms"], "We are checking."), people["commander"])
    again = services.write_answer(
        incident=incident,
        topic="data_safe",
        by=people["comms"],
        version=answer.version,
        text="We are checking.  ",
    )
    assert again.is_approved


def test_it_tells_the_second_editor_of_a_conflict_and_keeps_the_first_edit(people, incident):
    answer = drafted(incident, people["comms"], "First words.")
    services.write_answer(
        incident=incident, topic="data_safe", by=people["comms"], version=1, text="Sam's words."
    )
    with pytest.raises(Conflict):
        services.write_answer(
            incident=incident,
            topic="data_safe",
            by=people["commander"],
            version=answer.version,
            text="Dana's words.",
        )
    assert Answer.objects.get().text == "Sam's words."


def test_it_makes_the_second_first_draft_a_conflict_not_a_second_answer(people, incident):
    drafted(incident, people["comms"], "Sam was first.")
    with pytest.raises(Conflict):
        drafted(incident, people["commander"], "Dana was second.")
    assert Answer.objects.count() == 1


def test_it_lets_the_incident_commander_approve_without_the_approver_role(people, incident):
    commander = make_user("rhea", "responder")
    incident.commander = commander
    incident.save()
    answer = approved(drafted(incident, people["comms"]), commander)
    assert answer.is_approved


def test_it_refuses_approval_by_a_responder_who_is_not_the_commander(people, incident):
    answer = drafted(incident, people["comms"])
    with nothing_changes(), pytest.raises(PermissionDenied):
        approved(answer, people["comms"])
    assert not Answer.objects.get().is_approved


@pytest.mark.parametrize("who", ["support", "outsider"])
def test_it_refuses_a_draft_from_someone_who_does_not_respond(people, incident, who):
    with nothing_changes(), pytest.raises(PermissionDenied):
        drafted(incident, people[who])
    assert not Answer.objects.exists()


def test_it_refuses_approval_by_a_support_viewer(people, incident):
    answer = drafted(incident, people["comms"])
    with nothing_changes(), pytest.raises(PermissionDenied):
        approved(answer, people["support"])


def test_it_names_the_empty_answer(people, incident):
    with pytest.raises(ClearlineError) as refused:
        drafted(incident, people["comms"], "   ")
    assert refused.value.field == "text"


def test_it_keeps_the_status_page_choice_to_customers_questions(people, incident):
    answer = drafted(incident, people["comms"])
    with pytest.raises(ClearlineError) as refused:
        approved(answer, people["commander"], show=True)
    assert refused.value.field == "show_on_status_page"
    assert not Answer.objects.get().is_approved


def test_it_answers_a_question_group_with_its_own_wording(people, incident):
    signal = ask(incident, people["support"], "Acme here: were we charged twice?", "Acme")
    answer = services.write_group_answer(
        group=signal.group,
        by=people["comms"],
        version=0,
        question="Were some cards charged twice?",
        text="No. Each declined payment was charged at most once.",
    )
    assert answer.topic == "faq"
    assert answer.question == "Were some cards charged twice?"
    assert approved(answer, people["commander"]).is_approved


def test_it_writes_an_audit_entry_for_every_change(people, incident):
    vic, sam, dana = people["support"], people["comms"], people["commander"]
    signal = ask(incident, vic, "Is my data safe?", "Acme")
    ask(incident, vic, "is our data safe", "Globex")
    answer = drafted(incident, sam, "We are checking.")
    answer = approved(answer, dana)
    services.write_answer(
        incident=incident, topic="data_safe", by=sam, version=answer.version, text="Changed."
    )
    faq = services.write_group_answer(
        group=signal.group, by=sam, version=0, question="Is my data safe?", text="Yes."
    )
    faq = approved(faq, dana, show=True)
    approved(faq, dana, show=False)
    actions = list(
        AuditEntry.objects.filter(action__regex=r"^(signal|question_group|answer)\.")
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("question_group.created", "vic"),
        ("signal.logged", "vic"),
        ("signal.logged", "vic"),
        ("answer.drafted", "sam"),
        ("answer.approved", "dana"),
        ("answer.edited", "sam"),
        ("answer.drafted", "sam"),
        ("answer.approved", "dana"),
        ("answer.hidden", "dana"),
    ]
    edited = AuditEntry.objects.get(action="answer.edited")
    assert "approval withdrawn" in edited.summary
    assert edited.changes["text"] == ["We are checking.", "Changed."]
