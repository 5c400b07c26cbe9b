"""Private API for the first-week plan and the preliminary report.

The report itself is an update: read, edit, approve and publish it with the update operations.
"""

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from clearline.accounts.api import requires
from clearline.core import limits
from clearline.core.api import Timestamp, found, reads, writes
from clearline.incidents.api import incident_or_404
from clearline.reviews import plan, preliminary, selectors
from clearline.reviews.models import PlanItem, PlanItemState, PlanStep
from clearline.updates.api import UpdateOut

router = Router(tags=["after the incident"])


class PlanItemOut(Schema):
    id: str
    incident: str = Field(description="The incident's id.")
    step: PlanStep = Field(
        description="`facts` (day 1), `answers` (day 2), `cause` (day 3), `prevention` "
        "(days 4–5), `process` (day 7)."
    )
    title: str
    detail: str
    owner: str | None = Field(description="The username of who owns the step.")
    due_at: Timestamp
    overdue: bool = Field(description="Still open after its due time.")
    state: PlanItemState
    reason: str = Field(description="Why the step is not needed; empty otherwise.")
    done_at: Timestamp | None = Field(description="When the step was done or marked not needed.")
    completed_by: str | None = Field(description="The id of the update that completed it.")
    completion_note: str = Field(description="What completed the step.")
    closed_by: str | None = Field(description="Who marked it not needed; empty for clearline.")

    @staticmethod
    def resolve_id(item: PlanItem) -> str:
        return item.public_id

    @staticmethod
    def resolve_incident(item: PlanItem) -> str:
        return item.incident.public_id

    @staticmethod
    def resolve_owner(item: PlanItem) -> str | None:
        return item.owner.get_username() if item.owner else None

    @staticmethod
    def resolve_overdue(item: PlanItem) -> bool:
        return item.is_overdue(timezone.now())

    @staticmethod
    def resolve_completed_by(item: PlanItem) -> str | None:
        return item.completed_by.public_id if item.completed_by else None

    @staticmethod
    def resolve_closed_by(item: PlanItem) -> str | None:
        return item.closed_by.get_username() if item.closed_by else None


class NotNeededIn(Schema):
    reason: limits.text(limits.PLAN_REASON) = Field(
        description="Why the incident does not need this step; kept with the step and in the "
        "audit log."
    )


@router.get(
    "/incidents/{incident_id}/plan",
    response=reads(list[PlanItemOut]),
    auth=requires("reviews.view_planitem"),
)
def get_plan(request, incident_id: str):
    """The incident's first-week plan, created when it was resolved; empty before that.
    Each step has an owner and a due time; open steps past it are `overdue`."""
    return selectors.plan_of(incident_or_404(incident_id))


@router.post(
    "/plan-items/{item_id}/not-needed",
    response=writes(PlanItemOut),
    auth=requires("reviews.change_planitem"),
)
def mark_not_needed(request, item_id: str, payload: NotNeededIn):
    """Close an open step the incident does not need, saying why (409 when it is closed)."""
    item = found(selectors.plan_item(item_id), "plan item", item_id)
    return plan.mark_not_needed(item=item, by=request.auth, reason=payload.reason)


@router.post(
    "/incidents/{incident_id}/preliminary-report",
    response={200: UpdateOut, **writes(UpdateOut, 201)},
    auth=requires("updates.add_update"),
)
def draft_preliminary_report(request, incident_id: str):
    """Draft the resolved incident's preliminary report from its record (clearline drafts it
    on resolution; this is for an incident resolved before, or when that did not happen).
    Answers 201 with the draft, or 200 with the report already written (409 if unresolved)."""
    incident = incident_or_404(incident_id)
    existed = preliminary.preliminary_report(incident) is not None
    report = preliminary.draft_preliminary_report(incident=incident, by=request.auth)
    return Status(200 if existed else 201, report)
