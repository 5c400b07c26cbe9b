"""The reports' text, drafted from the incident's record.

One record, three editions: the timeline in real times with the zone, the ledger's confirmed
facts (a cause or a safety claim is written only when the ledger confirms it), the review's
write-up and the action items with their owners and due dates. The plain-language edition tells
each moment in customers' words; the technical one adds the team's notes; the internal one adds
every timeline entry and what the review found. The wording is in data/report.en.toml.
"""

import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from clearline.accounts.models import Organisation
from clearline.core.clock import clock_label, in_zone
from clearline.incidents.models import FactSubject, Incident, TimelineKind
from clearline.reviews import preliminary, review_selectors, writeup
from clearline.reviews import selectors as reviews
from clearline.reviews.actions.selectors import action_items
from clearline.reviews.reports.models import Edition
from clearline.updates import compose

DATA = Path(__file__).parent / "data" / "report.en.toml"
SECTIONS = ("summary", "what_happened", "fixed", "safe", "changing", "questions")
# The moments customers are told about; the internal edition lists every entry.
KEY_MOMENTS = (
    TimelineKind.NOTICED,
    TimelineKind.CAUSE_FOUND,
    TimelineKind.CHANGE_MADE,
    TimelineKind.RESTORED,
    TimelineKind.VERIFIED,
)
# Changes and checks as the record states them, at most this many each.
MOST_ITEMS = 5


@dataclass(frozen=True)
class Wording:
    title: dict[str, str]
    headings: dict[str, str]
    sentences: dict
    moments: dict[str, str]


@cache
def wording() -> Wording:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return Wording(data["title"], data["headings"], data["sentences"], data["moments"])


def headings(edition: str) -> list[str]:
    """The section headings every report of this edition carries, in order."""
    names = SECTIONS + (("review",) if edition == Edition.INTERNAL else ())
    return [wording().headings[name] for name in names]


def _moment_label(value: datetime, zone: ZoneInfo, previous: datetime | None) -> str:
    """ "09:12 GMT", with the day when it differs from the moment before (or for the first)."""
    label = clock_label(value, zone)
    if previous is None or in_zone(previous, zone).date() != in_zone(value, zone).date():
        local = in_zone(value, zone)
        label += f" on {local:%A} {local.day} {local:%B} {local.year}"
    return label


def moments(incident: Incident, edition: str) -> list[tuple[datetime, str]]:
    """The timeline as the edition tells it: (when, what) in time order."""
    told = wording().moments
    rows: list[tuple[datetime, int, str]] = [(incident.started_at, 0, told["started"])]
    entries = incident.timeline.order_by("occurred_at", "id")
    noticed = entries.filter(kind=TimelineKind.NOTICED).exists()
    if incident.detected_at and not noticed:
        rows.append((incident.detected_at, 1, told["detected"]))
    if edition != Edition.INTERNAL:
        entries = entries.filter(kind__in=KEY_MOMENTS)
    seen: set[str] = set()
    for entry in entries.only("occurred_at", "kind", "text"):
        label = told.get(entry.kind, entry.get_kind_display())
        if edition == Edition.PLAIN:
            # Each kind of moment once: the first time it happened is the one customers need.
            if entry.kind in seen:
                continue
            seen.add(entry.kind)
            rows.append((entry.occurred_at, 2, label))
        else:
            rows.append((entry.occurred_at, 2, f"{label}: {_continued(entry.text)}"))
    if incident.resolved_at:
        rows.append((incident.resolved_at, 3, told["resolved"]))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [(at, what) for at, _, what in rows]


def _continued(text: str) -> str:
    """A note carried on after a colon: "We found the cause: a change ..." (an acronym or a
    name that starts with two capitals keeps its case)."""
    text = compose.as_field(text)
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def timeline_lines(incident: Incident, edition: str, zone: ZoneInfo) -> list[str]:
    lines, previous = [], None
    for at, what in moments(incident, edition):
        # A dash, not a colon, after the time: the checks read "09:12 GMT —" as a moment.
        lines.append(f"- {_moment_label(at, zone, previous)} — {what}.")
        previous = at
    return lines


def _entries(incident: Incident, kind: str) -> str:
    texts = incident.timeline.filter(kind=kind).order_by("occurred_at", "id")
    return ". ".join(compose.as_field(t) for t in texts.values_list("text", flat=True)[:MOST_ITEMS])


def _owner(item) -> str:
    return item.owner.get_full_name() or item.owner.get_username()


def change_lines(incident: Incident, edition: str) -> list[str]:
    lines = []
    for item in action_items(incident=incident).select_related("owner"):
        what = compose.as_field(item.outcome)
        if edition != Edition.PLAIN:
            what += f" ({item.get_category_display().lower()})"
        lines.append(
            f"- {what}. Owner: {_owner(item)}. Due: {item.due_date.day} {item.due_date:%B %Y}."
        )
    return lines


def _paragraph(key: str, values: dict[str, str]) -> str:
    return compose.fill([wording().sentences[key]], values)


def record_values(incident: Incident, org: Organisation) -> dict[str, str]:
    values = preliminary.record_fields(incident)
    cause = reviews.settled_facts(incident, FactSubject.CAUSE)
    values["cause"] = ". ".join(compose.as_field(text) for text in cause[:MOST_ITEMS])
    values["changes"] = _entries(incident, TimelineKind.CHANGE_MADE)
    values["verified"] = values["verified"] or _entries(incident, TimelineKind.VERIFIED)
    return values


def compose_report(incident: Incident, edition: str) -> str:
    """The edition's Markdown text, as the record stands."""
    org = Organisation.current()
    zone = org.zone
    words = wording()
    values = record_values(incident, org)
    heading = words.headings
    parts = [f"# {words.title[edition].format(title=compose.as_field(incident.title))}"]
    parts += [f"## {heading['summary']}", _paragraph("summary", values)]
    parts += [f"## {heading['what_happened']}", _paragraph("cause", values)]
    parts += [words.sentences["timeline_intro"]]
    parts += ["\n".join(timeline_lines(incident, edition, zone))]
    parts += [f"## {heading['fixed']}", _paragraph("fixed", values)]
    parts += [f"## {heading['safe']}", _paragraph("safe", values)]
    changes = change_lines(incident, edition)
    parts += [f"## {heading['changing']}"]
    parts += (
        [words.sentences["changing_intro"], "\n".join(changes)]
        if changes
        else [words.sentences["changing_none"]]
    )
    parts += [f"## {heading['questions']}", _paragraph("questions", values)]
    if edition == Edition.INTERNAL:
        parts += [f"## {heading['review']}", _review_text(incident, zone)]
    return "\n\n".join(part for part in parts if part.strip())


def _review_text(incident: Incident, zone: ZoneInfo) -> str:
    """The review's write-up under the report's own section, its headings one level down; the
    timeline and the action items are left out (the report gives them above)."""
    review = review_selectors.review_of(incident)
    if review is None:
        return "No review has been held yet."
    sections = {name: getattr(review, name) for name in ("missed", "done", "next_steps")}
    sections["customer_signal"] = review.customer_signal
    text = writeup.document(
        sections,
        [writeup.WhyText(w.question, w.answer, w.timeline_entry) for w in review.whys.all()],
        [
            writeup.FactorText(f.get_kind_display(), f.text, f.timeline_entry)
            for f in review.factors.all()
        ],
        zone=zone,
    )
    lines = ["#" + line if line.startswith("## ") else line for line in text.splitlines()]
    return "\n".join(lines) or "The write-up is empty."
