"""The composer's wording (data/compose.en.toml): templates per kind and impact tier, the status
in words, who is affected from the incident's segments."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "compose.en.toml"
KINDS = ("first", "update", "resolved")
TIERS = {"none": "minor", "minor": "minor", "major": "major", "critical": "critical"}

Sentence = str | list[str]


@dataclass(frozen=True)
class Template:
    id: str
    paragraphs: tuple[tuple[Sentence, ...], ...]


@dataclass(frozen=True)
class Wording:
    templates: dict[str, dict[str, tuple[Template, ...]]]
    status: dict[str, list[str]]
    status_unconfirmed: dict[str, list[str]]
    segments: dict[str, str]
    people: frozenset[str]
    retired: tuple[str, ...]


@cache
def wording() -> Wording:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    templates = {
        kind: {
            tier: tuple(
                Template(f"{kind}-{tier}-{number}", tuple(tuple(p) for p in paragraphs))
                for number, paragraphs in enumerate(data[kind][tier], start=1)
            )
            for tier in ("minor", "major", "critical")
        }
        for kind in KINDS
    }
    segments = dict(data["segments"])
    people = segments.pop("people")
    return Wording(
        templates=templates,
        status={k: v for k, v in data["status"].items() if k != "unconfirmed"},
        status_unconfirmed=data["status"]["unconfirmed"],
        segments=segments,
        people=frozenset(people["words"]),
        retired=tuple(data["retired"]["sentences"]),
    )


def templates_for(kind: str, impact: str) -> tuple[Template, ...]:
    return wording().templates[kind][TIERS.get(impact, "minor")]


def template_for(kind: str, impact: str, sequence: int) -> Template:
    """The template for the `sequence`-th update of an incident: never the one before it."""
    choices = templates_for(kind, impact)
    return choices[sequence % len(choices)]
