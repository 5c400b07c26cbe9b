"""A step of the plan closes itself when the matching thing is published: the facts with the
preliminary report, the answers when customers' top questions have published answers, the cause
when a published text states it while the ledger holds it as confirmed."""

import pytest

from clearline.brief import services as brief
from clearline.core.errors import ClearlineError
from clearline.core.models import AuditEntry
from clearline.core.permissions import SYSTEM
from clearline.incidents import services as incidents
from clearline.reviews import plan
from clearline.reviews.models import PlanItem
from clearline.reviews.preliminary import preliminary_report
from clearline.updates.services import approve_and_publish, content_hash_of, publish_update
from tests.factories import make_incident, publish, run_jobs

CAUSE = (
    "Invoice emails to EU customers were late because a mail settings change at 08:55 UTC "
    "slowed our outgoing mail. It was caused by a setting we have now reverted."
)


def step(incident, name: str) -> PlanItem:
    return PlanItem.objects.select_related("completed_by").get(incident=incident, step=name)


def answer_on_the_status_page(group, people, question: str, text: str) -> None:
    answer = brief.write_group_answer(
        group=group, by=people["comms"], version=0, question=question, text=text
    )
    brief.approve_answer(
        answer=answer,
        by=people["commander"],
        content_hash=answer.content_hash,
        show_on_status_page=True,
    )


def test_day_one_completes_when_the_preliminary_report_is_published(resolved, people):
    report = preliminary_report(resolved)
    assert step(resolved, "facts").state == "open"
    published = approve_and_publish(
        update=report, by=people["commander"], content_hash=content_hash_of(report)
    )
    run_jobs()
    facts = step(resolved, "facts")
    assert (facts.state, facts.completed_by, facts.completion_note) == (
        "done",
        published,
        "The preliminary report was published.",
    )
    assert facts.done_at == published.published_at or facts.done_at >= published.published_at
    assert facts.closed_by is None  # clearline closed it
    assert AuditEntry.objects.filter(action="plan_item.done", object_id=str(facts.pk)).exists()


def test_day_two_completes_when_every_top_question_has_an_answer_on_the_status_page(
    resolved, people
):
    brief.log_signal(
        incident=resolved, by=people["support"], kind="question", text="Is my invoice data safe?"
    )
    items = PlanItem.objects.filter(incident=resolved, step="answers")
    items.update(question_groups=list(resolved.question_groups.values_list("pk", flat=True)))
    resend, safe = resolved.question_groups.order_by("created_at")

    answer_on_the_status_page(
        resend, people, "Do I need to resend invoices?", "No: every delayed email was sent."
    )
    run_jobs()
    assert step(resolved, "answers").state == "open"  # one question still waits

    answer_on_the_status_page(
        safe, people, "Is my invoice data safe?", "Yes: no invoice was changed or lost."
    )
    run_jobs()
    answers = step(resolved, "answers")
    assert answers.state == "done"
    assert answers.completion_note == "Every question customers asked most has a published answer."


def test_day_two_completes_when_a_public_update_answers_the_questions(resolved, people):
    update = publish(
        resolved,
        "Do we need to resend the invoices? No: every delayed invoice email has been sent once.",
        status="resolved",
    )
    run_jobs()
    answers = step(resolved, "answers")
    assert (answers.state, answers.completed_by) == ("done", update)


def test_an_update_that_does_not_answer_leaves_day_two_open(resolved, people):
    publish(resolved, "Invoice emails have arrived on time all day.", status="resolved")
    run_jobs()
    assert step(resolved, "answers").state == "open"


def test_with_no_questions_logged_day_two_completes_with_the_next_update(people):
    incident = make_incident(title="Exports fail")
    publish(incident, "Exports work again.", status="resolved")
    run_jobs()
    assert step(incident, "answers").state == "open"
    later = publish(incident, "Exports made during the problem are complete.", status="resolved")
    run_jobs()
    assert (step(incident, "answers").state, step(incident, "answers").completed_by) == (
        "done",
        later,
    )


def test_day_three_completes_when_a_published_text_states_the_confirmed_cause(resolved, people):
    question = resolved.facts.get(kind="question")
    incidents.settle_fact(
        fact=question,
        by=people["commander"],
        status="confirmed",
        text="A mail settings change at 08:55 UTC slowed outgoing mail.",
    )
    update = publish(resolved, CAUSE, status="resolved")
    run_jobs()
    cause = step(resolved, "cause")
    assert (cause.state, cause.completed_by) == ("done", update)
    assert cause.completion_note == "A published text states the confirmed cause."


def test_a_cause_stated_before_it_is_confirmed_completes_nothing(resolved, people):
    publish(resolved, CAUSE, status="resolved")  # clearline overrides the checks in a test
    run_jobs()
    assert step(resolved, "cause").state == "open"


def test_a_cause_published_during_the_incident_completes_day_three_at_once(record, people):
    incidents.add_fact(
        incident=record,
        by=people["commander"],
        kind="fact",
        subject="cause",
        text="A mail settings change slowed outgoing mail.",
    )
    during = publish(record, CAUSE, status="identified")
    publish(record, "Invoice emails are on time again.", status="resolved")
    run_jobs()
    assert (step(record, "cause").state, step(record, "cause").completed_by) == ("done", during)


def test_a_drills_plan_completes_like_any_other(people):
    drill = make_incident(title="Drill: exports fail", is_drill=True)
    publish(drill, "Practice run over: exports work again.", status="resolved")
    run_jobs()
    publish_update(update=preliminary_report(drill), by=SYSTEM)
    run_jobs()
    assert step(drill, "facts").state == "done"


def test_the_review_and_the_action_items_complete_their_steps(resolved, people):
    item = plan.complete_step(
        incident=resolved,
        step="prevention",
        note="Two action items were published on the status page.",
        by=people["comms"],
    )
    assert (item.state, item.completion_note, item.closed_by) == (
        "done",
        "Two action items were published on the status page.",
        people["comms"],
    )
    again = plan.complete_step(incident=resolved, step="prevention", note="Again.", by=SYSTEM)
    assert again is None
    assert step(resolved, "prevention").completion_note.startswith("Two action items")


@pytest.mark.parametrize(
    ("step_name", "note", "field"),
    [("tuesday", "Done.", "step"), ("process", "   ", "note")],
)
def test_complete_step_names_what_is_wrong(resolved, step_name, note, field):
    with pytest.raises(ClearlineError) as refusal:
        plan.complete_step(incident=resolved, step=step_name, note=note, by=SYSTEM)
    assert refusal.value.field == field
    assert step(resolved, "process").state == "open"


def test_complete_step_on_an_incident_without_a_plan_does_nothing(record):
    assert plan.complete_step(incident=record, step="process", note="Done.", by=SYSTEM) is None
