"""Update text composed from what the writer knows: the first update, progress, the resolution.

The wording lives in data/compose.en.toml; this module picks a template, fills in the fields in
the organisation's time zone and hands back the text with the status and the promised time that
belong to it. Consecutive updates on one incident take consecutive templates.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.accounts.selectors import display_name
from clearline.checks import check, claimed_subjects, contradicting, statuses_stated
from clearline.checks.lexicon import load
from clearline.checks.text import Document
from clearline.core import limits, permissions
from clearline.core.clock import clock_label, require_plausible
from clearline.core.errors import ClearlineError
from clearline.incidents.models import Incident, IncidentStatus, SegmentKind
from clearline.updates import checking, phrasing, services
from clearline.updates.models import Update
from clearline.updates.selectors import public_updates
from clearline.updates.wording import KINDS, Sentence, template_for, wording
from clearline.updates.wording import templates_for as templates_for  # for callers of compose

FIRST, PROGRESS, RESOLVED = "first", "update", "resolved"
PROGRESS_STATUSES = (
    IncidentStatus.INVESTIGATING,
    IncidentStatus.IDENTIFIED,
    IncidentStatus.MONITORING,
)
MIN_MINUTES, MAX_MINUTES = 5, 24 * 60
REPORT_BUSINESS_DAYS = 5

# What each kind cannot do without, and what to say when it is missing.
REQUIRED: dict[str, dict[str, str]] = {
    FIRST: {
        "symptom": "Say what customers experience.",
        "next_update_minutes": "Say when the next update comes.",
    },
    PROGRESS: {
        "news": "Say what changed or what you know now.",
        "symptom": "Say what customers experience now.",
        "next_update_minutes": "Say when the next update comes.",
    },
    RESOLVED: {
        "symptom": "Say what customers experienced.",
        "fixed_at": "Say when it was fixed.",
        "verification": "Say how the fix was checked.",
    },
}
TEXT_FIELDS = (
    "symptom",
    "who",
    "still_works",
    "lead",
    "action",
    "news",
    "verification",
    "safe",
)


def text_limit(name: str) -> limits.Limit:
    """The limit of one of the TEXT_FIELDS (docs/limits.md)."""
    return limits.COMPOSE_LEAD if name == "lead" else limits.COMPOSE_FIELD


_FIELD = re.compile(r"\{(\w+)\}")
# The words a lead may start with that are no name ("Our identity team").
DETERMINERS = frozenset({"our", "the", "a", "an", "your", "their", "this", "that", "my"})
_REPEATED_WORD = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Composed:
    text: str
    kind: str
    template: str
    status: str
    next_update_due: datetime | None


# ----------------------------------------------------------------------------------------------
# What the incident record already says
# ----------------------------------------------------------------------------------------------


def who_is_affected(segments) -> str:
    """The incident's segments as words: "customers in the EU region and on the Pro plan"."""
    phrases = wording().segments
    parts: list[str] = []
    for segment in segments:
        if segment.kind == SegmentKind.EVERYONE:
            return phrases["everyone"]
        label = as_field(segment.label)
        if not label:
            continue
        if _names_people(label):  # "Customers downloading invoice PDFs" says who as it is
            phrase = phrasing.placed(label, phrasing.names_in([label]))
        else:
            phrase = _REPEATED_WORD.sub(r"\1", phrases[segment.kind].format(label=label))
        if phrase not in parts:
            parts.append(phrase)
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _names_people(label: str) -> bool:
    first = label.split(None, 1)[0].lower()
    return first in wording().people


def business_days_after(day: date, days: int) -> date:
    # Weekends only: the organisation's holiday calendar is not kept yet.
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def last_symptom(incident: Incident) -> str:
    """What the last public update told customers they experienced, as the reader test reads it,
    without the words a template put around it ("What customers see right now: ...")."""
    last = public_updates(incident).first()
    if last is None:
        return ""
    sentence = check(last.body, kind="update").reader_test.what_happened or ""
    return phrasing.unfill(sentence, "symptom") if sentence else ""


def last_action(incident: Incident) -> str:
    """The workaround (or "no action is needed") the last public update gave customers, so the
    next update carries it on; "" when it gave none."""
    last = public_updates(incident).first()
    if last is None or last.status == IncidentStatus.RESOLVED:
        return ""
    report = check(last.body, kind="update")
    taken = report.elements.get("customer_action")
    sentence = check_sentence(last.body, taken[0]) if taken else None
    return phrasing.unfill(sentence, "action") if sentence else ""


