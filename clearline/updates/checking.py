"""The checks as the application runs them: one entry point for the editor, the API and publish.

The engine (`clearline.checks`) knows nothing of Django; this module hands it what the
application knows — the organisation's settings, everything published before (for CL119), and
the incident's facts ledger and status (for the application rules).
"""

import hashlib
from datetime import UTC

from clearline.checks import CheckConfig, Report, check
from clearline.incidents.models import Incident, IncidentStatus
from clearline.updates.models import Audience, Update, UpdateState


def kind_for(incident: Incident, status: str) -> str:
    """Which kind of text an update is: the first public word, a progress update, or the fix."""
    if status == IncidentStatus.RESOLVED:
        return "resolved"
    published = Update.objects.filter(
        incident=incident, state=UpdateState.PUBLISHED, audience=Audience.PUBLIC
    )
    return "update" if published.exists() else "first"


def config() -> CheckConfig:
    """The organisation's check settings (glossary, targets, phrases, severities)."""
    return CheckConfig()


def history(*, exclude_incident: Incident | None = None) -> list[str]:
    """Texts published before for other incidents: what CL119 compares a draft against."""
    published = Update.objects.filter(state=UpdateState.PUBLISHED, audience=Audience.PUBLIC)
    if exclude_incident is not None:
        published = published.exclude(incident=exclude_incident)
    return list(published.values_list("body", flat=True))


def check_draft(*, incident: Incident, body: str, status: str | None = None) -> Report:
    """Check the text of an update to `incident` as it would go out now."""
    status = status or incident.status
    return check(
        body,
        kind=kind_for(incident, status),
        config=config(),
        history=history(exclude_incident=incident),
    )


def content_hash(*, body: str, status: str, next_update_due) -> str:
    """What an approval is bound to: the exact words, the status and the promised time."""
    due = next_update_due.astimezone(UTC).isoformat(timespec="seconds") if next_update_due else ""
    material = "\x1f".join([status, due, body.strip()])
    return hashlib.sha256(material.encode()).hexdigest()
