"""Private API for composed updates: the text from the facts, and a draft when asked."""

from datetime import date
from enum import StrEnum

from ninja import Field, Router, Schema, Status

from clearline.accounts.api import requires
from clearline.checks import Report
from clearline.core import limits
from clearline.core.api import Timestamp, arguments, writes
from clearline.incidents.api import incident_or_404
from clearline.incidents.models import IncidentStatus
from clearline.updates import compose, selectors
from clearline.updates.api import UpdateOut
from clearline.updates.checking import check_draft
from clearline.updates.checks_api import FindingOut

router = Router(tags=["updates"])


class ComposeKind(StrEnum):
    FIRST = compose.FIRST
    UPDATE = compose.PROGRESS
    RESOLVED = compose.RESOLVED


Fact = limits.text(limits.COMPOSE_FIELD)
Lead = limits.text(limits.COMPOSE_LEAD)


class ComposeIn(Schema):
    """The facts of the update. A field left out is taken from the incident record where it
    holds one (who is affected, what still works, start, commander, cadence)."""

    kind: ComposeKind = Field(description="first, update (progress) or resolved.")
    symptom: Fact | None = Field(None, description="What customers experience.")
    who: Fact | None = Field(None, description="Who is affected.")
    still_works: Fact | None = None
    started_at: Timestamp | None = None
    lead: Lead | None = Field(None, description="Who leads the response.")
    action: Fact | None = Field(None, description="What customers can do meanwhile.")
    next_update_minutes: int | None = Field(
        None, description="Minutes to the next update; defaults to the cadence for the impact."
    )
    news: Fact | None = Field(None, description="What changed, or what is known now.")
    status: IncidentStatus | None = None
    fixed_at: Timestamp | None = None
    verification: Fact | None = Field(None, description="How the fix was checked.")
    safe: Fact | None = Field(None, description="What stayed safe.")
    report_by: date | None = Field(None, description="The day of the full report.")


class ComposedOut(Schema):
    text: str
    kind: ComposeKind
    template: str = Field(description="Which template wrote it; the next update takes another.")
    status: IncidentStatus
    next_update_due: Timestamp | None
    findings: list[FindingOut] = Field(description="What the checks find in the text.")
    update: UpdateOut | None = Field(None, description="The draft, when one was asked for.")


@router.post(
    "/incidents/{incident_id}/compose",
    response=writes(ComposedOut, 200) | {201: ComposedOut},
    auth=requires("updates.add_update"),
)
def compose_update(request, incident_id: str, payload: ComposeIn, draft: bool = False):
    """Write the text of an update from its facts; with `?draft=true`, save it as a draft too."""
    incident = incident_or_404(incident_id)
    kind = str(payload.kind)
    # The values as read (a model dump would turn the times back into strings).
    given = {k: v for k, v in arguments(payload).items() if k != "kind" and v is not None}
    fields = compose.initial_fields(incident, kind) | given
    composed = compose.compose(incident=incident, kind=kind, fields=fields)
    report: Report = check_draft(
        incident=incident,
        body=composed.text,
        status=composed.status,
        next_update_due=composed.next_update_due,
    )
    body = {
        "text": composed.text,
        "kind": composed.kind,
        "template": composed.template,
        "status": composed.status,
        "next_update_due": composed.next_update_due,
        "findings": [f.to_dict() for f in report.findings],
        "update": None,
    }
    if not draft:
        return body
    update = compose.save_draft(incident=incident, by=request.auth, composed=composed)
    return Status(201, {**body, "update": selectors.update(update.public_id)})