def check_sentence(text: str, position: int) -> str | None:
    """The sentence of `text` at `position`, as the checks cut it."""
    sentence = Document(text, load("en").abbreviations).sentence_at(position)
    return sentence.text if sentence else None


def initial_fields(incident: Incident, kind: str, *, now: datetime | None = None) -> dict:
    """What a compose form starts with, from the incident record and the organisation."""
    now = now or timezone.now()
    org = Organisation.current()
    initial: dict[str, Any] = {"who": who_is_affected(incident.segments.all())}
    if kind == FIRST:
        initial |= {
            "still_works": incident.still_works,
            "started_at": incident.started_at,
            "lead": display_name(incident.commander) if incident.commander else "",
        }
    if kind in (FIRST, PROGRESS):
        initial["next_update_minutes"] = org.cadence_minutes(incident.impact)
    if kind in (PROGRESS, RESOLVED):
        initial["symptom"] = last_symptom(incident)
    if kind == PROGRESS:
        status = incident.status
        initial["status"] = status if status in PROGRESS_STATUSES else IncidentStatus.IDENTIFIED
        initial["action"] = last_action(incident)
    if kind == RESOLVED:
        today = now.astimezone(org.zone).date()
        initial |= {
            "started_at": incident.started_at,
            "fixed_at": incident.resolved_at or now,
            "report_by": org.calendar.nth_business_day_after(today, REPORT_BUSINESS_DAYS),
        }
    return initial


# ----------------------------------------------------------------------------------------------
# Composing
# ----------------------------------------------------------------------------------------------


def next_update_at(now: datetime, minutes: int, zone) -> datetime:
    """The promised time: `minutes` from now, on a whole minute, on a five-minute mark when
    the wait is long enough for that to read naturally. Never later than `minutes` from now."""
    due = (now + timedelta(minutes=minutes)).astimezone(zone).replace(second=0, microsecond=0)
    if minutes >= 15:
        due -= timedelta(minutes=due.minute % 5)
    return due


def compose(
    *,
    incident: Incident,
    kind: str,
    fields: Mapping[str, Any],
    now: datetime | None = None,
    sequence: int | None = None,
) -> Composed:
    """The text of an update of `kind` ("first", "update" or "resolved") from `fields`.

    `sequence` is how many updates the incident has had; it picks the template, so the next
    update never reads like the last one.
    """
    if kind not in KINDS:
        raise ClearlineError(f"kind must be one of {', '.join(KINDS)}.", field="kind")
    for name in TEXT_FIELDS:
        if isinstance(fields.get(name), str):
            limits.accept(fields[name], text_limit(name), field=name)
    _require(kind, fields)
    now = now or timezone.now()
    for name in ("started_at", "fixed_at"):
        if fields.get(name):
            require_plausible(fields[name], name, now=now)
    if sequence is None:
        sequence = Update.objects.filter(incident=incident).count()
    status = _status(incident, kind, fields)
    return compose_text(
        kind=kind,
        impact=incident.impact,
        fields=fields,
        status=status,
        now=now,
        zone=Organisation.current().zone,
        sequence=sequence,
        cause_confirmed=checking.ledger(incident, status).confirmed("cause"),
    )


def compose_text(
    *,
    kind: str,
    impact: str,
    fields: Mapping[str, Any],
    status: str,
    now: datetime,
    zone: tzinfo,
    sequence: int,
    cause_confirmed: bool = True,
) -> Composed:
    """The text itself, from checked fields: no database. A sentence carried from an earlier
    update loses its template's prompt; a field mid-sentence or after a colon starts in lower
    case unless it opens with a name; a resolution tells the symptom in the past tense; the
    status in words is left out when the news already says it or is past it."""
    template = template_for(kind, impact, sequence)
    values: dict[str, str] = {
        name: phrasing.unprompted(as_field(fields.get(name))) for name in TEXT_FIELDS
    }
    if kind == RESOLVED and values["symptom"]:
        values["symptom"] = phrasing.past(values["symptom"])
    for name, label in (("started_at", "started"), ("fixed_at", "fixed")):
        if fields.get(name):
            values[label] = clock_label(fields[name], zone, today=now)
    report_by = fields.get("report_by")
    if report_by:
        values["report_by"] = f"{report_by:%A} {report_by.day} {report_by:%B}"

    due = None
    if kind != RESOLVED:
        minutes = _minutes(fields.get("next_update_minutes"))
        due = next_update_at(now, minutes, zone)
        values["next"] = clock_label(due, zone, today=now)
        values["every"] = str(minutes)
    if kind == PROGRESS and _wants_status_line(values["news"], status):
        unconfirmed = status == IncidentStatus.IDENTIFIED and not cause_confirmed
        lines = wording().status_unconfirmed if unconfirmed else wording().status[status]
        values["status_line"] = lines[sequence % len(lines)]
    names = phrasing.names_in(values.values())
    return Composed(fill(template.paragraphs, values, names), kind, template.id, status, due)


