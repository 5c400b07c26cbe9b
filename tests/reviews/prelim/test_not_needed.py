"""A responder closes a step the incident does not need, and says why; without a reason nothing
closes. Overdue steps stand out on the incident page and on the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.core.models import AuditEntry
from clearline.reviews import plan
from clearline.reviews.models import PlanItem
from tests.unchanged import nothing_changes

REASON = "The cause was in our second update already, in plain words."


def item(incident, step: str = "cause") -> PlanItem:
    return PlanItem.objects.get(incident=incident, step=step)


def plan_step(page: str, step: str) -> str:
    """The list item of one step of the plan on the incident page."""
    start = page.rindex("<li", 0, page.index(f'data-step="{step}"'))
    return page[start : page.index("</li>", start)]


def test_a_responder_marks_a_step_not_needed_with_the_reason(resolved, people):
    closed = plan.mark_not_needed(item=item(resolved), by=people["comms"], reason=REASON)
    assert (closed.state, closed.reason, closed.closed_by) == (
        "not_needed",
        REASON,
        people["comms"],
    )
    assert closed.done_at is not None
    entry = AuditEntry.objects.get(action="plan_item.not_needed")
    assert entry.actor == people["comms"]
    assert entry.changes["state"] == ["open", "not_needed"]
    assert entry.changes["reason"] == ["", REASON]


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_without_a_reason_nothing_closes(resolved, people, reason):
    with nothing_changes(), pytest.raises(ClearlineError) as refusal:
        plan.mark_not_needed(item=item(resolved), by=people["comms"], reason=reason)
    assert (refusal.value.field, refusal.value.message) == (
        "reason",
        "Say why this step is not needed.",
    )


def test_a_viewer_cannot_close_a_step(resolved, people):
    with nothing_changes(), pytest.raises(PermissionDenied):
        plan.mark_not_needed(item=item(resolved), by=people["support"], reason=REASON)


def test_a_closed_step_stays_closed(resolved, people):
    plan.mark_not_needed(item=item(resolved), by=people["comms"], reason=REASON)
    with pytest.raises(Conflict):
        plan.mark_not_needed(item=item(resolved), by=people["comms"], reason="Again.")
    assert item(resolved).reason == REASON


def test_the_incident_page_shows_the_plan_and_marks_what_is_overdue(desk, resolved):
    PlanItem.objects.filter(incident=resolved, step="facts").update(
        due_at=timezone.now() - timedelta(hours=3)
    )
    page = desk.get(f"/desk/incidents/{resolved.pk}/").content.decode()
    facts, answers = plan_step(page, "facts"), plan_step(page, "answers")
    assert "is-overdue" in facts and "Overdue" in facts and "overdue by 3" in facts
    assert "Overdue" not in answers and "is-overdue" not in answers
    assert "Check, approve and publish the preliminary report" in page


def test_the_dashboard_lists_overdue_steps_of_every_incident(desk, resolved):
    assert "Overdue after-incident steps" not in desk.get("/desk/").content.decode()
    PlanItem.objects.filter(incident=resolved, step="answers").update(
        due_at=timezone.now() - timedelta(days=1)
    )
    page = desk.get("/desk/").content.decode()
    table = page[page.index("Overdue after-incident steps") :]
    assert "Invoice emails delivered late" in table
    assert "Day 2: answers to the questions customers keep asking" in table
    assert "Day 3" not in table  # not due yet


def test_the_desk_form_refuses_an_empty_reason_and_keeps_the_page(desk, resolved):
    cause = item(resolved)
    response = desk.post(f"/desk/plan-items/{cause.public_id}/not-needed/", {"reason": " "})
    assert response.status_code == 422
    assert "Say why this step is not needed." in response.content.decode()
    assert item(resolved).state == "open"


def test_the_desk_form_closes_the_step(desk, resolved):
    cause = item(resolved)
    response = desk.post(
        f"/desk/plan-items/{cause.public_id}/not-needed/", {"reason": REASON}, follow=True
    )
    page = response.content.decode()
    assert "Day 3: the cause in plain words marked not needed." in page
    assert REASON in page
    assert item(resolved).state == "not_needed"


def test_a_viewer_sees_the_plan_but_no_form(client, people, resolved):
    client.force_login(people["support"])
    page = client.get(f"/desk/incidents/{resolved.pk}/").content.decode()
    assert "First-week plan" in page and "Mark not needed" not in page
    cause = item(resolved)
    with nothing_changes():
        response = client.post(
            f"/desk/plan-items/{cause.public_id}/not-needed/", {"reason": REASON}
        )
    assert response.status_code == 403
