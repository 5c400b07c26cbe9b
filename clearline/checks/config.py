"""Per-run and per-organisation settings for the checks, loadable from a TOML file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

from clearline.checks import catalog
from clearline.checks.record import Record

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Rules whose phrase lists a configuration may extend with `[checks.phrases]`.
PHRASE_RULES = (
    "jargon",
    "empty-reassurance",
    "stock-apology",
    "vague-time",
    "speculation",
    "premature-all-clear",
    "vendor-blame",
    "blame-language",
    "vague-action",
)


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the setting at fault."""


_EMPTY: Mapping[str, Any] = MappingProxyType({})


class CheckConfig(Record):
    # No __slots__: what is worked out once per configuration is kept in its __dict__.
    _fields = (
        "glossary",
        "grade_target",
        "review_grade_target",
        "max_sentence_words",
        "extra_phrases",
        "severity_overrides",
        "disabled",
        "language",
    )
    glossary: tuple[str, ...]
    grade_target: float
    review_grade_target: float
    max_sentence_words: int
    extra_phrases: Mapping[str, tuple[str, ...]]
    severity_overrides: Mapping[str, str]
    disabled: frozenset[str]
    language: str

    _defaults = {
        "glossary": (),
        "grade_target": 10.0,
        "review_grade_target": 13.0,
        "max_sentence_words": 35,
        "extra_phrases": _EMPTY,
        "severity_overrides": _EMPTY,
        "disabled": frozenset(),
        "language": "en",
    }

    def _check(self) -> None:
        for key, severity in self.severity_overrides.items():
            if severity not in catalog.SEVERITIES:
                raise ConfigError(
                    f"severity for {key!r} must be one of {', '.join(catalog.SEVERITIES)}, "
                    f"not {severity!r}"
                )
            _rule(key, "severity")
        for key in self.disabled:
            _rule(key, "disable")
        for key in self.extra_phrases:
            if _rule(key, "phrases").name not in PHRASE_RULES:
                raise ConfigError(
                    f"phrases: {key!r} has no phrase list; use one of {', '.join(PHRASE_RULES)}"
                )
        if not _has_phrase_lists(self.language):
            raise ConfigError(f"language: no phrase lists for {self.language!r}")
        if self.max_sentence_words < 1:
            raise ConfigError("readability.max_sentence_words must be a positive number")

    @cached_property
    def _codes(self) -> tuple[frozenset[str], dict[str, str], dict[str, tuple[str, ...]]]:
        disabled = frozenset(_rule(key, "disable").code for key in self.disabled)
        severities = {_rule(k, "severity").code: v for k, v in self.severity_overrides.items()}
        phrases: dict[str, tuple[str, ...]] = {}
        for key, values in self.extra_phrases.items():
            name = _rule(key, "phrases").name
            phrases[name] = phrases.get(name, ()) + tuple(values)
        return disabled, severities, phrases

    def is_enabled(self, code: str) -> bool:
        return code not in self._codes[0]

    def severity(self, code: str, default: str) -> str:
        return self._codes[1].get(code, default)

    def phrases(self, rule_name: str) -> tuple[str, ...]:
        return self._codes[2].get(rule_name, ())

    def grade_limit(self, kind: str) -> float:
        return self.review_grade_target if kind == "review" else self.grade_target

    @classmethod
    def from_toml(cls, path: str | Path) -> CheckConfig:
        import tomllib  # here: `clearline check` without --config starts faster

        try:
            with open(path, "rb") as file:
                data = tomllib.load(file)
        except OSError as error:
            raise ConfigError(f"cannot read {path}: {error.strerror}") from error
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path} is not valid TOML: {error}") from error
        return cls.from_mapping(data.get("checks", {}))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CheckConfig:
        """Build from the `[checks]` table of clearline.toml."""
        known = {"glossary", "readability", "phrases", "severity", "disable", "language"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown setting checks.{unknown[0]}")
        readability = _table(data, "readability")
        unknown = sorted(set(readability) - {"grade", "review_grade", "max_sentence_words"})
        if unknown:
            raise ConfigError(f"unknown setting checks.readability.{unknown[0]}")
        phrases = _table(data, "phrases")
        return cls(
            glossary=_strings(data.get("glossary", []), "glossary"),
            grade_target=_number(readability.get("grade", 10.0), "readability.grade"),
            review_grade_target=_number(
                readability.get("review_grade", 13.0), "readability.review_grade"
            ),
            max_sentence_words=int(
                _number(readability.get("max_sentence_words", 35), "readability.max_sentence_words")
            ),
            extra_phrases=MappingProxyType(
                {key: _strings(value, f"phrases.{key}") for key, value in phrases.items()}
            ),
            severity_overrides=MappingProxyType(
                {key: str(value) for key, value in _table(data, "severity").items()}
            ),
            disabled=frozenset(_strings(data.get("disable", []), "disable")),
            language=str(data.get("language", "en")),
        )


@lru_cache(maxsize=32)
def _has_phrase_lists(language: str) -> bool:
    """Whether a data file holds phrase lists for `language` (asked once per language: a
    configuration is made for every check)."""
    if not re.fullmatch(r"[a-z]{2,3}(?:[-_][a-zA-Z]{2,4})?", language):
        return False
    return (Path(__file__).parent / "data" / f"{language}.toml").is_file()


def _rule(key: str, setting: str) -> catalog.Rule:
    rule = catalog.lookup(key)
    if rule is None:
        raise ConfigError(f"{setting}: {key!r} is not a rule code or name")
    return rule


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"checks.{key} must be a table")
    return value


def _strings(value: Any, setting: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"checks.{setting} must be a list of strings")
    return tuple(value)


def _number(value: Any, setting: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"checks.{setting} must be a number")
    return float(value)
