"""What every rule sees: the cut-up draft, its times, the phrase lists and the configuration."""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property

from clearline.checks import lexicon, readability
from clearline.checks.boilerplate import History
from clearline.checks.config import PHRASE_RULES, CheckConfig
from clearline.checks.lexicon import Phrases
from clearline.checks.text import Document, Span, words
from clearline.checks.times import TimeExpression, grammar


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding before the catalog gives it a code, a name and a severity."""

    start: int | None
    end: int | None
    message: str
    suggestion: str | None = None


@dataclass(frozen=True)
class PhraseLists:
    jargon: Phrases
    empty_reassurance: Phrases
    stock_apology: Phrases
    vague_time: Phrases
    speculation: Phrases
    premature_all_clear: Phrases
    vendor_blame: Phrases
    blame: Phrases
    vague_action: Phrases
    apology_words: Phrases

    # The lists each kind of text is checked for, scanned together (see Context._found).
    @property
    def external(self) -> tuple[Phrases, ...]:
        return (
            self.jargon,
            self.empty_reassurance,
            self.stock_apology,
            self.apology_words,
            self.vague_time,
            self.speculation,
            self.premature_all_clear,
            self.vendor_blame,
        )

    @property
    def review(self) -> tuple[Phrases, ...]:
        return (self.blame, self.vague_action)


@cache
def _phrases(
    language: str, glossary: tuple[str, ...], extra: tuple[tuple[str, tuple[str, ...]], ...]
) -> PhraseLists:
    lex = lexicon.load(language)
    more = dict(extra)
    internal = "An internal name means nothing to customers; say what they saw instead."

    def with_extra(rule: str, patterns: list[str]) -> Phrases:
        return Phrases(patterns + lexicon.literal(more.get(rule, ())))

    names = lexicon.literal(list(lex.glossary) + list(glossary) + list(more.get("jargon", ())))
    return PhraseLists(
        jargon=Phrases(
            lex.jargon_patterns + names, lex.jargon_suggestions + [internal] * len(names)
        ),
        empty_reassurance=with_extra("empty-reassurance", lex.empty_reassurance),
        stock_apology=with_extra("stock-apology", lex.stock_apology),
        vague_time=with_extra("vague-time", lex.vague_time),
        speculation=with_extra("speculation", lex.speculation),
        premature_all_clear=with_extra("premature-all-clear", lex.premature_all_clear),
        vendor_blame=with_extra("vendor-blame", lex.vendor_blame),
        blame=with_extra("blame-language", lex.blame),
        vague_action=with_extra("vague-action", lex.vague_action),
        apology_words=lex.apology,
    )


def phrases_for(config: CheckConfig) -> PhraseLists:
    extra = tuple(
        sorted((name, config.phrases(name)) for name in PHRASE_RULES if config.phrases(name))
    )
    return _phrases(config.language, tuple(config.glossary), extra)


@dataclass
class Context:
    text: str
    kind: str
    config: CheckConfig
    history: History
    lex: lexicon.Lexicon = field(init=False)
    doc: Document = field(init=False)
    phrases: PhraseLists = field(init=False)

    def __post_init__(self) -> None:
        self._first: dict[int, re.Match[str] | None] = {}
        self.lex = lexicon.load(self.config.language)
        self.doc = Document(self.text, self.lex.abbreviations)
        self.phrases = phrases_for(self.config)

    @cached_property
    def times(self) -> list[TimeExpression]:
        return grammar(self.config.language).find(self.doc)

    @cached_property
    def sentence_words(self) -> list[list[str]]:
        folded = lexicon.fold(self.doc.plain)
        return [words(folded[s.start : s.end]) for s in self.doc.sentences]

    @cached_property
    def grade(self) -> float:
        return readability.grade(self.sentence_words)

    @cached_property
    def verified(self) -> bool:
        return self.first_match(self.lex.verification) is not None

    def first_match(self, phrases: Phrases) -> re.Match[str] | None:
        """The first match of a list, remembered: rules and the reader test ask alike."""
        key = id(phrases)
        if key not in self._first:
            self._first[key] = phrases.search(self.doc.plain)
        return self._first[key]

    def first_sentence(self, phrases: Phrases) -> Span | None:
        match = self.first_match(phrases)
        return None if match is None else self.doc.sentence_at(match.start())

    @cached_property
    def _found(self) -> dict[int, list[re.Match[str]]]:
        """Every list's matches from one scan: the lists that may match this text (see
        `Phrases.may_match`) are merged into one pattern, and at each place where one of their
        phrases starts, each list is asked for its own phrase there."""
        lists = self.phrases.review if self.kind == "review" else self.phrases.external
        plain = self.doc.plain
        found: dict[int, list[re.Match[str]]] = {id(m): [] for m in lists}
        active = tuple(m for m in lists if m.may_match(plain))
        if not active:
            return found
        last_end = dict.fromkeys(found, -1)
        for hit in lexicon.merged(active).finditer(plain, overlapping=True):
            position = hit.start()
            for member in active:
                key = id(member)
                if position >= last_end[key]:
                    match = member.match_at(plain, position)
                    if match is not None:
                        found[key].append(match)
                        last_end[key] = match.end()
        return found

    def found(self, phrases: Phrases) -> list[re.Match[str]]:
        """Matches of one phrase list, in order, not overlapping."""
        cached = self._found.get(id(phrases))
        return cached if cached is not None else phrases.finditer(self.doc.plain)

    def unquoted(self, phrases: Phrases) -> Iterator[tuple[re.Match[str], str | None]]:
        for match in self.found(phrases):
            if not self.doc.is_quoted(match.start(), match.end()):
                yield match, phrases.suggestion(match)

    def written(self, match: re.Match[str]) -> str:
        """The matched words as the writer typed them."""
        return self.text[match.start() : match.end()]


RuleCheck = Callable[[Context], Iterable[Hit]]
