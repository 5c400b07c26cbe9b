"""What a check returns: findings, the reader test and text statistics."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
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


@dataclass(frozen=True, slots=True)
class ReaderTest:
    """The answers a reader takes away in 20 seconds, as found in the text (None: not found)."""

    what_happened: str | None
    who_is_affected: str | None
    next_update: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "what_happened": self.what_happened,
            "who_is_affected": self.who_is_affected,
            "next_update": self.next_update,
        }


@dataclass(frozen=True, slots=True)
class Stats:
    words: int
    sentences: int
    grade: float

    def to_dict(self) -> dict[str, int | float]:
        return {"words": self.words, "sentences": self.sentences, "grade": self.grade}


@dataclass(frozen=True, slots=True)
class Report:
    kind: str
    findings: tuple[Finding, ...]
    reader_test: ReaderTest
    stats: Stats
    # What the completeness rules took as each element they found (name -> start, end):
    # "scope" is the phrase read as saying who is affected. An element a rule looked for and
    # did not find is absent, and its rule fired.
    elements: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))

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
