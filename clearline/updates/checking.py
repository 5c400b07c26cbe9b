"""The checks as the application runs them: one entry point for the editor, the API and publish.

The engine (`clearline.checks`) knows nothing of Django; this module hands it what the
application knows — the organisation's settings, everything published before (for CL119), and
the incident's facts ledger and status (for the application rules).
"""

import hashlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Count, Max

from clearline.accounts.models import Organisation
from clearline.checks import CheckConfig, Entry, History, Ledger, Report, check
from clearline.incidents.models import Fact, Incident, IncidentStatus
from clearline.updates.models import Update, UpdateKind

# The editor checks on every keystroke: what was published is read once per new publication
# (shared through the cache by every process) and indexed once per process.
HISTORY_CACHE_SECONDS = 24 * 3600
_indexed: dict[str, tuple[History, dict[int, list[int]]]] = {}
_configs: dict[tuple, CheckConfig] = {}


def kind_for(incident: Incident, status: str, update_kind: str = UpdateKind.UPDATE) -> str:
    """Which kind of text an update is: the first public word, a progress update, the fix, or
    a report after it (checked as that report: a preliminary report as `preliminary`)."""
    if update_kind == UpdateKind.ADDENDUM:
        # An answer after the fact is held to the preliminary report's rules: a named symptom,
        # no speculation, claims backed by the ledger; what a report must cover only warns.
        return "preliminary"
    if update_kind != UpdateKind.UPDATE:
        return str(update_kind)
    if status == IncidentStatus.RESOLVED:
        return "resolved"
    published = Update.objects.customer_text().filter(incident=incident)
    return "update" if published.exists() else "first"


def config() -> CheckConfig:
    """The organisation's check settings (glossary, targets, phrases, severities)."""
    org = Organisation.current()
    # Built once per change of the settings: the engine keeps what it derives from a config
    # (compiled phrase lists, rule lookups) on the config object.
    key = (org.pk, org.updated_at)
    if key not in _configs:
        _configs.clear()
        _configs[key] = org.check_config()
    return _configs[key]


def _published_key() -> str:
    # Published text is never rewritten: a new publication moves the latest id and time, a
    # deletion the count. The time also tells apart a database that reuses ids.
    stamp = _published().aggregate(latest=Max("id"), count=Count("id"), at=Max("published_at"))
    at = stamp["at"].timestamp() if stamp["at"] else 0
    return f"checks:published:{stamp['latest'] or 0}:{stamp['count']}:{at}"


def _published():
    return Update.objects.customer_text()


def _published_texts(key: str) -> list[tuple[int, str]]:
    """(incident id, text) of every public update published, oldest first."""
    rows = cache.get(key)
    if rows is None:
        rows = list(_published().order_by("id").values_list("incident_id", "body"))
        cache.set(key, rows, HISTORY_CACHE_SECONDS)
    return rows


def history_index(*, exclude_incident: Incident | None = None) -> History:
    """Texts published before for other incidents (what CL119 compares a draft against),
    indexed for the engine once per process for each state of what is published."""
    key = _published_key()
    if key not in _indexed:
        rows = _published_texts(key)
        by_incident: dict[int, list[int]] = {}
        for number, (incident_id, _) in enumerate(rows):
            by_incident.setdefault(incident_id, []).append(number)
        _indexed.clear()
        _indexed[key] = (History(body for _, body in rows), by_incident)
    index, by_incident = _indexed[key]
    if exclude_incident is None:
        return index
    return index.without(by_incident.get(exclude_incident.pk, ()))


def ledger(incident: Incident, status: str, next_update_due: datetime | None = None) -> Ledger:
    """The incident's facts ledger as the engine reads it, with the status being published and
    the next update time the update promises in its field (CL123 holds the words to it)."""
    rows = Fact.objects.filter(incident=incident).values_list("kind", "subject", "status", "text")
    return Ledger.of(
        status,
        [Entry(*row) for row in rows],
        next_update_due=next_update_due,
        zone=Organisation.current().time_zone,
    )


def check_draft(
    *,
    incident: Incident,
    body: str,
    status: str | None = None,
    kind: str | None = None,
    next_update_due: datetime | None = None,
) -> Report:
    """Check the text of an update to `incident` as it would go out now (`kind` is derived
    from the incident and status unless given), against the next update time it promises."""
    status = status or incident.status
    return check(
        body,
        kind=kind or kind_for(incident, status),
        config=config(),
        history=history_index(exclude_incident=incident),
        facts=ledger(incident, status, next_update_due),
    )


def content_hash(*, body: str, status: str, next_update_due) -> str:
    """What an approval is bound to: the exact words, the status and the promised time."""
    due = next_update_due.astimezone(UTC).isoformat(timespec="seconds") if next_update_due else ""
    material = "\x1f".join([status, due, body.strip()])
    return hashlib.sha256(material.encode()).hexdigest()
