"""The pre-read write-up: started from the record, read as one document, checked as a review.

The record gives the first words of two sections: the shared timeline in real times (the
organisation's zone) and what customers reported and asked (the customer-signal log). People
write the rest. `document()` joins the sections, the Five Whys and the contributing factors
into the text the checks read, the API returns and `clearline review` prints.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from clearline.brief import selectors as signal
from clearline.brief.models import CustomerSignal, CustomerSignalKind
from clearline.checks import Report
from clearline.core.clock import in_zone
from clearline.incidents.models import Incident, IncidentStatus, TimelineEntry
from clearline.reviews.models import SECTIONS, Review
from clearline.updates import checking
from clearline.updates.models import Update


@dataclass(frozen=True)
class WhyText:
    question: str
    answer: str
    timeline_entry: TimelineEntry | None = None


@dataclass(frozen=True)
class FactorText:
    kind_label: str
    text: str
    timeline_entry: TimelineEntry | None = None


def moment(value: datetime, zone: ZoneInfo) -> str:
    """A time as the write-up gives it: "Tue 4 Mar, 09:16 GMT"."""
    local = in_zone(value, zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local.tzname()}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def timeline_text(incident: Incident, zone: ZoneInfo) -> str:
    """The shared timeline in real times: the record's moments, the team's entries and each
    customer update published, in the order they happened."""
    rows: list[tuple[datetime, int, str]] = [(incident.started_at, 0, "Customers first affected")]
    if incident.detected_at:
        rows.append((incident.detected_at, 1, "Detected"))
    for entry in incident.timeline.order_by("occurred_at", "id"):
        rows.append((entry.occurred_at, 2, f"{entry.get_kind_display()}: {_one_line(entry.text)}"))
    published = Update.objects.customer_text().filter(incident=incident).order_by("published_at")
    for update in published:
        rows.append((update.published_at, 3, f"Update published ({update.get_status_display()})"))
    said_resolved = any(update.status == IncidentStatus.RESOLVED for update in published)
    if incident.resolved_at and not said_resolved:
        rows.append((incident.resolved_at, 4, "Resolved"))
    rows.sort(key=lambda row: (row[0], row[1]))
    return "\n".join(f"- {moment(at, zone)}: {what}" for at, _, what in rows)


def _times(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _accounts(signals: Iterable[CustomerSignal]) -> list[str]:
    seen: dict[str, str] = {}
    for item in signals:
        if item.account:
            seen.setdefault(item.account.casefold(), item.account)
    return sorted(seen.values(), key=str.casefold)


def customer_signal_text(incident: Incident) -> str:
    """What customers reported and asked, as support logged it: symptoms with their counts,
    questions with how often and by whom, and the accounts in touch. Empty when nothing was
    logged, so the check for missing customer signal (CL152) still speaks."""
    logged = list(CustomerSignal.objects.filter(incident=incident).order_by("reported_at", "id"))
    if not logged:
        return ""
    reports = [item for item in logged if item.kind == CustomerSignalKind.REPORT]
    questions = [item for item in logged if item.kind == CustomerSignalKind.QUESTION]
    lines = []
    if reports:
        lines.append(
            f"Customers reported ({_times(len(reports), 'report', 'reports')} from "
            f"{_times(len(_accounts(reports)), 'account', 'accounts')}):"
        )
        for symptom, count in signal.symptoms(incident):
            lines.append(f"- {symptom}: {_times(count, 'report', 'reports')}")
        unnamed = sum(1 for item in reports if not item.symptom)
        if unnamed:
            lines.append(f"- no symptom noted: {_times(unnamed, 'report', 'reports')}")
    if questions:
        lines.append(
            f"Customers asked ({_times(len(questions), 'question', 'questions')} from "
            f"{_times(len(_accounts(questions)), 'account', 'accounts')}):"
        )
        for group in signal.question_groups(incident):
            who = f" ({', '.join(group.accounts)})" if group.accounts else ""
            lines.append(
                f"- “{_one_line(group.title)}”: asked {_times(group.asked, 'time', 'times')}{who}"
            )
    accounts = _accounts(logged)
    if accounts:
        lines.append(f"Accounts in touch with support: {', '.join(accounts)}.")
    return "\n".join(lines)


def action_items(incident: Incident) -> str:
    """The incident's action items as lines of the write-up, one per item ("Add an alert on
    failed payouts (owner: Sam Okafor, due: 14 March)"), which CL151 and CL153 check."""
    from clearline.reviews.actions.selectors import action_items as items_of

    # A person without a full name is named by handle, as a team writes it ("@sam").
    lines = [
        f"- {item.outcome} (owner: {item.owner.get_full_name() or '@' + item.owner.username}, due: "
        f"{item.due_date:%d %B %Y}; {item.get_status_display().lower()})"
        for item in items_of(incident=incident).select_related("owner")
    ]
    return "\n".join(lines)


def document(
    sections: dict[str, str],
    whys: Sequence[WhyText] = (),
    factors: Sequence[FactorText] = (),
    *,
    zone: ZoneInfo | None = None,
    actions: str = "",
) -> str:
    """The write-up as one Markdown text: each section that has words, then the Five Whys,
    the contributing factors and the action items."""
    parts = []
    for name, heading in SECTIONS.items():
        text = (sections.get(name) or "").strip()
        if text:
            parts.append(f"## {heading}\n\n{text}")
    if whys:
        lines = []
        for number, why in enumerate(whys, start=1):
            lines.append(f"{number}. {_one_line(why.question)}")
            if why.answer.strip():
                lines.append(f"   {_one_line(why.answer)}{_see(why.timeline_entry, zone)}")
        parts.append("## Five Whys\n\n" + "\n".join(lines))
    if factors:
        lines = [
            f"- {factor.kind_label}: {_one_line(factor.text)}{_see(factor.timeline_entry, zone)}"
            for factor in factors
        ]
        parts.append("## Contributing factors\n\n" + "\n".join(lines))
    if actions.strip():
        parts.append(f"## Action items\n\n{actions.strip()}")
    return "\n\n".join(parts)


def _see(entry: TimelineEntry | None, zone: ZoneInfo | None) -> str:
    if entry is None or zone is None:
        return ""
    return f" (timeline: {moment(entry.occurred_at, zone)}, {entry.get_kind_display().lower()})"


def saved_document(review: Review, zone: ZoneInfo) -> str:
    """The stored write-up as one text."""
    whys = [
        WhyText(why.question, why.answer, why.timeline_entry)
        for why in review.whys.select_related("timeline_entry")
    ]
    factors = [
        FactorText(factor.get_kind_display(), factor.text, factor.timeline_entry)
        for factor in review.factors.select_related("timeline_entry")
    ]
    sections = {name: getattr(review, name) for name in SECTIONS}
    return document(sections, whys, factors, zone=zone, actions=action_items(review.incident))


def check(incident: Incident, text: str) -> Report:
    """The write-up through the application's checks, as kind `review` (CL120, CL150–CL153)."""
    return checking.check_draft(incident=incident, body=text, kind="review")
