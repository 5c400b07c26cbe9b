"""The first-week plan: five steps made on resolution, each owned and due on its day, counted in
the organisation's zone."""

from datetime import UTC, datetime, timedelta

import pytest

from clearline.accounts.models import Organisation
from clearline.brief import services as brief
from clearline.core.models import AuditEntry
from clearline.core.permissions import SYSTEM
from clearline.reviews import plan
from clearline.reviews.models import PlanItem
from tests.factories import make_incident, publish, run_jobs

STEPS = ["facts", "answers", "cause", "prevention", "process"]


def steps(incident) -> dict[str, PlanItem]:
    return {item.step: item for item in PlanItem.objects.filter(incident=incident)}


def test_a_resolution_creates_the_five_steps_with_their_owners(resolved, people):
    items = steps(resolved)
    assert list(items) == STEPS
    assert all(item.state == "open" for item in items.values())
    owners = {step: item.owner.username for step, item in items.items()}
    # The comms owner speaks to customers; the commander owns the cause and the changes.
    assert owners == {
        "facts": "sam",
        "answers": "sam",
        "cause": "dana",
        "prevention": "dana",
        "process": "dana",
    }
    entry = AuditEntry.objects.get(action="plan.created")
    assert entry.summary == "Created the first-week plan for “Invoice emails delivered late”"


def test_each_step_is_due_on_its_day_at_the_time_of_the_resolution(resolved, org):
    resolved_at = resolved.resolved_at.astimezone(org.zone)
    days = {"facts": 1, "answers": 2, "cause": 3, "prevention": 5, "process": 7}
    for step, item in steps(resolved).items():
        due = item.due_at.astimezone(org.zone)
        assert (due.date() - resolved_at.date()).days == days[step]
        assert (due.hour, due.minute) == (resolved_at.hour, resolved_at.minute)


@pytest.mark.parametrize(
    ("zone", "resolved_at", "week_later_utc"),
    [
        # Clocks go back in London on 25 October 2026: 10:00 local is 09:00 UTC, then 10:00 UTC.
        ("Europe/London", datetime(2026, 10, 24, 9, 0, tzinfo=UTC), (10, 0)),
        # And in New York on 1 November: 10:00 local is 14:00 UTC, then 15:00 UTC.
        ("America/New_York", datetime(2026, 10, 29, 14, 0, tzinfo=UTC), (15, 0)),
    ],
)
def test_due_times_keep_the_local_clock_across_a_change_of_clocks(
    db, zone, resolved_at, week_later_utc
):
    org = Organisation.current()
    org.time_zone = zone
    org.save()
    before = datetime.now(UTC) - resolved_at + timedelta(hours=1)
    incident = make_incident(title="Exports fail", published=False, started_ago=before)
    publish(incident, "Exports work again.", status="resolved", now=resolved_at)
    plan.create_plan(incident=incident, by=SYSTEM)
    process = steps(incident)["process"].due_at.astimezone(UTC)
    assert (process.hour, process.minute) == week_later_utc
    local = process.astimezone(org.zone)
    assert (local.hour, (local.date() - resolved_at.astimezone(org.zone).date()).days) == (10, 7)


def test_the_answers_step_names_the_questions_customers_asked_most(record, people):
    for text in ("Is my invoice data safe?", "Is my invoice data safe?", "Will emails resend?"):
        brief.log_signal(incident=record, by=people["support"], kind="question", text=text)
    publish(record, "Invoice emails are on time again.", status="resolved")
    run_jobs()
    answers = steps(record)["answers"]
    groups = {g.title: g.pk for g in record.question_groups.all()}
    assert answers.question_groups == [
        groups["Do we need to resend the invoices?"],
        groups["Is my invoice data safe?"],
        groups["Will emails resend?"],
    ]
    assert "“Do we need to resend the invoices?” (asked 2 times)" in answers.detail
    assert "“Will emails resend?” (asked 1 time)" in answers.detail


def test_the_answers_step_names_three_questions_at_most(record, people):
    for text in (
        "Were we charged twice?",
        "Is my payment page down?",
        "Can customers still pay by card?",
        "Will you refund the late fees?",
        "Who do we call about exports?",
    ):
        brief.log_signal(incident=record, by=people["support"], kind="question", text=text)
    publish(record, "Invoice emails are on time again.", status="resolved")
    run_jobs()
    assert len(steps(record)["answers"].question_groups) == plan.TOP_QUESTIONS == 3


def test_the_cause_step_says_whether_the_cause_is_confirmed(resolved):
    assert steps(resolved)["cause"].detail.endswith("No cause is confirmed yet.")


def test_it_is_created_once(resolved):
    again = plan.create_plan(incident=resolved, by=SYSTEM)
    assert len(again) == 5 and PlanItem.objects.filter(incident=resolved).count() == 5
    assert AuditEntry.objects.filter(action="plan.created").count() == 1
