"""The preliminary report: drafted from the record when an incident is resolved.

It is an update of kind `preliminary`, so it is checked, approved and published through the
one publish path like any update. The draft states only what the record holds as settled — the
time window, what customers experienced and who, the confirmed facts about what stayed safe —
puts the ledger's open questions as questions still being checked, and promises the full review.
The wording lives in data/preliminary.en.toml.
"""

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.brief import selectors as brief
from clearline.checks import check
from clearline.core import permissions
from clearline.core.clock import clock_label, in_zone
from clearline.core.errors import Conflict
from clearline.incidents.models import (
    STATUS_SEVERITY,
    AffectedComponent,
    ComponentStatus,
    FactSubject,
    Incident,
    IncidentStatus,
    TimelineEntry,
    TimelineKind,
)
from clearline.reviews import schedule, selectors
from clearline.updates import compose, phrasing
from clearline.updates import services as updates
from clearline.updates.models import Update, UpdateKind

DATA = Path(__file__).parent / "data" / "preliminary.en.toml"
# Enough of the record to be useful, never so much that the draft outgrows an update.
MOST_ITEMS = {"safe": 3, "verified": 2, "checking": 5, "reported": 3}
MOST_ITEM_CHARS = 400


@dataclass(frozen=True)
class Wording:
    paragraphs: tuple[tuple[compose.Sentence, ...], ...]
    opening_time: re.Pattern[str]
    component_status: dict[str, str]


@cache
def wording() -> Wording:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return Wording(
        paragraphs=tuple(tuple(p) for p in data["paragraphs"]),
        opening_time=re.compile(data["opening_time"], re.I),
        component_status=data["component_status"],
    )


# What was said while it was happening, told afterwards (shared with the composer's resolution).
in_past_tense = phrasing.past


# ----------------------------------------------------------------------------------------------
# What the record says
# ----------------------------------------------------------------------------------------------


def _short(text: str) -> str:
    """One item of the record as a field: on one line, within MOST_ITEM_CHARS, cut at a word."""
    value = compose.as_field(text)
    if len(value) <= MOST_ITEM_CHARS:
        return value
    return value[:MOST_ITEM_CHARS].rsplit(" ", 1)[0] + "…"


def _sentences(texts: list[str]) -> str:
    """Several items of the record joined as sentences, without the last full stop (the
    template brings it)."""
    return ". ".join(_short(text) for text in texts if text.strip())


def _moment(value: datetime, zone, *, day: bool = True) -> str:
    """ "09:12 GMT on Monday 30 November": reports are read days later, so the day is named."""
    local = in_zone(value, zone)
    label = clock_label(value, zone)
    return f"{label} on {local:%A} {local.day} {local:%B}" if day else label


