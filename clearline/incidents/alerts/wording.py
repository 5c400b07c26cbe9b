"""How alert deliveries read on the timeline: times in UTC, short bullet lists, impact order."""

from collections.abc import Iterable
from datetime import UTC, datetime

from clearline.core.clock import in_zone

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
    # Whatever the sender wrote, even a time at the calendar's ends, is shown, never a failure.
    return f"{in_zone(moment, UTC).isoformat(sep=' ', timespec='minutes')[:16]} UTC"


def doubtful_start(moment: datetime) -> str:
    return (
        f"The alert gave {at(moment)} as its start, which cannot be right; clearline recorded the "
        "time the alert arrived instead. Correct the start on the incident record if you know it."
    )


def bullet_list(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
