"""What a check returns: findings, the reader test and text statistics."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from clearline.checks.record import Record

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_NO_ELEMENTS: Mapping[str, tuple[int, int]] = MappingProxyType({})


class Finding(Record):
    __slots__ = _fields = ("rule", "code", "severity", "message", "start", "end", "suggestion")
    rule: str
    code: str
    severity: str
    message: str
    start: int | None
    end: int | None
    suggestion: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "suggestion": self.suggestion,
        }


class ReaderTest(Record):
    """The answers a reader takes away in 20 seconds, as found in the text (None: not found)."""

    __slots__ = _fields = ("what_happened", "who_is_affected", "next_update")
    what_happened: str | None
    who_is_affected: str | None
    next_update: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "what_happened": self.what_happened,
            "who_is_affected": self.who_is_affected,
            "next_update": self.next_update,
        }


class Stats(Record):
    __slots__ = _fields = ("words", "sentences", "grade")
    words: int
    sentences: int
    grade: float

    def to_dict(self) -> dict[str, int | float]:
        return {"words": self.words, "sentences": self.sentences, "grade": self.grade}


class Report(Record):
    __slots__ = _fields = ("kind", "findings", "reader_test", "stats", "elements")
    kind: str
    findings: tuple[Finding, ...]
    reader_test: ReaderTest
    stats: Stats
    # What the completeness rules took as each element they found (name -> start, end):
    # "scope" is the phrase read as saying who is affected. An element a rule looked for and
    # did not find is absent, and its rule fired.
    elements: Mapping[str, tuple[int, int]]

    _defaults = {"elements": _NO_ELEMENTS}

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "findings": [f.to_dict() for f in self.findings],
            "reader_test": self.reader_test.to_dict(),
            "stats": self.stats.to_dict(),
        }
