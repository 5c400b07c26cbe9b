"""A commander writes the action items after an incident: each needs one owner, a due date and
one clear outcome (CL151), and a vague outcome is refused unless kept with a reason (CL153)."""

import pytest

from clearline.accounts.models import Organisation
from clearline.checks import check
from clearline.core.errors import ClearlineError
from clearline.reviews.actions.rules import ActionRefused
from clearline.reviews.models import ActionItem
from tests.factories import make_user
from tests.reviews.actions.conftest import ALERT, add_item, days
from tests.unchanged import audited, nothing_changes


def refusal(incident, people, **fields) -> ActionRefused:
    with nothing_changes(), pytest.raises(ActionRefused) as refused:
        add_item(incident, by=people["commander"], **{"owner": people["comms"], **fields})
    return refused.value


@pytest.mark.parametrize(
    ("field", "given"),
    [("owner", None), ("due_date", None), ("outcome", ""), ("outcome", "   ")],
)
def test_an_item_missing_a_part_is_refused_naming_the_field_and_cl151(
    resolved, people, field, given
):
    refused = refusal(resolved, people, **{field: given})
    assert refused.field == field
    assert refused.code == "CL151"
    assert refused.message.startswith("CL151 incomplete-action-item:")
    assert refused.finding.suggestion


def test_two_words_are_no_clear_outcome(resolved, people):
    refused = refusal(resolved, people, outcome="Fix alerts")
    assert (refused.field, refused.code) == ("outcome", "CL151")
    assert "not a clear outcome" in refused.message


@pytest.mark.parametrize(
    "outcome", ["Improve monitoring", "Be more careful with deploys", "Review our processes"]
)
def test_a_vague_outcome_is_refused_with_the_engines_own_cl153_finding(resolved, people, outcome):
    refused = refusal(resolved, people, outcome=outcome)
    assert (refused.field, refused.code) == ("outcome", "CL153")
    [engine] = [f for f in check(outcome, kind="review").findings if f.code == "CL153"]
    assert refused.finding == engine
    assert refused.message == f"CL153 vague-action: {engine.message}"


def test_a_vague_outcome_is_kept_when_the_writer_says_why(resolved, people):
    reason = "The spike decides which alert; its first step is in the runbook item."
    with audited() as entries:
        item = add_item(
            resolved,
            by=people["commander"],
            owner=people["comms"],
            outcome="Improve our monitoring overall",
            override_reason=reason,
        )
    assert item.override_reason == reason
    assert entries == [("action_item.created", "dana", "reviews.actionitem", str(item.pk))]


def test_a_reason_does_not_make_two_words_an_outcome(resolved, people):
    refused = refusal(
        resolved, people, outcome="Improve monitoring", override_reason="We will see."
    )
    assert (refused.field, refused.code) == ("outcome", "CL151")


def test_a_concrete_item_is_accepted_and_audited(resolved, people):
    with audited() as entries:
        item = add_item(
            resolved,
            by=people["commander"],
            owner=people["comms"],
            outcome=ALERT,
            category="detection",
            override_reason="Not needed: nothing is vague here.",
        )
    item = ActionItem.objects.get(pk=item.pk)
    assert (item.outcome, item.owner, item.category, item.status) == (
        ALERT,
        people["comms"],
        "detection",
        "open",
    )
    assert item.override_reason == ""  # a reason is kept only for an outcome the checks flag
    assert item.created_by == people["commander"] and item.closed_at is None
    assert entries == [("action_item.created", "dana", "reviews.actionitem", str(item.pk))]


def test_the_organisations_own_phrases_make_an_outcome_vague(resolved, people):
    """The engine reads the outcome with the organisation's settings: no second phrase list."""
    org = Organisation.current()
    org.check_phrases = {"vague-action": ["tidy up the dashboards"]}
    org.save()
    refused = refusal(resolved, people, outcome="Tidy up the dashboards this quarter")
    assert refused.code == "CL153"


def test_a_due_date_in_the_past_is_refused(resolved, people):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        add_item(resolved, by=people["commander"], owner=people["comms"], due_date=days(-1))
    assert refused.value.field == "due_date" and "has passed" in refused.value.message


def test_today_is_not_in_the_past_in_the_organisations_zone(resolved, people):
    Organisation.objects.update(time_zone="Pacific/Kiritimati")  # UTC+14: its today comes first
    item = add_item(resolved, by=people["commander"], owner=people["comms"], due_date=days(0))
    assert item.due_date == days(0)


@pytest.mark.parametrize("who", ["no role", "inactive"])
def test_the_owner_is_an_active_person_with_a_role(resolved, people, who):
    owner = make_user("kim", None if who == "no role" else "viewer")
    if who == "inactive":
        owner.is_active = False
        owner.save()
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        add_item(resolved, by=people["commander"], owner=owner)
    assert refused.value.field == "owner"
    assert "active people with a role" in refused.value.message


def test_a_viewer_may_own_an_item_they_cannot_write(resolved, people):
    item = add_item(resolved, by=people["commander"], owner=people["support"])
    assert item.owner == people["support"]


def test_an_unknown_category_is_refused(resolved, people):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        add_item(resolved, by=people["commander"], owner=people["comms"], category="hope")
    assert refused.value.field == "category"
