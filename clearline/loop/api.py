"""Private API for closing the loop: key accounts, their links to incidents, follow-ups, and
questions asked after the resolution (answered as addenda through the updates API)."""

from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from clearline.accounts.api import requires
from clearline.core import limits
from clearline.core.api import Timestamp, arguments, found, reads, writes
from clearline.core.errors import ClearlineError
from clearline.incidents.api import incident_or_404
from clearline.loop import accounts, followups, questions, selectors
from clearline.loop.models import FollowUp, IncidentAccount, KeyAccount, LateQuestion, Tier

router = Router(tags=["closing the loop"])

AS_CSV = {
    "responses": {
        200: {
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": ",".join(accounts.COLUMNS) + "\n",
                }
            }
        }
    }
}


class KeyAccountOut(Schema):
    id: str
    name: str
    tier: Tier
    renewal_date: date | None
    owner: str = Field(description="Username of the account owner.")
    notes: str


class KeyAccountIn(Schema):
    name: limits.text(limits.SIGNAL_ACCOUNT)
    owner: str = Field(description="Username or email address of an active person with a role.")
    tier: Tier = Tier.ENTERPRISE
    renewal_date: date | None = None
    notes: limits.text(limits.ACTION_NOTE) = ""


class ImportIn(Schema):
    csv: str = Field(
        description="The file's text: a header row naming name, owner and optionally tier, "
        "renewal_date (YYYY-MM-DD) and notes."
    )


class ImportOut(Schema):
    added: int
    changed: int


class LinkOut(Schema):
    account: KeyAccountOut
    source: Literal["signal", "hand"]
    linked_at: Timestamp


class LinkIn(Schema):
    account: str = Field(description="The key account's id.")


class UnlinkedOut(Schema):
    account: KeyAccountOut
    follow_up: Literal["removed", "kept"] | None = Field(
        description="What became of the account's follow-up on this incident: removed (it was "
        "open, and owed only because of the link), kept (it was done: it stays as history), or "
        "null (none had started)."
    )


class FollowUpOut(Schema):
    id: str
    incident: str
    account: str = Field(description="The key account's name.")
    owner: str
    due_date: date
    state: Literal["open", "done"]
    overdue: bool = Field(description="Open, and its due day is over in the organisation's zone.")
    note: str
    done_at: Timestamp | None
    starting_text: str | None = Field(
        description="The latest approved customer text to start from: the published incident "
        "report, else the preliminary report, else the resolution."
    )


class FollowUpPatch(Schema):
    """Send only what changes; a field left out keeps its value."""

    owner: str | None = Field(
        None, description="Username or email address of an active person with a role."
    )
    due_date: date | None = Field(
        None, description="A day in the organisation's zone: today or later."
    )


class DoneIn(Schema):
    note: limits.text(limits.ACTION_NOTE) = Field(description="What was said; required.")


class QuestionOut(Schema):
    id: str
    text: str = Field(description="As the customer asked it; never shown in public.")
    account: str
    asked_at: Timestamp
    state: Literal["open", "draft", "approved", "published"] = Field(
        description="Where the answer stands: none yet, drafted, approved or published."
    )
    addendum: str | None = Field(
        description="The answer's update id: approve and publish it with the updates API."
    )
    published_at: Timestamp | None


class QuestionIn(Schema):
    text: limits.text(limits.SIGNAL_TEXT)
    account: limits.text(limits.SIGNAL_ACCOUNT) = ""
    asked_at: Timestamp | None = None


class AnswerIn(Schema):
    body: limits.text(limits.UPDATE_BODY) = Field(
        description="The answer as customers will read it under the heading 'Addendum, <date>'."
    )


def _account(account: KeyAccount) -> dict:
    return {
        "id": account.public_id,
        "name": account.name,
        "tier": account.tier,
        "renewal_date": account.renewal_date,
        "owner": account.owner.get_username(),
        "notes": account.notes,
    }


def _link(link: IncidentAccount) -> dict:
    return {"account": _account(link.account), "source": link.source, "linked_at": link.linked_at}


