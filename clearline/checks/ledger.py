"""What the application knows beyond the text: the incident's status and its facts ledger.

Plain values, so the engine stays free of Django: the application copies its ledger into these,
tests and other callers build them by hand. With no ledger (the command line) the application
rules (CL121, CL122) do not run.
"""

from __future__ import annotations

from collections.abc import Iterable

from clearline.checks.record import Record

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

ENTRY_KINDS = ("fact", "question")
SUBJECTS = ("data_safety", "cause", "vendor", "recovery", "scope", "other")
ENTRY_STATUSES = ("open", "confirmed", "answered", "withdrawn")
INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved")

SUBJECT_LABELS = {
    "data_safety": "data safety",
    "cause": "the cause",
    "vendor": "a supplier's part in it",
    "recovery": "when service will be back",
    "scope": "who is affected",
    "other": "this",
}


class LedgerError(ValueError):
    """A ledger value the engine does not know; the message names it."""


def _known(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise LedgerError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


class Entry(Record):
    """One line of the ledger: a fact or an open question about one subject."""

    __slots__ = _fields = ("kind", "subject", "status", "text")
    kind: str
    subject: str
    status: str
    text: str

    _defaults = {"text": ""}

    def _check(self) -> None:
        _known(self.kind, ENTRY_KINDS, "kind")
        _known(self.subject, SUBJECTS, "subject")
        _known(self.status, ENTRY_STATUSES, "status")

    @property
    def settled(self) -> bool:
        """A fact someone confirmed, or a question that has its answer."""
        return self.kind == "fact" and self.status in ("confirmed", "answered")

    @property
    def open_question(self) -> bool:
        return self.kind == "question" and self.status == "open"


class Ledger(Record):
    """The incident's status as this text would publish it, its ledger, and optionally the
    approved text of the same update on another channel and the next update time the update
    promises in its own field (`next_update_due`, aware; `zone` is the organisation's IANA time
    zone, in which a time written without a zone is read)."""

    __slots__ = _fields = ("status", "entries", "approved_text", "next_update_due", "zone")
    status: str
    entries: tuple[Entry, ...]
    approved_text: str | None
    next_update_due: datetime | None
    zone: str

    _defaults = {"entries": (), "approved_text": None, "next_update_due": None, "zone": "UTC"}

    def _check(self) -> None:
        _known(self.status, INCIDENT_STATUSES, "status")
        if self.next_update_due is not None and self.next_update_due.tzinfo is None:
            raise LedgerError("next_update_due must carry its time zone")

    @classmethod
    def of(
        cls,
        status: str,
        entries: Iterable[Entry] = (),
        approved_text: str | None = None,
        *,
        next_update_due: datetime | None = None,
        zone: str = "UTC",
    ) -> Ledger:
        return cls(status, tuple(entries), approved_text, next_update_due, zone)

    def confirmed(self, subject: str) -> bool:
        return any(e.settled and e.subject == subject for e in self.entries)

    def settled(self, subject: str) -> list[Entry]:
        return [e for e in self.entries if e.settled and e.subject == subject]

    def open_questions(self, subject: str) -> list[Entry]:
        return [e for e in self.entries if e.open_question and e.subject == subject]
