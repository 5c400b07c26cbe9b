"""The phrase lists of one language, read from its data file and compiled once."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from functools import cache, cached_property, lru_cache
from pathlib import Path
from re import _parser as re_parser  # type: ignore[attr-defined]

from clearline.checks import starts, stored

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DATA = Path(__file__).parent / "data"
_FOLD = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


@lru_cache(maxsize=8)
def fold(text: str) -> str:
    """ASCII letters in lower case, one character for one: matching folded text against folded
    patterns is several times faster than case-insensitive matching, and spans stay valid. (In
    an ASCII text that is what `str.lower` does, and several times faster than a translation.)"""
    return text.lower() if text.isascii() else text.translate(_FOLD)


def prepare(pattern: str, *, folded: bool) -> str:
    """A phrase pattern ready to compile: a space matches any run of whitespace (so hard-wrapped
    lines still match) and, for folded matching, literals are put in lower case. Kept between
    processes (`clearline.checks.stored`)."""
    return stored.get("prepared", (pattern, folded), lambda: _prepare(pattern, folded))


def _prepare(pattern: str, folded: bool) -> str:
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
        elif pattern.startswith(("(?P<", "(?P="), index):
            out.append(pattern[index : index + 3])
            index += 3
            continue
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
        elif folded:
            char = char.lower()
        out.append(char)
        index += 1
    return "".join(out)


class Phrases:
    """Phrase patterns compiled to at most two regular expressions: the case-blind ones run on
    folded text, the few with a case-sensitive part (``(?-i:...)``) on the text as written.
    Alternatives are not capturing groups (named groups would make every scan several times
    slower); `suggestion` finds which one matched when a caller needs to know.

    The case-blind expression is tried only where one of its phrases can begin (see
    `clearline.checks.starts`), which finds the same matches as scanning the whole text."""

    def __init__(
        self,
        patterns: Iterable[str],
        suggestions: Iterable[str | None] = (),
        *,
        prefilter: bool = True,
    ):
        patterns = [p for p in patterns if p]
        self.patterns = tuple(patterns)
        self.suggestions = tuple(suggestions) or (None,) * len(patterns)
        self._blind_ids = [i for i, p in enumerate(patterns) if "(?-i:" not in p]
        self._cased_ids = [i for i, p in enumerate(patterns) if "(?-i:" in p]
        blind = [patterns[i] for i in self._blind_ids]
        cased = [patterns[i] for i in self._cased_ids]
        self._index = _index(blind, folded=True) if blind else None
        self._cased_index = _index(cased, folded=False) if cased else None
        # Literal words one of which any match must contain: when none is in a text, no
        # pattern can match and the scan is skipped (most lists find nothing in a good text).
        self._anchor_words: list[str] | None = None
        if prefilter:
            anchors = [_anchors(prepare(p, folded=True)) for p in patterns]
            if all(a is not None for a in anchors):
                self._anchor_words = sorted({w for a in anchors if a for w in a})

    # The expressions are compiled when first used: a check tries most lists only where their
    # first words are (`starts`), and compiling them all is most of a first check's time.
    @cached_property
    def _blind(self) -> re.Pattern[str] | None:
        return self._index.regex if self._index is not None else None

    @cached_property
    def _cased(self) -> re.Pattern[str] | None:
        return self._cased_index.regex if self._cased_index is not None else None

    @cached_property
    def _prefilter(self) -> re.Pattern[str] | None:
        if self._anchor_words is None:
            return None
        return stored.compile("|".join(re.escape(w) for w in self._anchor_words))

    @property
    def indexes(self) -> tuple[starts.Index, ...]:
        return tuple(i for i in (self._index, self._cased_index) if i is not None)

    @cached_property
    def _each(self) -> list[tuple[int, re.Pattern[str]]]:
        return [
            (i, _compile([(i, p)], folded="(?-i:" not in p)) for i, p in enumerate(self.patterns)
        ]

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize, *, overlapping: bool = False
    ) -> list[re.Match[str]]:
        """Matches in order of position; `overlapping` also finds phrases that start inside an
        earlier match ("will be back" and "back with an update")."""
        found: list[re.Match[str]] = []
        if self._index is not None:
            found = self._index.finditer(fold(text), pos, endpos, overlapping=overlapping)
        if self._cased_index is not None:
            cased = self._cased_index.finditer(text, pos, endpos, overlapping=overlapping)
            # Case-blind matches mean the prefilter passes; otherwise it is asked.
            if cased and (found or self.may_match(text)):
                found.extend(cased)
                found.sort(key=lambda m: m.start())
        return found

    def may_match(self, text: str) -> bool:
        return self._prefilter is None or self._prefilter.search(fold(text)) is not None

    def _targets(self, text: str) -> list[tuple[re.Pattern[str], str]]:
        targets = []
        if self._blind is not None:
            targets.append((self._blind, fold(text)))
        if self._cased is not None:
            targets.append((self._cased, text))
        return targets

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        first = self._index.search(fold(text), pos, endpos) if self._index is not None else None
        if self._cased_index is None:
            return first
        if first is None:
            # No case-blind match: a case-sensitive one counts when the prefilter passes too
            # (asked last: the search looks only where its phrases may begin, while the
            # prefilter reads the whole text).
            cased = self._cased_index.search(text, pos, endpos)
            return cased if cased is not None and self.may_match(text) else None
        # A case-sensitive match wins only when it starts earlier: look only that far.
        if pos == 0 and endpos == sys.maxsize:
            cased = self._cased_index.search_before(text, first.start())
        else:
            cased = self._cased_index.search(text, pos, endpos)
        return cased if cased is not None and cased.start() < first.start() else first

    def match_at(self, text: str, pos: int) -> re.Match[str] | None:
        """The phrase that starts exactly at `pos`, if one does."""
        for pattern, target in self._targets(text):
            match = pattern.match(target, pos)
            if match is not None:
                return match
        return None

    def scan(self, text: str) -> list[re.Match[str]]:
        """Matches in order, not overlapping, each the first phrase that matches at its place:
        where a case-blind and a case-sensitive phrase both match, the case-blind one."""
        cased = dict(self._cased_index.places(text)) if self._cased_index is not None else {}
        if not cased:
            return self.finditer(text)
        folded = fold(text)
        blind = dict(self._index.places(folded)) if self._index is not None else {}
        found: list[re.Match[str]] = []
        after = 0
        for place in sorted(blind.keys() | cased.keys()):
            if place < after:
                continue
            match = None
            if place in blind:
                match = self._index.match_at(folded, place, blind[place])  # type: ignore[union-attr]
            if match is None and place in cased:
                match = self._cased_index.match_at(text, place, cased[place])  # type: ignore[union-attr]
            if match is not None:
                found.append(match)
                after = match.end()
        # Without a case-blind match anywhere, case-sensitive ones count only when the
        # prefilter passes; it is asked last, as it reads the whole text.
        if found and not (self._index is not None and self._index.search(folded)):
            return found if self.may_match(text) else []
        return found

    def candidates(self, text: str, place: int) -> set[int]:
        """The patterns (by number) that may match at `place` of the whole text."""
        found: set[int] = set()
        if self._index is not None:
            found.update(self._blind_ids[i] for i in self._index.at(fold(text), place))
        if self._cased_index is not None:
            found.update(self._cased_ids[i] for i in self._cased_index.at(text, place))
        return found

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        match = self.search(text, pos, pos + 200)
        return match if match is not None and match.start() == pos else None

    def suggestion(self, match: re.Match[str]) -> str | None:
        for index, pattern in self._each:
            if self.suggestions[index] is None:
                continue
            found = pattern.match(match.string, match.start())
            if found is not None and found.end() == match.end():
                return self.suggestions[index]
        return None


def _anchors(pattern: str) -> set[str] | None:
    """Literal strings one of which every match of `pattern` contains (None: none known); kept
    between processes (`clearline.checks.stored`)."""
    return stored.get("anchors", pattern, lambda: _read_anchors(pattern))


def _read_anchors(pattern: str) -> set[str] | None:
    try:
        parsed = re_parser.parse(pattern)
    except re.error:
        return None
    return starts.exact_literals(list(parsed), exact=True)


def _index(patterns: list[str], *, folded: bool) -> starts.Index:
    """Case-blind patterns run on folded text, where their first words can be known; the others
    (case-sensitive in part) on the text as written."""
    return starts.Index(
        patterns,
        [prepare(p, folded=folded) for p in patterns],
        lambda group: _compile(list(enumerate(group)), folded=folded),
        known_starts=folded,
        exact=folded,
    )


def _compile(patterns: list[tuple[int, str]], *, folded: bool) -> re.Pattern[str]:
    """The patterns' alternation, kept between processes (`clearline.checks.stored`): a whole
    list, one pattern, or a set of patterns that meet at one place (see `starts.Index`). A set
    is compiled only once it has come up many times in one process, so the sets kept are the
    few that most texts have; parsing and compiling one takes a millisecond or more, reading it
    back a few microseconds."""
    body = "|".join(f"(?:{prepare(p, folded=folded)})" for _, p in patterns)
    return stored.compile(rf"(?<![\w@])(?:{body})(?![\w@])", 0 if folded else re.IGNORECASE)


def alternation(patterns: Iterable[str]) -> Phrases:
    return Phrases(patterns)


def literal(phrases: Iterable[str]) -> list[str]:
    """Plain phrases (from configuration) as patterns, longest first, spaces flexible."""
    unique = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return [r"\s+".join(re.escape(word) for word in p.split()) for p in unique]


class Lexicon:
    def __init__(self, data: Mapping[str, Any], language: str = "en"):
        self.data = data
        self.language = language
        self.abbreviations = stored.compile(
            "(?:" + "|".join(data["text"]["abbreviations"]) + r")\.?", re.IGNORECASE
        )
        self.apology = alternation(data["text"]["apology_words"])
        self.symptom = self.patterns("symptom")
        self.recovered = self.patterns("recovered")
        self.scope = self.patterns("scope")
        self.whole_down = stored.compile(data["scope"]["whole_down"], re.IGNORECASE)
        self.scope_vague = stored.compile(data["scope"]["vague"], re.IGNORECASE)
        self.feature = stored.compile(
            rf"(?<![\w@])(?:{'|'.join(data['feature']['patterns'])})(?![\w@])", re.IGNORECASE
        )
        self.problem = stored.compile(rf"\b{data['feature']['problem']}\b", re.IGNORECASE)
        subject = prepare(data["feature"]["subject"], folded=False)
        self.subject = stored.compile(rf"\s*{subject}", re.IGNORECASE)
        self.subject_not = stored.compile(data["feature"]["subject_not"], re.IGNORECASE)
        clause = data["symptom"]["clause"]
        self.symptom_function, self.symptom_trouble = (
            stored.compile(rf"(?<![\w@])(?:{self.with_parts(clause[key])})(?![\w@])", re.IGNORECASE)
            for key in ("function", "trouble")
        )
        self.symptom_denied = stored.compile(clause["denied"], re.IGNORECASE)
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
        self.jargon_home = stored.compile(data["jargon"]["home"], re.IGNORECASE)
        self.jargon_home_labels = stored.compile(data["jargon"]["home_labels"], re.IGNORECASE)
        self.empty_reassurance = list(data["empty_reassurance"]["patterns"])
        self.stock_apology = list(data["stock_apology"]["patterns"])
        self.vague_time = list(data["vague_time"]["patterns"])
        self.vague_time_exceptions = alternation(data["vague_time"]["exceptions"])
        self.speculation = list(data["speculation"]["patterns"])
        self.speculation_exceptions = alternation(data["speculation"]["exceptions"])
        self.speculation_live = stored.compile(data["speculation"]["live"], re.IGNORECASE)
        claims = {
            key: [self.with_parts(p) for p in data["premature_all_clear"][key]]
            for key in ("patterns", "safety")
        }
        self.premature_all_clear = claims["patterns"] + claims["safety"]
        self.safety_claim, self.victory_claim = (
            stored.compile("|".join(f"(?:{p})" for p in claims[key]), re.IGNORECASE)
            for key in ("safety", "patterns")
        )
        self.premature_all_clear_exceptions = alternation(data["premature_all_clear"]["exceptions"])
        blame = data["vendor_blame"]
        vendors, generic = blame["vendors"], blame["third_party"]
        self.vendor_blame = [
            p.replace("THIRD_PARTY", f"(?:{generic}|{vendors})").replace("VENDORS", vendors)
            for p in blame["patterns"]
        ]
        self.vendor_negation = stored.compile(blame["negations"], re.IGNORECASE)
        self.vendor_cause = Phrases(blame["cause"])
        self.vendor_own_side = stored.compile(blame["own_side"], re.IGNORECASE)
        self.vendor_cause_negation = stored.compile(blame["cause_negation"], re.IGNORECASE)
        self.vendor_own_part = stored.compile(blame["own_part"], re.IGNORECASE)
        self.vendor_tied = stored.compile(blame["tied"], re.IGNORECASE)
        self.vendor_tied_by = stored.compile(blame["tied_by"], re.IGNORECASE)
        self.third_party = Phrases([generic.replace(" ", r"\s+"), f"(?-i:{vendors})"])
        self.blame = list(data["blame"]["patterns"])
        verbs = data["blame"]["person_verbs"]
        self.blame_person = stored.compile(rf"\b([A-Z][a-z]+)\s+(?:{verbs})\b")
        self.not_names = frozenset(data["blame"]["not_names"])
        self.blame_negation = Phrases([data["blame"]["negations"]])
        items = data["action_items"]
        self.action_heading = stored.compile(items["heading"], re.IGNORECASE | re.MULTILINE)
        self.action_line = stored.compile(items["line_prefix"], re.IGNORECASE)
        self.action_owner = [stored.compile(p) for p in items["owner"]]
        self.action_owner_placeholder = stored.compile(items["owner_placeholder"], re.IGNORECASE)
        self.action_table_owner = stored.compile(items["table_owner"], re.IGNORECASE)
        self.action_table_due = stored.compile(items["table_due"], re.IGNORECASE)
        self.action_table_action = stored.compile(items["table_action"], re.IGNORECASE)
        self.action_table_other = stored.compile(items["table_other"], re.IGNORECASE)
        self.action_details = stored.compile(items["details"], re.IGNORECASE)
        self.action_subheading = stored.compile(items["subheading"], re.IGNORECASE)
        self.action_due = stored.compile(
            rf"(?<![\w@])(?:{'|'.join(items['due'])})(?![\w@])", re.IGNORECASE
        )
        self.customer_signal = self.patterns("customer_signal")
        self.messages: Mapping[str, Mapping[str, str]] = data["messages"]
        self.vague_action = list(data["vague_action"]["patterns"])
        self.vague_action_always = alternation(data["vague_action"]["always"])
        self.vague_action_concrete = stored.compile(
            data["vague_action"]["concrete_after"], re.IGNORECASE
        )

    def patterns(self, section: str) -> Phrases:
        """A section's patterns, with the shared parts of the data file (`[parts]`) written in
        where they say so in capitals (FUNCTION): a long alternation kept in one place."""
        return alternation([self.with_parts(p) for p in self.data[section]["patterns"]])

    def with_parts(self, pattern: str) -> str:
        for key, value in self.data.get("parts", {}).items():
            pattern = pattern.replace(key.upper(), value)
        return pattern


_VERB = stored.Expression(r"\{([a-z]+)\}")


def verb_forms(base: str, verbs: Mapping[str, Any]) -> list[str]:
    """A verb's forms: the base, the -s form, the past forms and the -ing form. Irregular
    forms come from the data file; a verb listed under `double` doubles its last letter."""
    irregular = verbs.get("irregular", {})
    if base in irregular:
        return [base, *irregular[base].split("|")]
    stem = base + base[-1] if base in verbs.get("double", ()) else base
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = base + "es"
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    if base.endswith("e"):
        past = base + "d"
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        past = base[:-1] + "ied"
    else:
        past = stem + "ed"
    if base.endswith("ie"):
        ing = base[:-2] + "ying"
    elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        ing = base[:-1] + "ing"
    else:
        ing = stem + "ing"
    return [base, third, past, ing]


def expand_verbs(data: Any, verbs: Mapping[str, Any] | None = None) -> Any:
    """The data file with each ``{verb}`` in its patterns written out as the verb's forms:
    "{take}" matches take, takes, took, taken and taking."""
    if verbs is None:
        verbs = data.get("verbs", {})
    if isinstance(data, str):
        return _VERB.sub(lambda m: "(?:" + "|".join(verb_forms(m[1], verbs)) + ")", data)
    if isinstance(data, list):
        return [expand_verbs(item, verbs) for item in data]
    if isinstance(data, dict):
        return {
            key: value if key == "verbs" else expand_verbs(value, verbs)
            for key, value in data.items()
        }
    return data


def load(language: str = "en") -> Lexicon:
    return _load(language)


@cache
def _load(language: str) -> Lexicon:
    text = (DATA / f"{language}.toml").read_bytes()
    # The file read and its verbs written out are kept between processes, by the file's digest
    # (`clearline.checks.stored`): parsing TOML is a good part of a first check's time.
    data = stored.get("lexicon", (language, stored.digest(text)), lambda: _read(text))
    return Lexicon(data, language)


def _read(text: bytes) -> dict[str, Any]:
    import tomllib  # only when the data file changed since it was last read

    return expand_verbs(tomllib.loads(text.decode("utf-8")))
