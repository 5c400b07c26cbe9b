"""The preliminary report goes out through the one publish path, as an approved update that
moves nothing: the incident stays resolved, nobody is promised an update or reminded of one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.core.errors import Conflict, PermissionDenied
from clearline.core.models import AuditEntry, OutboxEvent
from clearline.incidents import services as incidents
from clearline.promises import selectors as promises
from clearline.promises.models import Reminder
from clearline.promises.services import check_promises
from clearline.reviews.preliminary import preliminary_report
from clearline.updates import checking, services
from clearline.updates.models import UpdateState
from tests.factories import publish

OPEN_QUESTION_AS_FACT = "The backlog was caused by the mail settings change at 08:55 UTC."


def approve_and_publish(report, by):
    return services.approve_and_publish(
        update=report, by=by, content_hash=services.content_hash_of(report)
    )


def test_it_is_checked_as_a_preliminary_report(resolved):
    report = preliminary_report(resolved)
    assert checking.kind_for(resolved, report.status, report.kind) == "preliminary"
    without_review = report.body.split("\n\nA full review")[0]
    checked = checking.check_draft(incident=resolved, body=without_review, kind="preliminary")
    assert "CL132" in {f.code for f in checked.findings}


def test_the_commander_publishes_it_and_the_incident_stays_as_it_was(resolved, people):
    resolved_at = resolved.resolved_at
    published = approve_and_publish(preliminary_report(resolved), people["commander"])
    resolved.refresh_from_db()
    assert (published.state, published.approver, published.status) == (
        UpdateState.PUBLISHED,
        people["commander"],
        "resolved",
    )
    assert (resolved.status, resolved.resolved_at) == ("resolved", resolved_at)
    assert published.next_update_due is None and published.lateness_seconds is None
    entry = AuditEntry.objects.get(action="update.published", object_id=str(published.pk))
    assert entry.summary == "Published the preliminary report on “Invoice emails delivered late”"
    assert entry.changes["kind"] == "preliminary"
    assert OutboxEvent.objects.filter(update_id=published.pk, notify=True).exists()


def test_a_responder_cannot_approve_it(resolved, people):
    report = preliminary_report(resolved)
    with pytest.raises(PermissionDenied):
        approve_and_publish(report, people["comms"])
    report.refresh_from_db()
    assert report.state == "draft"


def test_approval_is_refused_while_it_states_an_open_question_as_a_fact(resolved, people):
    report = preliminary_report(resolved)
    body = report.body.replace(
        report.body[report.body.index("We are still checking") :].split("\n\n")[0],
        OPEN_QUESTION_AS_FACT,
    )
    report = services.edit_update(update=report, by=people["comms"], version=1, body=body)
    with pytest.raises(services.Refused) as refusal:
        approve_and_publish(report, people["commander"])
    assert "CL122 unsupported-claim" in refusal.value.message
    [error] = refusal.value.errors
    assert error.code == "CL122" and body[error.start : error.end] in OPEN_QUESTION_AS_FACT
    report.refresh_from_db()
    assert report.state == "draft" and report.approved_hash == ""


def _with_a_confirmed_cause(resolved, people):
    """The commander confirms one cause while the ledger still asks about the settings change."""
    incidents.add_fact(
        incident=resolved,
        by=people["commander"],
        kind="fact",
        subject="cause",
        text="A full disk on the mail relay held outgoing invoice mail from 08:50.",
    )


def _in_place_of_the_question(report, sentence: str, people):
    """The report with `sentence` where it said what is still being checked."""
    checking_paragraph = report.body[report.body.index("We are still checking") :]
    body = report.body.replace(checking_paragraph.split("\n\n")[0], sentence)
    return services.edit_update(update=report, by=people["comms"], version=1, body=body)


def test_a_confirmed_cause_does_not_let_it_state_the_open_question_as_a_fact(resolved, people):
    _with_a_confirmed_cause(resolved, people)
    report = _in_place_of_the_question(preliminary_report(resolved), OPEN_QUESTION_AS_FACT, people)
    with pytest.raises(services.Refused) as refusal:
        approve_and_publish(report, people["commander"])
    [error] = refusal.value.errors
    assert error.code == "CL122" and "Did the mail settings change" in error.message
    report.refresh_from_db()
    assert report.state == "draft"


@pytest.mark.parametrize(
    "sentence",
    [
        "A full disk on the mail relay held the invoice mail.",
        "We are still checking whether the mail settings change at 08:55 started the backlog.",
    ],
)
def test_with_a_confirmed_cause_it_may_state_it_and_hedge_the_open_question(
    resolved, people, sentence
):
    _with_a_confirmed_cause(resolved, people)
    report = _in_place_of_the_question(preliminary_report(resolved), sentence, people)
    assert "CL122" not in {
        f.code
        for f in checking.check_draft(
            incident=resolved, body=report.body, kind="preliminary"
        ).findings
    }
    assert approve_and_publish(report, people["commander"]).state == UpdateState.PUBLISHED


def test_it_is_refused_once_the_incident_is_open_again(resolved, people):
    report = preliminary_report(resolved)
    services.approve_update(
        update=report, by=people["commander"], content_hash=services.content_hash_of(report)
    )
    publish(resolved, "Invoice emails are late again for EU customers.", status="investigating")
    with pytest.raises(Conflict) as refusal:
        services.publish_update(update=report, by=people["commander"])
    assert refusal.value.code == "not_resolved"
    report.refresh_from_db()
    assert report.state == "approved"


def test_its_status_and_promise_cannot_be_edited_in(resolved, people):
    report = preliminary_report(resolved)
    for change, field in (
        ({"status": "monitoring"}, "status"),
        ({"next_update_due": timezone.now() + timedelta(hours=1)}, "next_update_due"),
    ):
        with pytest.raises(services.ClearlineError) as refusal:
            services.edit_update(update=report, by=people["comms"], version=1, **change)
        assert refusal.value.field == field


def test_nobody_is_reminded_of_an_update_after_it(resolved, people):
    approve_and_publish(preliminary_report(resolved), people["commander"])
    later = timezone.now() + timedelta(days=2)
    assert list(promises.promises_due(before=later)) == []
    assert check_promises(now=later) == []
    assert not Reminder.objects.exists()


def test_it_does_not_count_as_late_however_long_after_the_last_promise(record, people):
    """The last update promised the next one 50 minutes after the start; the resolution came
    late, and the report a day later is no update that promise was about."""
    publish(record, "Emails to EU customers are on time again.", status="resolved")
    from tests.factories import run_jobs

    run_jobs()
    report = approve_and_publish(preliminary_report(record), people["commander"])
    assert report.lateness_seconds is None
