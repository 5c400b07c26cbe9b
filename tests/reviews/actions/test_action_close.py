"""An owner closes an item as done only with evidence that the change works, or as won't do
with the reason; a closed item stays closed. Items change between open and in progress."""

import pytest

from clearline.core.errors import ClearlineError, Conflict
from clearline.reviews.actions import services
from clearline.reviews.actions.rules import ActionRefused
from clearline.reviews.models import ActionItem
from tests.reviews.actions.conftest import add_item, days
from tests.unchanged import audited, nothing_changes

EVIDENCE = "Restored last night's backup to a spare server in 4 minutes 10 seconds."


@pytest.fixture
def item(resolved, people):
    return add_item(resolved, by=people["commander"], owner=people["comms"])


def test_done_needs_evidence(item, people):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        services.close_action_item(item=item, by=people["comms"])
    assert refused.value.field == "evidence_note"
    assert "needs evidence" in refused.value.message
    assert ActionItem.objects.get(pk=item.pk).status == "open"


def test_done_with_a_note_closes_it_with_who_and_when(item, people):
    with audited() as entries:
        services.close_action_item(item=item, by=people["comms"], evidence_note=EVIDENCE)
    item = ActionItem.objects.get(pk=item.pk)
    assert (item.status, item.evidence_note, item.closed_by) == ("done", EVIDENCE, people["comms"])
    assert item.closed_at is not None
    assert entries == [("action_item.closed", "sam", "reviews.actionitem", str(item.pk))]


def test_done_with_a_link_alone_is_enough(item, people):
    link = "https://wiki.example.com/runbooks/mail-queue"
    services.close_action_item(item=item, by=people["comms"], evidence_url=link)
    assert ActionItem.objects.get(pk=item.pk).evidence_url == link


@pytest.mark.parametrize("link", ["wiki page", "javascript:alert(1)", "ftp://files.example.com/x"])
def test_evidence_that_is_not_a_web_link_is_refused(item, people, link):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        services.close_action_item(item=item, by=people["comms"], evidence_url=link)
    assert refused.value.field == "evidence_url"


def test_wont_do_needs_a_reason(item, people):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        services.close_action_item(item=item, by=people["comms"], status="wont_do")
    assert refused.value.field == "wont_do_reason"
    reason = "The mail relay is replaced next month; its runbook goes with it."
    services.close_action_item(
        item=item, by=people["comms"], status="wont_do", wont_do_reason=reason
    )
    assert ActionItem.objects.get(pk=item.pk).status == "wont_do"


def test_a_closed_item_stays_closed(item, people):
    services.close_action_item(item=item, by=people["comms"], evidence_note=EVIDENCE)
    with nothing_changes():
        with pytest.raises(Conflict):
            services.close_action_item(item=item, by=people["comms"], evidence_note="Again.")
        with pytest.raises(Conflict):
            services.edit_action_item(item=item, by=people["comms"], status="open")


def test_it_moves_between_open_and_in_progress(item, people):
    with audited() as entries:
        services.edit_action_item(item=item, by=people["comms"], status="in_progress")
    assert ActionItem.objects.get(pk=item.pk).status == "in_progress"
    assert entries == [("action_item.edited", "sam", "reviews.actionitem", str(item.pk))]


def test_closing_is_not_an_edit(item, people):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        services.edit_action_item(item=item, by=people["comms"], status="done")
    assert refused.value.field == "status"


def test_an_edit_that_changes_nothing_records_nothing(item, people):
    with audited() as entries:
        services.edit_action_item(item=item, by=people["comms"], outcome=item.outcome)
    assert entries == []


def test_a_new_outcome_is_checked_again(item, people):
    with nothing_changes(), pytest.raises(ActionRefused) as refused:
        services.edit_action_item(item=item, by=people["comms"], outcome="Be more careful")
    assert refused.value.code == "CL153"


def test_a_reason_for_the_old_words_does_not_carry_over_to_vague_new_ones(resolved, people):
    kept = add_item(
        resolved,
        by=people["commander"],
        owner=people["comms"],
        outcome="Improve our monitoring overall",
        override_reason="A spike decides the alert first.",
    )
    with pytest.raises(ActionRefused):
        services.edit_action_item(item=kept, by=people["comms"], outcome="Review our processes")
    concrete = "Page the on-call engineer when mail waits 10 minutes"
    services.edit_action_item(item=kept, by=people["comms"], outcome=concrete)
    assert ActionItem.objects.get(pk=kept.pk).override_reason == ""


def test_a_due_date_moved_into_the_past_is_refused(item, people):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        services.edit_action_item(item=item, by=people["comms"], due_date=days(-3))
    assert refused.value.field == "due_date"


def test_an_overdue_item_can_still_be_worked_on_without_a_new_date(overdue, people):
    services.edit_action_item(item=overdue, by=people["comms"], status="in_progress")
    assert ActionItem.objects.get(pk=overdue.pk).status == "in_progress"