def _follow_up(item: FollowUp, start) -> dict:
    return {
        "id": item.public_id,
        "incident": item.incident.public_id,
        "account": item.account.name,
        "owner": item.owner.get_username(),
        "due_date": item.due_date,
        "state": item.state,
        "overdue": item.overdue,
        "note": item.note,
        "done_at": item.done_at,
        "starting_text": start.update.body if start else None,
    }


def _question(question: LateQuestion) -> dict:
    addendum = question.addendum
    return {
        "id": question.public_id,
        "text": question.text,
        "account": question.account,
        "asked_at": question.asked_at,
        "state": selectors.question_state(question),
        "addendum": addendum.public_id if addendum else None,
        "published_at": addendum.published_at if addendum else None,
    }


def _owner(value: str):
    owner = accounts.owner_named(value)
    if owner is None:
        raise ClearlineError(f"No active person with a role is called {value!r}.", field="owner")
    return owner


@router.get(
    "/accounts",
    response=reads(list[KeyAccountOut]),
    auth=requires("loop.view_keyaccount"),
    openapi_extra=AS_CSV,
)
def list_key_accounts(
    request,
    format: Literal["json", "csv"] = "json",
    name: limits.text(limits.SIGNAL_ACCOUNT) = "",
):
    """Every key account by name, or those whose name contains `name` (case and spacing do
    not matter); `format=csv` in the import's columns."""
    rows = selectors.key_accounts(named=name)
    if format == "csv":
        response = HttpResponse(
            accounts.export_key_accounts(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="key-accounts.csv"'
        return response
    return [_account(account) for account in rows]


@router.post("/accounts", response=writes(KeyAccountOut, 201), auth=requires("loop.add_keyaccount"))
def add_key_account(request, payload: KeyAccountIn):
    """Add a key account; a name already taken, in any case or spacing, is 400."""
    account = accounts.save_key_account(
        by=request.auth,
        name=payload.name,
        owner=_owner(payload.owner),
        tier=payload.tier,
        renewal_date=payload.renewal_date,
        notes=payload.notes,
    )
    return Status(201, _account(account))


@router.post(
    "/accounts/import", response=writes(ImportOut), auth=requires("loop.change_keyaccount")
)
def import_key_accounts(request, payload: ImportIn):
    """Add or update key accounts from CSV, matched by name. Any bad row imports nothing: 400
    with one error per problem, its field named `row N: column`."""
    try:
        added, changed = accounts.import_key_accounts(by=request.auth, text=payload.csv)
    except accounts.ImportRefused as refused:
        errors = [
            {"field": f"row {row}: {field}", "message": message}
            for row, field, message in refused.problems
        ]
        return Status(400, {"detail": refused.message, "errors": errors})
    return {"added": added, "changed": changed}


@router.get(
    "/incidents/{incident_id}/accounts",
    response=reads(list[LinkOut]),
    auth=requires("loop.view_incidentaccount"),
)
def list_incident_accounts(request, incident_id: str):
    """The key accounts the incident touched: named in its customer signal, or linked by hand."""
    return [_link(link) for link in selectors.linked_accounts(incident_or_404(incident_id))]


@router.post(
    "/incidents/{incident_id}/accounts",
    response=writes(LinkOut, 201),
    auth=requires("loop.add_incidentaccount"),
)
def link_incident_account(request, incident_id: str, payload: LinkIn):
    """Link a key account by hand; on a resolved incident its owner's follow-up starts at once."""
    incident = incident_or_404(incident_id)
    account = found(selectors.key_account(payload.account), "key account", payload.account)
    linked = accounts.link_account(incident=incident, account=account, by=request.auth)
    return Status(201, _link(linked.link))


@router.delete(
    "/incidents/{incident_id}/accounts/{account_id}",
    response=writes(UnlinkedOut),
    auth=requires("loop.delete_incidentaccount"),
)
def unlink_incident_account(request, incident_id: str, account_id: str):
    """Take back a link made by mistake. The account's open follow-up on this incident goes with
    it; one already done stays as history. An account not linked to the incident is 404."""
    incident = incident_or_404(incident_id)
    link = found(selectors.linked_account(incident, account_id), "linked key account", account_id)
    unlinked = accounts.unlink_account(incident=incident, account=link.account, by=request.auth)
    return {"account": _account(unlinked.account), "follow_up": unlinked.follow_up}


@router.get(
    "/incidents/{incident_id}/followups",
    response=reads(list[FollowUpOut]),
    auth=requires("loop.view_followup"),
)
def list_follow_ups(request, incident_id: str):
    """The incident's follow-ups, open ones first, soonest due first."""
    incident = incident_or_404(incident_id)
    start = selectors.starting_text(incident)
    return [
        _follow_up(item, start)
        for item in selectors.listed(selectors.follow_ups(incident=incident))
    ]


@router.post(
    "/followups/{follow_up_id}/done",
    response=writes(FollowUpOut),
    auth=requires("loop.view_followup"),
)
def complete_follow_up(request, follow_up_id: str, payload: DoneIn):
    """Mark a follow-up done with a note. Its owner may, whatever their role; otherwise
    responders and above. One already done is 409."""
    item = found(selectors.follow_up(follow_up_id), "follow-up", follow_up_id)
    followups.complete_follow_up(follow_up=item, by=request.auth, note=payload.note)
    [item] = selectors.listed([selectors.follow_up(follow_up_id)])
    return _follow_up(item, selectors.starting_text(item.incident))


@router.patch(
    "/followups/{follow_up_id}",
    response=writes(FollowUpOut),
    auth=requires("loop.change_followup"),
)
def change_follow_up(request, follow_up_id: str, payload: FollowUpPatch):
    """Hand an open follow-up to another owner, or move its due date (today or later). One
    already done is 409."""
    item = found(selectors.follow_up(follow_up_id), "follow-up", follow_up_id)
    fields = arguments(payload, payload.model_fields_set)
    if fields.get("owner") is not None:
        fields["owner"] = _owner(fields["owner"])
    followups.change_follow_up(follow_up=item, by=request.auth, **fields)
    [item] = selectors.listed([selectors.follow_up(follow_up_id)])
    return _follow_up(item, selectors.starting_text(item.incident))


@router.get(
    "/incidents/{incident_id}/questions",
    response=reads(list[QuestionOut]),
    auth=requires("loop.view_latequestion"),
)
def list_late_questions(request, incident_id: str):
    """Questions asked after the resolution, oldest first, with where each answer stands."""
    return [_question(q) for q in selectors.late_questions(incident_or_404(incident_id))]


@router.post(
    "/incidents/{incident_id}/questions",
    response=writes(QuestionOut, 201),
    auth=requires("loop.add_latequestion"),
)
def log_late_question(request, incident_id: str, payload: QuestionIn):
    """Log a question a customer asked after the resolution; 409 while the incident is not
    resolved (the customer signal takes questions then). A key account it names is linked."""
    question = questions.log_late_question(
        incident=incident_or_404(incident_id),
        by=request.auth,
        text=payload.text,
        account=payload.account,
        asked_at=payload.asked_at,
    )
    return Status(201, _question(question))


@router.post(
    "/incidents/{incident_id}/questions/{question_id}/answer",
    response=writes(QuestionOut, 201),
    auth=requires("updates.add_update"),
)
def draft_answer(request, incident_id: str, question_id: str, payload: AnswerIn):
    """Draft the public answer: an update of kind `addendum`. An approver approves it
    (`POST /api/updates/{id}/approve`) and it is published (`POST /api/updates/{id}/publish`)
    on the incident's page under "Addendum, <date>" and to the incident's subscribers and those
    who follow everything. A second answer to one question is 409."""
    incident = incident_or_404(incident_id)
    question = found(selectors.late_question(incident, question_id), "question", question_id)
    questions.draft_answer(question=question, by=request.auth, body=payload.body)
    return Status(201, _question(selectors.late_question(incident, question_id)))