def _lasted(start: datetime, end: datetime) -> str:
    minutes = max(1, round((end - start).total_seconds() / 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words[:2])


def first_symptom(incident: Incident) -> str:
    """What customers experienced, as the first update to them said it, in the past tense;
    else what the affected parts of the product did."""
    first = (
        Update.objects.customer_text()
        .filter(incident=incident, kind=UpdateKind.UPDATE)
        .order_by("published_at", "id")
        .first()
    )
    if first is not None:
        sentence = check(first.body, kind="update").reader_test.what_happened
        if sentence:
            sentence = wording().opening_time.sub("", compose.as_field(sentence))
            return in_past_tense(sentence)
    return _component_symptom(incident)


def _component_symptom(incident: Incident) -> str:
    rows = AffectedComponent.objects.filter(incident=incident, component__showcase=True)
    worst: dict[str, list[str]] = {}
    for row in rows.select_related("component").order_by("component__position", "id"):
        worst.setdefault(row.status, []).append(row.component.name)
    if not worst:
        return ""
    status = max(worst, key=lambda s: STATUS_SEVERITY[ComponentStatus(s)])
    phrase = wording().component_status.get(status, "")
    return phrase.format(names=_joined(worst[status])) if phrase else ""


def _joined(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _being_checked(incident: Incident) -> str:
    """The ledger's open questions, quoted as the questions they are: never as statements."""
    questions = [_short(q.text) for q in brief.open_questions(incident)][: MOST_ITEMS["checking"]]
    quoted = []
    for question in questions:
        question = question.rstrip(" .")
        quoted.append(f"“{question if question.endswith('?') else question + '?'}”")
    return " ".join(quoted)


def _verified(incident: Incident) -> str:
    entries = TimelineEntry.objects.filter(incident=incident, kind=TimelineKind.VERIFIED)
    texts = list(entries.order_by("occurred_at", "id").values_list("text", flat=True))
    return _sentences(texts[: MOST_ITEMS["verified"]])


def _reported(incident: Incident) -> str:
    reported = brief.symptoms(incident)[: MOST_ITEMS["reported"]]
    return _joined([f"“{_short(label)}” ({n} report{'s' * (n != 1)})" for label, n in reported])


def review_by(resolved_at: datetime, org: Organisation) -> date:
    """The day the full review is promised by: the last day of the review's window (business
    days 3-5 after the resolution), in the organisation's calendar, holidays and all."""
    return schedule.window(resolved_at, org.calendar, org.zone).last


def record_fields(incident: Incident, *, now: datetime | None = None) -> dict[str, str]:
    """The values the report's wording is filled with, from the incident's record."""
    now = now or timezone.now()
    org = Organisation.current()
    zone = org.zone
    ended = incident.resolved_at or now
    same_day = in_zone(incident.started_at, zone).date() == in_zone(ended, zone).date()
    review_day = review_by(ended, org)
    return {
        "started": _moment(incident.started_at, zone),
        "ended": _moment(ended, zone, day=not same_day),
        "lasted": _lasted(incident.started_at, ended),
        "symptom": first_symptom(incident),
        "reported": _reported(incident),
        "who": compose.who_is_affected(incident.segments.all()),
        "safe": _sentences(
            selectors.settled_facts(incident, FactSubject.DATA_SAFETY)[: MOST_ITEMS["safe"]]
        ),
        "still_worked": in_past_tense(compose.as_field(incident.still_works)),
        "verified": _verified(incident),
        "checking": _being_checked(incident),
        "review_by": f"{review_day:%A} {review_day.day} {review_day:%B}",
        "email": org.support_email,
        "url": org.support_url,
    }


def compose_report(incident: Incident, *, now: datetime | None = None) -> str:
    """The preliminary report's text, as the record stands."""
    return compose.fill(wording().paragraphs, record_fields(incident, now=now))


# ----------------------------------------------------------------------------------------------
# Reads and changes
# ----------------------------------------------------------------------------------------------


def preliminary_report(incident: Incident) -> Update | None:
    """The incident's preliminary report, drafted or published; None before the resolution."""
    return (
        Update.objects.filter(incident=incident, kind=UpdateKind.PRELIMINARY)
        .select_related("author", "approver")
        .first()
    )


@transaction.atomic
def draft_preliminary_report(*, incident: Incident, by, now: datetime | None = None) -> Update:
    """Draft the incident's preliminary report from its record, once: a second call (a worker's
    retry, a person's click) returns the one already written, whatever state it is in."""
    permissions.require_perm(by, "updates.add_update")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    existing = preliminary_report(incident)
    if existing is not None:
        return existing
    if incident.status != IncidentStatus.RESOLVED:
        raise Conflict(
            "A preliminary report follows the resolution: resolve the incident first.",
            code="not_resolved",
        )
    return updates.draft_update(
        incident=incident,
        by=by,
        body=compose_report(incident, now=now),
        status=IncidentStatus.RESOLVED,
        kind=UpdateKind.PRELIMINARY,
    )


def is_stale(resolution: Update, *, now: datetime | None = None) -> bool:
    """A resolution published more than a week ago (history brought in, the demo's past) gets
    no report drafted: its first week is over."""
    return resolution.published_at is None or resolution.published_at < (
        now or timezone.now()
    ) - timedelta(days=7)
