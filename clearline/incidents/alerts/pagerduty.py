"""Reading PagerDuty's v3 webhook events and saying what each means in plain words."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clearline.core.errors import ClearlineError
from clearline.incidents.alerts import reading
from clearline.incidents.alerts.wording import NOT_RESOLVED_NOTE, bullet_list

TRIGGERED = "incident.triggered"
REOPENED = "incident.reopened"
HANDLED = {
    TRIGGERED,
    REOPENED,
    "incident.acknowledged",
    "incident.resolved",
    "incident.annotated",
    "incident.priority_updated",
}
# PagerDuty's default priorities are P1 (worst) to P5; urgency is high or low.
PRIORITY_IMPACT = {"p1": "critical", "p2": "major", "p3": "minor", "p4": "minor", "p5": "none"}
URGENCY_IMPACT = {"high": "major", "low": "minor"}


def _summary(value: Any) -> str:
    """The display name PagerDuty puts on every reference object."""
    if isinstance(value, dict) and isinstance(value.get("summary"), str):
        return value["summary"].strip()
    return ""


@dataclass(frozen=True)
class PagerDutyEvent:
    id: str
    event_type: str
    occurred_at: datetime | None = None
    agent: str = ""
    incident_id: str = ""
    incident: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    note: str = ""

    @property
    def handled(self) -> bool:
        return self.event_type in HANDLED

    @property
    def opens(self) -> bool:
        return self.event_type in {TRIGGERED, REOPENED}

    @property
    def key(self) -> str:
        return self.incident_id

    @property
    def status(self) -> str:
        return self.event_type

    @property
    def started_at(self) -> datetime | None:
        return self.created_at

    @property
    def noticed_at(self) -> datetime | None:
        return self.occurred_at

    @property
    def seen(self) -> dict[str, list[str]]:
        return {"events": [self.id]}

    @property
    def by(self) -> str:
        return f" by {self.agent}" if self.agent else ""

    @property
    def number(self) -> str:
        number = self.incident.get("number")
        return f"#{number}" if isinstance(number, int) else self.incident_id

    @property
    def title(self) -> str:
        title = self.incident.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        return f"PagerDuty incident {self.number}"

    @property
    def impact(self) -> str | None:
        priority = _summary(self.incident.get("priority")).lower()
        if priority in PRIORITY_IMPACT:
            return PRIORITY_IMPACT[priority]
        return URGENCY_IMPACT.get(str(self.incident.get("urgency") or "").lower())

    @property
    def url(self) -> str:
        value = self.incident.get("html_url")
        return value if isinstance(value, str) else ""

    def details(self) -> str:
        data = self.incident
        rows = [
            ("Service", _summary(data.get("service"))),
            ("Urgency", str(data.get("urgency") or "")),
            ("Priority", _summary(data.get("priority"))),
            ("Assigned to", ", ".join(filter(None, map(_summary, data.get("assignees") or [])))),
            ("Escalation policy", _summary(data.get("escalation_policy"))),
            ("Teams", ", ".join(filter(None, map(_summary, data.get("teams") or [])))),
            ("Conference bridge", _bridge(data.get("conference_bridge"))),
            ("Incident key", str(data.get("incident_key") or "")),
        ]
        lines = [f"{label}: {value}" for label, value in rows if value]
        text = bullet_list(lines)
        return f"{text}\nPagerDuty: {self.url}" if self.url else text

    def opening_text(self, *, source_name: str) -> str:
        verb = "reopened" if self.event_type == REOPENED else "triggered"
        return (
            f"PagerDuty incident {self.number} {verb}{self.by}: {self.title} "
            f"(source “{source_name}”).\n{self.details()}"
        )

    def entry_text(self) -> str:
        """The timeline entry for an event on an incident clearline already holds."""
        if self.event_type == "incident.acknowledged":
            return f"Acknowledged in PagerDuty{self.by}."
        if self.event_type == REOPENED:
            return f"Reopened in PagerDuty{self.by}."
        if self.event_type == TRIGGERED:
            return f"Triggered again in PagerDuty{self.by}."
        if self.event_type == "incident.annotated":
            return f"Note added in PagerDuty{self.by}: {reading.clip(self.note, 2000)}"
        if self.event_type == "incident.priority_updated":
            priority = _summary(self.incident.get("priority"))
            if not priority:
                return f"Priority cleared in PagerDuty{self.by}."
            return f"Priority changed in PagerDuty to {priority}{self.by}."
        merged = _merged_into(self.incident.get("resolve_reason"))
        return f"Resolved in PagerDuty{self.by}{merged}.\n{NOT_RESOLVED_NOTE}"


def _bridge(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [value.get("conference_number"), value.get("conference_url")]
    return ", ".join(p for p in parts if isinstance(p, str) and p)


def _merged_into(reason: Any) -> str:
    if isinstance(reason, dict) and reason.get("type") == "merge_resolve_reason":
        target = reason.get("incident")
        name = _summary(target) or (target or {}).get("id", "")
        return f" (merged into {name})" if name else " (merged into another incident)"
    return ""


def read_event(raw: Any) -> PagerDutyEvent:
    event = reading.mapping(raw, "event")
    event_id = reading.text(event.get("id"), "event.id", required=True)
    event_type = reading.text(event.get("event_type"), "event.event_type", required=True)
    if event_type not in HANDLED:
        return PagerDutyEvent(id=event_id, event_type=event_type)
    data = reading.mapping(event.get("data"), "event.data")
    kind = reading.text(data.get("type"), "event.data.type", required=True)
    if kind == "incident":
        incident, note = data, ""
        incident_id = reading.text(data.get("id"), "event.data.id", required=True)
    elif kind == "incident_note":
        reference = reading.mapping(data.get("incident"), "event.data.incident")
        incident_id = reading.text(reference.get("id"), "event.data.incident.id", required=True)
        incident, note = {}, reading.text(data.get("content"), "event.data.content")
    else:
        raise ClearlineError(
            f"event.data.type {kind!r} does not fit the event type {event_type}.",
            field="event.data.type",
        )
    return PagerDutyEvent(
        id=event_id,
        event_type=event_type,
        occurred_at=reading.moment(event.get("occurred_at"), "event.occurred_at", required=False),
        agent=_summary(event.get("agent")),
        incident_id=incident_id,
        incident=incident,
        created_at=reading.moment(
            incident.get("created_at"), "event.data.created_at", required=False
        ),
        note=note,
    )
