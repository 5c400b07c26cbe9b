"""The phrase lists of one language, read from its data file and compiled once."""

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any


def flexible_spaces(pattern: str) -> str:
    """A space in a phrase matches any run of whitespace, so hard-wrapped lines still match."""
    out: list[str] = []
    in_class = escaped = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        following = pattern[index + 1] if index + 1 < len(pattern) else ""
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == " ":
            if in_class:
                char = "\\s"
            elif following in ("?", "*"):
                char, index = "\\s*", index + 1
            else:
                char = "\\s+"
        out.append(char)
        index += 1
    return "".join(out)


def alternation(patterns: Iterable[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One pattern matching any of `patterns` as whole words (never matches when empty)."""
    parts = [flexible_spaces(p) for p in patterns if p]
    if not parts:
        return re.compile(r"(?!x)x")
    body = "|".join(f"(?:{p})" for p in parts)
    return re.compile(rf"(?<![\w@])(?:{body})(?![\w@])", flags)


def literal(phrases: Iterable[str]) -> list[str]:
    """Plain phrases (from configuration) as patterns, longest first, spaces flexible."""
    unique = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return [r"\s+".join(re.escape(word) for word in p.split()) for p in unique]


class Lexicon:
    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.abbreviations = re.compile(
            "(?:" + "|".join(data["text"]["abbreviations"]) + r")\.?", re.IGNORECASE
        )
        self.apology = alternation(data["text"]["apology_words"])
        self.symptom = self.patterns("symptom")
        self.scope = self.patterns("scope")
        self.still_works = self.patterns("still_works")
        self.owner = self.patterns("owner")
        self.customer_action = self.patterns("customer_action")
        self.verification = self.patterns("verification")
        self.safety = self.patterns("safety")
        self.prevention = self.patterns("prevention")
        self.contact = self.patterns("contact")
        self.review_promise = alternation(data["review_promise"]["promise"])
        self.review_when = alternation(data["review_promise"]["when"])
        self.timeline_minimum = int(data["timeline"]["minimum_times"])
        self.jargon_suggestions = list(data["jargon"]["phrases"].values())
        self.jargon_patterns = list(data["jargon"]["phrases"].keys())
        self.glossary = list(data["jargon"]["glossary"])
        self.empty_reassurance = list(data["empty_reassurance"]["patterns"])
        self.stock_apology = list(data["stock_apology"]["patterns"])
        self.vague_time = list(data["vague_time"]["patterns"])
        self.vague_time_exceptions = alternation(data["vague_time"]["exceptions"])
        self.speculation = list(data["speculation"]["patterns"])
        self.speculation_exceptions = alternation(data["speculation"]["exceptions"])
        self.premature_all_clear = list(data["premature_all_clear"]["patterns"])
        vendors = data["vendor_blame"]["vendors"]
        self.vendor_blame = [
            p.replace("VENDORS", vendors) for p in data["vendor_blame"]["patterns"]
        ]
        self.blame = list(data["blame"]["patterns"])
        self.blame_person = re.compile(rf"\b([A-Z][a-z]+)\s+(?:{data['blame']['person_verbs']})\b")
        self.not_names = frozenset(data["blame"]["not_names"])
        self.blame_negation = re.compile(data["blame"]["negations"], re.IGNORECASE)
        items = data["action_items"]
        self.action_heading = re.compile(items["heading"], re.IGNORECASE | re.MULTILINE)
        self.action_line = re.compile(items["line_prefix"], re.IGNORECASE)
        self.action_owner = [re.compile(p) for p in items["owner"]]
        self.action_due = alternation(items["due"])
        self.customer_signal = self.patterns("customer_signal")
        self.vague_action = list(data["vague_action"]["patterns"])
        self.vague_action_always = alternation(data["vague_action"]["always"])
        self.vague_action_concrete = re.compile(
            data["vague_action"]["concrete_after"], re.IGNORECASE
        )

    def patterns(self, section: str) -> re.Pattern[str]:
        return alternation(self.data[section]["patterns"])


@cache
def load(language: str = "en") -> Lexicon:
    source = resources.files("clearline.checks") / "data" / f"{language}.toml"
    return Lexicon(tomllib.loads(source.read_text(encoding="utf-8")))
