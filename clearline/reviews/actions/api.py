"""Private API for action items: list and add per incident, read, change and close one, and
every item across incidents; lists also as CSV (`?format=csv`)."""

from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from clearline.accounts.api import requires
from clearline.accounts.selectors import active_user
from clearline.core import limits
from clearline.core.api import Timestamp, arguments, error_body, found, reads, writes
from clearline.core.errors import ClearlineError
from clearline.incidents.api import incident_or_404
from clearline.reviews.actions import export, selectors, services
from clearline.reviews.actions.rules import ActionRefused
from clearline.reviews.models import ActionCategory, ActionItem, ActionStatus

router = Router(tags=["action items"])

ExportFormat = Literal["json", "csv"]
# The lists answer JSON, or CSV for a spreadsheet when asked.
AS_CSV = {
    "responses": {
        200: {
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": ",".join(export.COLUMNS) + "\n",
                }
            }
        }
    }
}


class ActionItemOut(Schema):
    id: str
    incident: str = Field(description="The incident's id.")
    incident_title: str
    outcome: str = Field(description="The one change the item delivers.")
    category: ActionCategory
    owner: str = Field(description="Username of the one owner.")
    owner_name: str
    due_date: date
    status: ActionStatus
    overdue: bool = Field(
        description="Open or in progress, and the due date has passed in the organisation's zone."
    )
    override_reason: str = Field(
        description="Why an outcome the checks call vague (CL153) was kept as written."
    )
    evidence_url: str = Field(description="Evidence the change works: a link.")
    evidence_note: str = Field(description="Evidence the change works: a note.")
    wont_do_reason: str
    created_by: str | None = Field(description="Empty when clearline itself added it.")
    created_at: Timestamp
    closed_by: str | None
    closed_at: Timestamp | None
    desk_url: str = Field(description="The item on the incident's desk page.")


Outcome = limits.text(limits.ACTION_OUTCOME)
OverrideReason = limits.text(limits.OVERRIDE_REASON)
Note = limits.text(limits.ACTION_NOTE)


class ActionItemIn(Schema):
    """Outcome, owner and due date are required: leaving one out is refused as CL151."""

    outcome: Outcome | None = Field(
        None, description="One clear outcome, three words or more (CL151); not vague (CL153)."
    )
    owner: str | None = Field(None, description="Username of one active person with a role.")
    due_date: date | None = Field(
        None, description="YYYY-MM-DD, today or later in the organisation's zone."
    )
    category: ActionCategory | None = None
    override_reason: OverrideReason = Field(
        "", description="Required when the checks call the outcome vague (CL153): why it stays."
    )


class ActionItemPatch(Schema):
    """Send only what changes; a field left out keeps its value."""

    outcome: Outcome | None = None
    owner: str | None = Field(None, description="Username.")
    due_date: date | None = None
    category: ActionCategory | None = None
    status: Literal["open", "in_progress"] | None = Field(
        None, description="Close an item with POST /api/actions/{id}/close instead."
    )
    override_reason: OverrideReason | None = None


class CloseIn(Schema):
    status: Literal["done", "wont_do"] = Field(
        "done", description="done needs evidence (a link, a note or both); wont_do a reason."
    )
    evidence_url: limits.text(limits.EVIDENCE_LINK) = ""
    evidence_note: Note = ""
    wont_do_reason: Note = ""


def _owner(username: str | None):
    if username is None:
        return None
    user = active_user(username)
    if user is None:
        raise ClearlineError(f"No active user is called {username!r}.", field="owner")
    return user


def _item(public_id: str) -> ActionItem:
    return found(selectors.action_item(public_id), "action item", public_id)


def _answer(items, format: str):
    if format == "csv":
        response = HttpResponse(export.to_csv(items), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="action-items.csv"'
        return response
    return export.documents(items)


def _one(public_id: str) -> dict:
    return export.documents([_item(public_id)])[0]


def _refused(refusal: ActionRefused) -> Status:
    """422 naming the field, with the rule's finding as the checks API gives it."""
    body = error_body(
        refusal.message, [(refusal.field, refusal.message)], findings=[refusal.finding.to_dict()]
    )
    return Status(refusal.status, body)


@router.get(
    "/incidents/{incident_id}/actions",
    response=reads(list[ActionItemOut]),
    auth=requires("reviews.view_actionitem"),
    openapi_extra=AS_CSV,
)
def list_incident_actions(request, incident_id: str, format: ExportFormat = "json"):
    """The incident's action items, soonest due first; `format=csv` for a spreadsheet."""
    return _answer(selectors.action_items(incident=incident_or_404(incident_id)), format)


@router.post(
    "/incidents/{incident_id}/actions",
    response=writes(ActionItemOut, 201),
    auth=requires("reviews.add_actionitem"),
)
def add_action_item(request, incident_id: str, payload: ActionItemIn):
    """Add an action item. Refused with 422 and the check's finding when it lacks an outcome,
    an owner or a due date (CL151), or its outcome is vague (CL153) and no `override_reason`
    says why it stays. The tracker, if one is configured, hears `action_item.created`."""
    incident = incident_or_404(incident_id)
    fields = arguments(payload)
    fields["owner"] = _owner(fields["owner"])
    try:
        item = services.create_action_item(incident=incident, by=request.auth, **fields)
    except ActionRefused as refusal:
        return _refused(refusal)
    return Status(201, _one(item.public_id))


@router.get(
    "/actions",
    response=reads(list[ActionItemOut]),
    auth=requires("reviews.view_actionitem"),
    openapi_extra=AS_CSV,
)
def list_action_items(
    request,
    status: ActionStatus | None = None,
    overdue: bool | None = None,
    incident: str | None = None,
    format: ExportFormat = "json",
):
    """Every incident's action items (drills and internal incidents too), soonest due first:
    filter by `status`, by `overdue`, by `incident` (its id); `format=csv` for a spreadsheet."""
    chosen = incident_or_404(incident) if incident is not None else None
    items = selectors.action_items(incident=chosen, status=status, overdue=overdue)
    return _answer(items, format)


@router.get(
    "/actions/{action_id}", response=reads(ActionItemOut), auth=requires("reviews.view_actionitem")
)
def get_action_item(request, action_id: str):
    return _one(action_id)


@router.patch(
    "/actions/{action_id}",
    response=writes(ActionItemOut),
    auth=requires("reviews.change_actionitem"),
)
def edit_action_item(request, action_id: str, payload: ActionItemPatch):
    """Change what the payload names. A closed item is 409; a changed outcome is checked again
    (422 with the finding when CL151 or CL153 refuse it)."""
    item = _item(action_id)
    fields = arguments(payload, payload.model_fields_set)
    if "owner" in fields:
        fields["owner"] = _owner(fields["owner"])
    try:
        services.edit_action_item(item=item, by=request.auth, **fields)
    except ActionRefused as refusal:
        return _refused(refusal)
    return _one(action_id)


@router.post(
    "/actions/{action_id}/close",
    response=writes(ActionItemOut),
    auth=requires("reviews.change_actionitem"),
)
def close_action_item(request, action_id: str, payload: CloseIn):
    """Close as `done` with evidence that the change works, or as `wont_do` with the reason.
    A closed item is 409. The tracker, if one is configured, hears `action_item.closed`."""
    services.close_action_item(item=_item(action_id), by=request.auth, **arguments(payload))
    return _one(action_id)
