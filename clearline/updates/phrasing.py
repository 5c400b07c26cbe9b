"""How the composer puts the writer's words into its sentences without writing a wrong one.

- A sentence carried from an earlier update is read back through the templates that wrote it,
  so its prompt ("What customers see right now:") never travels on (`unfill`, `unprompted`).
- A field placed mid-sentence or after a colon starts in lower case unless its first word is a
  name (`placed`).
- A resolution tells what customers experienced in the past tense (`past`).
"""

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from clearline.updates import wording as data

TENSE = Path(__file__).parent / "data" / "tense.en.toml"

_FIELD = re.compile(r"\{(\w+)\}")
_WORD = re.compile(r"[A-Za-z][\w'-]*")


@cache
def _sentences() -> tuple[str, ...]:
    """Every template sentence, alternatives included, of every kind and tier, and those earlier
    templates wrote."""
    found: list[str] = list(data.wording().retired)
    for tiers in data.wording().templates.values():
        for templates in tiers.values():
            for template in templates:
                for paragraph in template.paragraphs:
                    for sentence in paragraph:
                        found += [sentence] if isinstance(sentence, str) else sentence
    return tuple(dict.fromkeys(found))


def _pattern(sentence: str) -> re.Pattern[str]:
    """A template sentence as a pattern that reads its fields back out of a written one."""
    parts, seen, end = [], set(), 0
    for field in _FIELD.finditer(sentence):
        parts.append(r"\s*".join(map(re.escape, sentence[end : field.start()].split(" "))))
        name = field.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        end = field.end()
    parts.append(re.escape(sentence[end:].rstrip(".")))
    return re.compile("".join(parts) + r"[.!?]?", re.IGNORECASE)


@cache
def _patterns(field: str) -> tuple[re.Pattern[str], ...]:
    with_field = [s for s in _sentences() if "{" + field + "}" in s]
    # The longest first: "What customers see right now: {symptom}." before "{symptom}."
    return tuple(_pattern(s) for s in sorted(with_field, key=len, reverse=True))


@cache
def _prompts() -> re.Pattern[str]:
    """The words the templates put before a field and a colon: "What customers see right
    now:", "Affected:", "Since {started}, we have seen a problem:"."""
    prompts = set()
    for sentence in _sentences():
        for field in _FIELD.finditer(sentence):
            before = sentence[: field.start()]
            if before.endswith(": "):
                prompts.add(_FIELD.sub("\x00", before.rstrip()))
    alternatives = sorted(
        (r"\s*".join(map(re.escape, p.split(" "))).replace("\x00", ".+?") for p in prompts),
        key=len,
        reverse=True,
    )
    return re.compile(rf"^\s*(?:{'|'.join(alternatives)})\s*", re.IGNORECASE)


def unprompted(value: str) -> str:
    """`value` without the template prompts it starts with."""
    prompts = _prompts()
    while (prompt := prompts.match(value)) is not None and prompt.end() < len(value):
        value = value[prompt.end() :]
    return value


def unfill(sentence: str, field: str) -> str:
    """What a sentence a template wrote said for `field`: the sentence read back through the
    templates with that field; failing that, the sentence without its prompts."""
    sentence = sentence.strip()
    for pattern in _patterns(field):
        match = pattern.fullmatch(sentence)
        if match is not None and match.group(field).strip():
            return unprompted(match.group(field).strip())
    return unprompted(sentence).rstrip(" .!")


def names_in(values: Iterable[str]) -> frozenset[str]:
    """Words written with a capital where no sentence starts: names ("Pro", "Reyes", "Stripe")."""
    found: set[str] = set()
    for value in values:
        for match in _WORD.finditer(value):
            before = value[: match.start()].rstrip()
            if before and before[-1] not in '.!?:"“' and match.group()[0].isupper():
                found.add(match.group())
    return frozenset(found)


def placed(value: str, names: frozenset[str], *, only: frozenset[str] | None = None) -> str:
    """A field set inside a sentence (mid-sentence or after a colon): its first word loses its
    capital unless it is a name — written with a capital elsewhere, followed by another
    capitalised word ("Dana Reyes", "Google Cloud") or a number ("Tuesday 10 March"), an
    acronym ("EU") or mixed case ("iOS").
    With `only`, just those words lose it (a person's name may stand alone)."""
    word = _WORD.match(value)
    if word is None or word.group() in names or word.group() == "I":
        return value
    text = word.group()
    if only is not None and text.lower() not in only:
        return value
    if len(text) > 1 and not text[1:].islower():
        return value
    following = value[word.end() + 1 : word.end() + 2]
    if following.isupper() or following.isdigit():
        return value  # "Dana Reyes", "Tuesday 10 March"
    return value[:1].lower() + value[1:]


@cache
def _tense() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str]]:
    data = tomllib.loads(TENSE.read_text(encoding="utf-8"))
    forms = {present.lower(): past for present, past in data["past_tense"].items()}
    # Longest first, so "do not" is read before "do".
    words = sorted(forms, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
    keep_after = re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in data["keep_after"]) + r")\s+$", re.I
    )
    return pattern, forms, keep_after


def past(text: str) -> str:
    """What was said while it was happening, told afterwards: "emails are late" → "were late",
    "Customers cannot sign in" → "could not sign in". A verb after "could", "not", "to" and
    the like keeps its form."""
    pattern, forms, keep_after = _tense()

    def told(match: re.Match[str]) -> str:
        if keep_after.search(text, 0, match.start()):
            return match.group()
        form = forms[match.group().lower()]
        return form[:1].upper() + form[1:] if match.group()[0].isupper() else form

    return re.sub(r"\s{2,}", " ", pattern.sub(told, text)).strip()
