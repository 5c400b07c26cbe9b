"""Check a text as the desk would, from any tool: the same JSON as `clearline check`."""

from typing import Literal

from ninja import Field, Router, Schema

from clearline.accounts.api import requires
from clearline.checks import KINDS, check
from clearline.checks.catalog import SEVERITIES
from clearline.core import limits
from clearline.core.api import Timestamp, reads
from clearline.incidents.api import incident_or_404
from clearline.updates import checking

router = Router(tags=["checks"])

Kind = Literal[KINDS]  # type: ignore[valid-type]
Severity = Literal[SEVERITIES]  # type: ignore[valid-type]


class CheckIn(Schema):
    text: limits.text(limits.CHECKED_TEXT)
    kind: Kind | None = Field(
        None,
        description="Defaults to the kind the incident's next update would be, or `update` "
        "without an incident.",
    )
    incident: str | None = Field(
        None,
        description="An incident's id: check against its facts ledger and status as well.",
    )
    next_update_due: Timestamp | None = Field(
        None,
        description="With an incident: the next update time the update promises; the next "
        "update time written in the text must match it.",
    )


class FindingOut(Schema):
    rule: str
    code: str
    severity: Severity
    message: str
    start: int | None
    end: int | None
    suggestion: str | None


class ReaderTestOut(Schema):
    what_happened: str | None
    who_is_affected: str | None
    next_update: str | None


class StatsOut(Schema):
    words: int
    sentences: int
    grade: float


class ReportOut(Schema):
    kind: Kind
    findings: list[FindingOut]
    reader_test: ReaderTestOut
    stats: StatsOut


@router.post("/checks", response=reads(ReportOut), auth=requires("updates.add_update"))
def check_text(request, payload: CheckIn):
    """Check a text with the organisation's settings and everything published before; with an
    incident, also against its facts ledger and current status. Nothing is stored."""
    if payload.incident is None:
        report = check(
            payload.text,
            kind=payload.kind or "update",
            config=checking.config(),
            history=checking.history_index(),
        )
    else:
        incident = incident_or_404(payload.incident)
        report = checking.check_draft(
            incident=incident,
            body=payload.text,
            kind=payload.kind,
            next_update_due=payload.next_update_due,
        )
    return report.to_dict()