def _wants_status_line(news: str, status: str) -> bool:
    """Whether the status in words adds to the news: not when the news already says it (or,
    for identified, names the cause), nor when the news is past it ("We found the cause"
    beside "We have not found the cause yet": a status left at investigating)."""
    if not news:
        return True
    stated = statuses_stated(news)
    if status in stated or stated & contradicting(status):
        return False
    return not (status == IncidentStatus.IDENTIFIED and "cause" in claimed_subjects(news))


def draft_composed(
    *, incident: Incident, by, kind: str, fields: Mapping[str, Any], now: datetime | None = None
) -> Update:
    """Compose and save the text as a draft, with its status and promised next update time."""
    permissions.require_perm(by, "updates.add_update")
    composed = compose(incident=incident, kind=kind, fields=fields, now=now)
    return save_draft(incident=incident, by=by, composed=composed)


def save_draft(*, incident: Incident, by, composed: Composed) -> Update:
    permissions.require_perm(by, "updates.add_update")
    return services.draft_update(
        incident=incident,
        by=by,
        body=composed.text,
        status=composed.status,
        next_update_due=composed.next_update_due,
    )


def _require(kind: str, fields: Mapping[str, Any]) -> None:
    for name, message in REQUIRED[kind].items():
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ClearlineError(message, field=name)


def _minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClearlineError("Give the minutes as a whole number.", field="next_update_minutes")
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise ClearlineError(
            f"Promise the next update in {MIN_MINUTES} to {MAX_MINUTES} minutes.",
            field="next_update_minutes",
        )
    return value


def _status(incident: Incident, kind: str, fields: Mapping[str, Any]) -> str:
    if kind == RESOLVED:
        return IncidentStatus.RESOLVED
    if kind == PROGRESS:
        status = fields.get("status") or incident.status
        if status not in PROGRESS_STATUSES:
            raise ClearlineError(
                "Choose investigating, identified or monitoring; resolve with the resolution.",
                field="status",
            )
        return str(status)
    # A first update on a resolved incident reopens it as investigating.
    return incident.status if incident.status in PROGRESS_STATUSES else "investigating"


def as_field(value: Any) -> str:
    """What the writer typed, on one line, without the full stop the template brings."""
    if not value:
        return ""
    return _SPACE.sub(" ", str(value)).strip().rstrip(".;:, ").strip()


def fill(
    paragraphs: Iterable[Iterable[Sentence]],
    values: Mapping[str, str],
    names: frozenset[str] | None = None,
) -> str:
    """Paragraphs of sentences with their fields filled in: a sentence (or list of
    alternatives) whose fields are not all filled in is left out, and so is an empty paragraph.
    `names` are the words that keep their capital inside a sentence (default: those written
    with one inside a value)."""
    if names is None:
        names = phrasing.names_in(values.values())
    return "\n\n".join(
        paragraph
        for sentences in paragraphs
        if (paragraph := " ".join(filter(None, (_sentence(s, values, names) for s in sentences))))
    )


def _sentence(sentence: Sentence, values: Mapping[str, str], names: frozenset[str]) -> str | None:
    """The first of the alternatives whose fields are all filled in, or None."""
    for choice in [sentence] if isinstance(sentence, str) else sentence:
        if all(values.get(name) for name in _FIELD.findall(choice)):
            return _fill(choice, values, names)
    return None


def _fill(sentence: str, values: Mapping[str, str], names: frozenset[str]) -> str:
    text = _FIELD.sub(lambda m: _place(m, values[m.group(1)], sentence, names), sentence)
    return text.replace("?.", "?").replace("!.", "!")


def _place(field: re.Match[str], value: str, sentence: str, names: frozenset[str]) -> str:
    """A field opening a sentence is capitalised; elsewhere (after a colon too) its first word
    loses its capital unless it is a name. "Dana Reyes, VP Engineering" gets its closing comma
    when the sentence goes on."""
    if field.group(1) == "lead" and ", " in value and sentence[field.end() :].startswith(" "):
        value += ","
    if field.start() == 0:
        return value[:1].upper() + value[1:]
    return phrasing.placed(value, names, only=DETERMINERS if field.group(1) == "lead" else None)
