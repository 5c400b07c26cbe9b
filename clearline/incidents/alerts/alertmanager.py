"""Reading Alertmanager's webhook payload (version 4) and saying what it means in plain words."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clearline.core.errors import ClearlineError
from clearline.incidents.alerts import reading
from clearline.incidents.alerts.wording import NOT_RESOLVED_NOTE, at, bullet_list, worst

# Common severity label values, mapped to clearline's impact levels.
SEVERITY_IMPACT = {
    **dict.fromkeys(["critical", "crit", "page", "emergency", "fatal", "p1"], "critical"),
    **dict.fromkeys(["error", "high", "major", "p2"], "major"),
    **dict.fromkeys(["warning", "warn", "medium", "minor", "moderate", "p3"], "minor"),
    **dict.fromkeys(["info", "informational", "low", "none", "p4", "p5"], "none"),
}
SHOWN_LABELS = 6
SHOWN_ALERTS = 20


@dataclass(frozen=True)
class Alert:
    status: str
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: datetime | None
    ends_at: datetime | None
    generator_url: str
    fingerprint: str

    @property
    def is_firing(self) -> bool:
        return self.status == "firing"

    @property
    def impact(self) -> str | None:
        return SEVERITY_IMPACT.get(self.labels.get("severity", "").strip().lower())

    def describe(self) -> str:
        name = self.labels.get("alertname", "Unnamed alert")
        others = [f"{k}={v}" for k, v in sorted(self.labels.items()) if k != "alertname"]
        if len(others) > SHOWN_LABELS:
            others = [*others[:SHOWN_LABELS], "…"]
        parts = [f"{name} ({', '.join(others)})" if others else name]
        summary = self.annotations.get("summary") or self.annotations.get("description")
        if summary:
            parts.append(reading.clip(summary, 300))
        if self.is_firing and self.starts_at:
            parts.append(f"since {at(self.starts_at)}")
        if not self.is_firing and self.ends_at:
            parts.append(f"ended {at(self.ends_at)}")
        if self.generator_url:
            parts.append(self.generator_url)
        return " — ".join(parts)


@dataclass(frozen=True)
class AlertGroup:
    key: str
    status: str
    receiver: str
    group_labels: dict[str, str]
    common_labels: dict[str, str]
    common_annotations: dict[str, str]
    url: str  # externalURL: the Alertmanager that sent it
    alerts: list[Alert]
    truncated: int
    noticed_at = None  # Alertmanager gives no notification time: clearline notes its arrival

    @property
    def firing(self) -> dict[str, Alert]:
        return {alert.fingerprint: alert for alert in self.alerts if alert.is_firing}

    @property
    def title(self) -> str:
        firing = list(self.firing.values()) or self.alerts
        if self.common_annotations.get("summary"):
            return self.common_annotations["summary"]
        if len(firing) == 1 and firing[0].annotations.get("summary"):
            return firing[0].annotations["summary"]
        names = sorted({a.labels["alertname"] for a in firing if a.labels.get("alertname")})
        if names:
            return ", ".join(names)
        return f"Alert from Alertmanager receiver {self.receiver}".strip()

    @property
    def impact(self) -> str | None:
        found = [a.impact for a in self.firing.values() if a.impact]
        common = SEVERITY_IMPACT.get(self.common_labels.get("severity", "").strip().lower())
        return worst([*found, common] if common else found)

    @property
    def started_at(self) -> datetime | None:
        starts = [a.starts_at for a in self.firing.values() if a.starts_at]
        return min(starts) if starts else None

    @property
    def ended_at(self) -> datetime | None:
        ends = [a.ends_at for a in self.alerts if not a.is_firing and a.ends_at]
        return max(ends) if ends else None

    def alert_lines(self, fingerprints: set[str] | None = None) -> str:
        chosen = [a for a in self.alerts if fingerprints is None or a.fingerprint in fingerprints]
        lines = [a.describe() for a in chosen[:SHOWN_ALERTS]]
        hidden = len(chosen) - len(lines)
        if fingerprints is None:
            hidden += self.truncated
        if hidden:
            lines.append(f"and {hidden} more not listed (Alertmanager's max_alerts or this list)")
        return bullet_list(lines)

    def grouping(self) -> str:
        pairs = [f"{k}={v}" for k, v in sorted(self.group_labels.items())]
        return ", ".join(pairs) or "all alerts"

    @property
    def seen(self) -> dict[str, list[str]]:
        return {"firing": sorted(self.firing)}

    def opening_text(self, *, source_name: str) -> str:
        firing = set(self.firing)
        lines = [
            f"Alertmanager reported {len(firing)} firing alert{'s' if len(firing) != 1 else ''} "
            f"through the source “{source_name}” (receiver {self.receiver or 'unnamed'}).",
            f"Alert group: {self.grouping()}.",
            self.alert_lines(firing),
        ]
        if self.url:
            lines.append(f"Alertmanager: {self.url}")
        return "\n".join(lines)


def _fingerprint(labels: dict[str, str]) -> str:
    # Alertmanager adds a fingerprint since 0.19; older ones get one from the label set.
    return hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]


def _read_alert(raw: Any, field: str) -> Alert:
    item = reading.mapping(raw, field)
    status = reading.text(item.get("status"), f"{field}.status", required=True)
    if status not in {"firing", "resolved"}:
        raise ClearlineError(f"{field}.status must be firing or resolved.", field=f"{field}.status")
    labels = reading.labels(item.get("labels"), f"{field}.labels")
    return Alert(
        status=status,
        labels=labels,
        annotations=reading.labels(item.get("annotations"), f"{field}.annotations"),
        starts_at=reading.moment(item.get("startsAt"), f"{field}.startsAt", required=False),
        ends_at=reading.moment(item.get("endsAt"), f"{field}.endsAt", required=False),
        generator_url=reading.text(item.get("generatorURL"), f"{field}.generatorURL"),
        fingerprint=reading.text(item.get("fingerprint"), f"{field}.fingerprint")
        or _fingerprint(labels),
    )


def read_group(payload: Any) -> AlertGroup:
    body = reading.mapping(payload, "body")
    version = body.get("version")
    if version != "4":
        raise ClearlineError(
            f'version must be "4" (Alertmanager\'s webhook format), not {version!r}.',
            field="version",
        )
    status = reading.text(body.get("status"), "status", required=True)
    if status not in {"firing", "resolved"}:
        raise ClearlineError("status must be firing or resolved.", field="status")
    alerts = body.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise ClearlineError("alerts must be a non-empty list.", field="alerts")
    truncated = body.get("truncatedAlerts") or 0
    if not isinstance(truncated, int) or truncated < 0:
        raise ClearlineError("truncatedAlerts must be a whole number.", field="truncatedAlerts")
    return AlertGroup(
        key=reading.text(body.get("groupKey"), "groupKey", required=True),
        status=status,
        receiver=reading.text(body.get("receiver"), "receiver"),
        group_labels=reading.labels(body.get("groupLabels"), "groupLabels"),
        common_labels=reading.labels(body.get("commonLabels"), "commonLabels"),
        common_annotations=reading.labels(body.get("commonAnnotations"), "commonAnnotations"),
        url=reading.text(body.get("externalURL"), "externalURL"),
        alerts=[_read_alert(raw, f"alerts[{i}]") for i, raw in enumerate(alerts)],
        truncated=truncated,
    )


def changes(
    *, group: AlertGroup, seen_firing: set[str], last_status: str
) -> list[tuple[str, datetime | None]]:
    """What this delivery adds to the timeline, with when it happened (None: now); empty for a
    repeat of what the timeline already holds."""
    firing = set(group.firing)
    news: list[tuple[str, datetime | None]] = []
    started = firing - seen_firing
    if started:
        heading = "firing again" if last_status == "resolved" else "now firing in this group"
        text = f"Alertmanager: {len(started)} alert(s) {heading}:"
        news.append((f"{text}\n{group.alert_lines(started)}", None))
    if group.status == "resolved" and last_status != "resolved":
        ended = group.ended_at
        when = f" (last at {at(ended)})" if ended else ""
        text = f"Alertmanager reports every alert in this group resolved{when}."
        news.append((f"{text}\n{group.alert_lines()}\n{NOT_RESOLVED_NOTE}", ended))
    elif firing:
        stopped = {a.fingerprint for a in group.alerts if not a.is_firing} & seen_firing
        if stopped:
            text = f"Alertmanager: {len(stopped)} alert(s) resolved, {len(firing)} still firing:"
            news.append((f"{text}\n{group.alert_lines(stopped)}", None))
    return news
