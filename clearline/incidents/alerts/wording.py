"""How alert deliveries read on the timeline: times in UTC, short bullet lists, impact order."""

from collections.abc import Iterable
from datetime import UTC, datetime

IMPACT_ORDER = ["none", "minor", "major", "critical"]

# A source's default components take the status that matches the incident's impact.
COMPONENT_STATUS_FOR_IMPACT = {
    "critical": "major_outage",
    "major": "partial_outage",
    "minor": "degraded_performance",
    "none": "degraded_performance",
}

DRAFT_NOTE = (
    "Opened automatically as an internal draft: nothing reaches the status page until someone "
    "decides to publish an update."
)
NOT_RESOLVED_NOTE = (
    "clearline has not resolved this incident: resolving needs a person to check the fix and "
    "publish a verified update."
)


def worst(impacts: Iterable[str | None]) -> str | None:
    known = [i for i in impacts if i in IMPACT_ORDER]
    return max(known, key=IMPACT_ORDER.index) if known else None


def at(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def bullet_list(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
