"""The labelled set: texts of every kind with the exact rules each must fire."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from clearline.checks import CheckConfig

FOLDER = Path(__file__).parent / "examples"


@dataclass(frozen=True)
class Example:
    kind: str
    name: str
    text: str
    fires: frozenset[str]
    glossary: tuple[str, ...] = ()

    @property
    def config(self) -> CheckConfig:
        return CheckConfig(glossary=self.glossary)

    @property
    def id(self) -> str:
        return f"{self.kind}: {self.name}"


def load_examples(folder: Path = FOLDER) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.toml")):
        if path.name == "history.toml":
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data["example"]:
            examples.append(
                Example(
                    kind=entry.get("kind", data.get("kind")),
                    name=entry["name"],
                    text=entry["text"].strip(),
                    fires=frozenset(entry["fires"]),
                    glossary=tuple(entry.get("glossary", ())),
                )
            )
    return examples


def load_history() -> list[str]:
    data = tomllib.loads((FOLDER / "history.toml").read_text(encoding="utf-8"))
    return [text.strip() for text in data["texts"]]
