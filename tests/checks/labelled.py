"""The labelled sets: texts of every kind with the exact rules each must fire, and the evidence
a careful reader would point at.

`examples/` is the development set: rules are tuned on it. `heldout/` is never used to tune
rules; each of its files says so. `real/` holds texts modelled on real status pages and
postmortems, written fresh (no company's sentence is copied): `real/development/` may be used to
tune rules, `real/heldout/` never is, and its figures are the headline in the benchmark.
Both may list known misses (`known_misses.toml`): examples
where the checker and the reader disagree, each recorded with the reason.

An example may carry evidence:

    evidence.<rule> = "text"       a finding of the rule points at this text (one per finding
                                   when a list is given)
    elements.<element> = "text"    the completeness rules took this text as the element
                                   ("symptom", "scope", "still_works", "owner", "next_update", ...)
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from clearline.checks import CheckConfig, Report

FOLDER = Path(__file__).parent / "examples"
HELDOUT = Path(__file__).parent / "heldout"
REAL_DEVELOPMENT = Path(__file__).parent / "real" / "development"
REAL_HELDOUT = Path(__file__).parent / "real" / "heldout"
KNOWN_MISSES = "known_misses.toml"
# The element each "missing" rule looks for.
ELEMENT_OF = {
    "missing-symptom": "symptom",
    "missing-scope": "scope",
    "missing-still-works": "still_works",
    "missing-next-update": "next_update",
    "missing-owner": "owner",
    "missing-customer-action": "customer_action",
    "missing-verification": "verification",
    "missing-safety-boundary": "safety",
    "missing-prevention": "prevention",
    "missing-contact-path": "contact",
    "missing-review-promise": "review_promise",
    "missing-customer-signal": "customer_signal",
}


@dataclass(frozen=True)
class Example:
    kind: str
    name: str
    text: str
    fires: frozenset[str]
    glossary: tuple[str, ...] = ()
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    elements: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def config(self) -> CheckConfig:
        return CheckConfig(glossary=self.glossary)

    @property
    def id(self) -> str:
        return f"{self.kind}: {self.name}"


@dataclass(frozen=True)
class KnownMiss:
    """A rule the checker gets wrong on one example: "missed" (the reader sees the problem, the
    checker does not) or "false alarm" (the checker fires, the reader sees no problem)."""

    example: str
    rule: str
    what: str
    why: str


def load_examples(folder: Path = FOLDER) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.toml")):
        if path.name in ("history.toml", KNOWN_MISSES):
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data["example"]:
            evidence = {
                rule: (texts,) if isinstance(texts, str) else tuple(texts)
                for rule, texts in entry.get("evidence", {}).items()
            }
            examples.append(
                Example(
                    kind=entry.get("kind", data.get("kind")),
                    name=entry["name"],
                    text=entry["text"].strip(),
                    fires=frozenset(entry["fires"]),
                    glossary=tuple(entry.get("glossary", ())),
                    evidence=evidence,
                    elements=dict(entry.get("elements", {})),
                )
            )
    return examples


def load_known_misses(folder: Path = FOLDER) -> list[KnownMiss]:
    path = folder / KNOWN_MISSES
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [KnownMiss(m["example"], m["rule"], m["what"], m["why"]) for m in data.get("miss", [])]


def expected_rules(example: Example, misses: list[KnownMiss]) -> frozenset[str]:
    """What the checker is known to fire on an example: the reader's label, less the rules it
    is known to miss, plus its known false alarms."""
    rules = set(example.fires)
    for miss in misses:
        if miss.example == example.id:
            if miss.what == "missed":
                rules.discard(miss.rule)
            else:
                rules.add(miss.rule)
    return frozenset(rules)


def where(text: str, evidence: str) -> list[tuple[int, int]]:
    """Every place `evidence` occurs in `text`, where any run of whitespace matches any other
    (the texts are wrapped)."""
    pattern = r"\s+".join(map(re.escape, evidence.split()))
    return [(m.start(1), m.end(1)) for m in re.finditer(f"(?=({pattern}))", text)]


def points_at(span: tuple[int, int], places: list[tuple[int, int]]) -> bool:
    """Whether a span the checker found is the evidence: within it, or holding it."""
    start, end = span
    return any(s <= start and end <= e or start <= s and e <= end for s, e in places)


def evidence_problems(example: Example, report: Report) -> list[str]:
    """Where the checker's findings and elements differ from the evidence the example names."""
    text, problems = example.text, []
    for rule, texts in example.evidence.items():
        spans = [
            (f.start, f.end) for f in report.findings if f.rule == rule and f.start is not None
        ]
        for evidence in texts:
            places = where(text, evidence)
            if not places:
                problems.append(f"{rule}: evidence {evidence!r} is not in the text")
            elif not any(points_at(span, places) for span in spans):
                found = [text[s:e] for s, e in spans]
                problems.append(f"{rule}: no finding points at {evidence!r}; found {found}")
    for element, evidence in example.elements.items():
        places = where(text, evidence)
        taken = report.elements.get(element)
        if not places:
            problems.append(f"{element}: evidence {evidence!r} is not in the text")
        elif taken is None or not points_at(taken, places):
            found = text[taken[0] : taken[1]] if taken else None
            problems.append(f"{element}: taken as {found!r}, not {evidence!r}")
    for rule in report.rules & ELEMENT_OF.keys():
        taken = report.elements.get(ELEMENT_OF[rule])
        if taken is not None:
            problems.append(f"{rule} fired, yet {text[taken[0] : taken[1]]!r} was taken as it")
    return problems


def load_history() -> list[str]:
    data = tomllib.loads((FOLDER / "history.toml").read_text(encoding="utf-8"))
    return [text.strip() for text in data["texts"]]
