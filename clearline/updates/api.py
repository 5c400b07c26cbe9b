"""Private API for updates: draft, edit with a version check, approve, publish."""

from ninja import Field, Router, Schema, Status

from clearline.accounts.api import requires
from clearline.core import limits
from clearline.core.api import Timestamp, arguments, error_body, found, reads, writes
from clearline.core.errors import Conflict
from clearline.incidents.api import incident_or_404
from clearline.incidents.models import IncidentStatus
from clearline.updates import selectors, services
from clearline.updates.models import Audience, Update, UpdateKind, UpdateState

router = Router(tags=["updates"])


class ApprovalOut(Schema):
    approver: str | None = Field(description="Empty when clearline itself approved.")
    approved_at: Timestamp | None
    content_hash: str = Field(description="The content hash that was approved.")
    holds: bool = Field(description="Whether the text still matches what was approved.")
    override_reason: str = Field(description="Why check errors were let through, if any were.")
    overridden_codes: list[str] = Field(description="The codes of the overridden check errors.")


class UpdateOut(Schema):
    id: str
    incident: str = Field(description="The incident's id.")
    status: IncidentStatus = Field(description="The incident's status as of this update.")
    kind: UpdateKind = Field(
        description="`update` for the stream of updates; `preliminary` for the preliminary "
        "report drafted on resolution, which is approved and published the same way but moves "
        "no status and promises no next update."
    )
    body: str
    audience: Audience
    state: UpdateState
    next_update_due: Timestamp | None
    author: str | None
    approver: str | None
    approved_at: Timestamp | None
    published_at: Timestamp | None
    version: int = Field(description="Send it back when editing; every edit raises it.")
    content_hash: str = Field(
        description="The hash of the text, status and promised time; send it back to approve."
    )
    approval: ApprovalOut | None = Field(description="Empty until someone approves the text.")
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_id(update: Update) -> str:
        return update.public_id

    @staticmethod
    def resolve_incident(update: Update) -> str:
        return update.incident.public_id

    @staticmethod
    def resolve_author(update: Update) -> str | None:
        return update.author.get_username() if update.author else None

    @staticmethod
    def resolve_approver(update: Update) -> str | None:
        return update.approver.get_username() if update.approver else None

    @staticmethod
    def resolve_content_hash(update: Update) -> str:
        return services.content_hash_of(update)

    @staticmethod
    def resolve_approval(update: Update) -> dict | None:
        if not update.approved_hash:
            return None
        return {
            "approver": UpdateOut.resolve_approver(update),
            "approved_at": update.approved_at,
            "content_hash": update.approved_hash,
            "holds": services.approval_holds(update),
            "override_reason": update.override_reason,
            "overridden_codes": update.overridden_codes,
        }


Body = limits.text(limits.UPDATE_BODY)


class UpdateIn(Schema):
    body: Body
    status: IncidentStatus | None = Field(None, description="Defaults to the incident's status.")
    audience: Audience = Audience.PUBLIC
    next_update_due: Timestamp | None = Field(
        None, description="Defaults, on publish, to the organisation's cadence for the impact."
    )


class ApprovalIn(Schema):
    content_hash: str = Field(description="The `content_hash` of the text you read.")
    override_reason: limits.text(limits.OVERRIDE_REASON) = Field(
        "", description="Required when the checks find errors: why the text goes out anyway."
    )


class UpdatePatch(Schema):
    version: int = Field(description="The version you loaded; a stale one is refused with 409.")
    body: Body | None = None
    status: IncidentStatus | None = None
    next_update_due: Timestamp | None = None


class PublishIn(Schema):
    notify: bool = Field(
        True,
        description="Tell the status page's subscribers (Statuspage's \"send notifications\"). "
        "Drills and internal updates never notify, whatever this says.",
    )


def _update(public_id: str) -> Update:
    return found(selectors.update(public_id), "update", public_id)


@router.get(
    "/incidents/{incident_id}/updates",
    response=reads(list[UpdateOut]),
    auth=requires("updates.view_update"),
)
def list_updates(request, incident_id: str):
    """Every update of the incident, drafts and internal ones included, newest first."""
    return selectors.updates(incident_or_404(incident_id))


@router.post(
    "/incidents/{incident_id}/updates",
    response=writes(UpdateOut, 201),
    auth=requires("updates.add_update"),
)
def draft_update(request, incident_id: str, payload: UpdateIn):
    """Write a draft. It stays private until published."""
    incident = incident_or_404(incident_id)
    update = services.draft_update(incident=incident, by=request.auth, **arguments(payload))
    return Status(201, _update(update.public_id))


@router.get("/updates/{update_id}", response=reads(UpdateOut), auth=requires("updates.view_update"))
def get_update(request, update_id: str):
    return _update(update_id)


@router.patch(
    "/updates/{update_id}", response=writes(UpdateOut), auth=requires("updates.change_update")
)
def edit_update(request, update_id: str, payload: UpdatePatch):
    """Change a draft. A stale `version` gets 409 with the stored draft in `current`."""
    update = _update(update_id)
    try:
        services.edit_update(update=update, by=request.auth, **arguments(payload))
    except Conflict as conflict:
        return _conflict(conflict, update_id, "version")
    return _update(update_id)


@router.post(
    "/updates/{update_id}/publish",
    response=writes(UpdateOut),
    auth=requires("updates.publish_update"),
)
def publish_update(request, update_id: str, payload: PublishIn | None = None):
    """Publish through the one publish path: the status page, JSON and feeds follow within a
    second, and subscribers are told unless `notify` is false. The body may be left out.

    Only approved text is published: unapproved text, or text changed since its approval, gets
    409; check errors the approval did not override get 422. Both carry the check `findings`.
    """
    notify = payload.notify if payload is not None else True
    try:
        update = services.publish_update(update=_update(update_id), by=request.auth, notify=notify)
    except services.Refused as refusal:
        return _refused(refusal)
    return _update(update.public_id)


@router.post(
    "/updates/{update_id}/approve",
    response=writes(UpdateOut),
    auth=requires("updates.change_update"),
)
def approve_update(request, update_id: str, payload: ApprovalIn):
    """Approve the text you read, named by its `content_hash`. For approvers and the incident's
    commander. If the text changed since, 409 with the stored update in `current`; if the checks
    find errors, 422 unless `override_reason` says why it goes out anyway."""
    update = _update(update_id)
    try:
        services.approve_update(update=update, by=request.auth, **arguments(payload))
    except Conflict as conflict:
        return _conflict(conflict, update_id, "content_hash")
    except services.Refused as refusal:
        return _refused(refusal)
    return _update(update_id)


def _conflict(conflict: Conflict, update_id: str, field: str) -> Status:
    """409 naming what went stale, with the update as stored now in `current`."""
    current = UpdateOut.from_orm(_update(update_id)).model_dump()
    return Status(409, error_body(conflict.message, [(field, conflict.message)], current=current))


def _refused(refusal: services.Refused) -> Status:
    errors = [(refusal.field, refusal.message)] if refusal.field else []
    errors += [("body", f"{f.code} {f.rule}: {f.message}") for f in refusal.errors]
    findings = [f.to_dict() for f in refusal.report.findings] if refusal.report else []
    return Status(refusal.status, error_body(refusal.message, errors, findings=findings))
