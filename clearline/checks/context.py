"""What every rule sees: the cut-up draft, its times, the phrase lists and the configuration."""

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache

from clearline.checks import lexicon, readability, starts, stored
from clearline.checks.boilerplate import History
from clearline.checks.config import PHRASE_RULES, CheckConfig
from clearline.checks.lexicon import Phrases
from clearline.checks.record import Record
from clearline.checks.text import Document, Span, words
from clearline.checks.times import TimeExpression, grammar


class Hit(Record):
    """One finding before the catalog gives it a code, a name and a severity."""

    __slots__ = _fields = ("start", "end", "message", "suggestion")
    start: int | None
    end: int | None
    message: str
    suggestion: str | None

    _defaults = {"suggestion": None}


class PhraseLists(Record):
    __slots__ = _fields = (
        "jargon",
        "empty_reassurance",
        "stock_apology",
        "vague_time",
        "speculation",
        "premature_all_clear",
        "vendor_blame",
        "blame",
        "vague_action",
        "apology_words",
    )
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


# The lexicon's lists each kind of text is checked for (beyond its PhraseLists); a list left out
# still works, it just finds its places on its own.
_KIND_LISTS = {
    "first": ("symptom", "scope", "still_works", "owner", "customer_action"),
    "update": ("symptom", "recovered", "scope", "customer_action"),
    "resolved": ("symptom", "recovered", "scope", "verification", "safety", "prevention"),
    "preliminary": (
        "symptom",
        "recovered",
        "scope",
        "verification",
        "safety",
        "contact",
        "review_promise",
        "review_when",
    ),
    "report": ("symptom", "recovered", "scope", "verification", "safety", "prevention", "contact"),
    "review": ("symptom", "scope", "customer_signal", "blame_negation", "vague_action_always"),
}
_EXTERNAL_LISTS = (
    "vague_time_exceptions",
    "speculation_exceptions",
    "premature_all_clear_exceptions",
    "vendor_cause",
    "third_party",
)


@lru_cache(maxsize=64)
def _family(phrases: "PhraseLists", lex: lexicon.Lexicon, kind: str) -> starts.Family:
    lists = list(phrases.review if kind == "review" else phrases.external)
    names = _KIND_LISTS[kind] + (() if kind == "review" else _EXTERNAL_LISTS)
    lists += [getattr(lex, name) for name in names]
    if "scope" in names and "still_works" not in names:
        # The scope is read with what still works beside it (see `Context.scope`).
        lists.append(lex.still_works)
    lists.append(grammar(lex.language).cues)
    return starts.Family([index for phrases in lists for index in phrases.indexes])


class _PerRun(dict[str, int]):
    """A measure of the words of each run of characters between spaces, taken once per run: a
    sentence's words are those of its runs in turn (see `text.words`), and drafts share most
    of their runs ("failed.", "users,", "09:40"). What a run holds never depends on the text
    around it, so, as syllables per word, this is kept when texts are forgotten."""

    def __init__(self, measure: Callable[[list[str]], int]):
        super().__init__()
        self.measure = measure

    def __missing__(self, run: str) -> int:
        found = self.measure(words(run))
        if len(self) >= 100_000:
            self.clear()
        self[run] = found
        return found


_RUN_WORDS = _PerRun(len)
_RUN_SYLLABLES = _PerRun(readability.syllable_total)


class _PerSentence(dict[str, tuple[int, int]]):
    """The words and syllables of each sentence (as folded), counted once per sentence: updates
    repeat whole sentences ("We will post the next update by ...", "We apologise for the
    inconvenience."), and a sentence met before is one look-up instead of one per run. A
    memory of texts: emptied when they are forgotten."""

    def __missing__(self, sentence: str) -> tuple[int, int]:
        runs = sentence.split()
        found = (
            sum(map(_RUN_WORDS.__getitem__, runs)),
            sum(map(_RUN_SYLLABLES.__getitem__, runs)),
        )
        if len(self) >= 20_000:
            self.clear()
        self[sentence] = found
        return found


_SENTENCE_MEASURES = _PerSentence()


def phrases_for(config: CheckConfig) -> PhraseLists:
    """The phrase lists under a configuration, worked out once per configuration (as the
    engine's plan is): every check asks."""
    found = config.__dict__.get("_phrase_lists")
    if found is None:
        extra = tuple(
            sorted((name, config.phrases(name)) for name in PHRASE_RULES if config.phrases(name))
        )
        found = config.__dict__["_phrase_lists"] = _phrases(
            config.language, tuple(config.glossary), extra
        )
    return found


def family_for(config: CheckConfig, kind: str) -> starts.Family:
    """The phrase lists' family for a kind of text under a configuration, kept with the
    configuration: `_family`'s cache hashes the phrase lists on every look-up, which cost a
    short text's check more than a microsecond."""
    families = config.__dict__.setdefault("_families", {})
    found = families.get(kind)
    if found is None:
        found = families[kind] = _family(phrases_for(config), lexicon.load(config.language), kind)
    return found


class _Once:
    """`functools.cached_property` without its lock: a Context is worked on by one thread, and
    a check asks for several of these once each, and taking the lock was most of that cost."""

    def __init__(self, func: "Callable[[Context], object]"):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: "Context | None", owner: type | None = None) -> object:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


# How far after a clause's plural subject the words of its trouble may begin (characters):
# "Quote requests on our website are still timing out".
_SUBJECT_REACH = 60


class Context:
    """One text as the rules see it; what they ask of it is worked out once."""

    def __init__(self, text: str, kind: str, config: CheckConfig, history: History) -> None:
        self.text = text
        self.kind = kind
        self.config = config
        self.history = history
        self._first: dict[int, re.Match[str] | None] = {}
        # What the completeness rules took as each element they looked for ("scope": its span).
        self.elements: dict[str, tuple[int, int]] = {}
        self.lex = lexicon.load(self.config.language)
        self.doc = Document(self.text, self.lex.abbreviations)
        self.phrases = phrases_for(self.config)
        folded = lexicon.fold(self.doc.plain)
        # The words, sentence by sentence (cut only after a space).
        starts.tokens_in_pieces(
            folded,
            [s.start for s in self.doc.sentences if s.start and folded[s.start - 1].isspace()],
        )
        # One pass over the words finds where every phrase list this kind needs may match.
        family_for(self.config, self.kind).prepare(folded)

    @_Once
    def times(self) -> list[TimeExpression]:
        return grammar(self.config.language).find(self.doc)

    @_Once
    def sentence_words(self) -> list[list[str]]:
        """The words of each sentence (in lower case)."""
        return [words(sentence) for sentence in self._sentences]

    @_Once
    def _sentences(self) -> list[str]:
        folded = lexicon.fold(self.doc.plain)
        return [folded[s.start : s.end] for s in self.doc.sentences]

    @_Once
    def _measures(self) -> list[tuple[int, int]]:
        """The words and syllables of each sentence (see `_PerSentence`)."""
        return list(map(_SENTENCE_MEASURES.__getitem__, self._sentences))

    @_Once
    def sentence_lengths(self) -> list[int]:
        """How many words each sentence has: counted per run of characters between spaces,
        without listing the words (see `_PerRun`)."""
        return [words for words, _syllables in self._measures]

    @_Once
    def grade(self) -> float:
        syllables = sum(syllables for _words, syllables in self._measures)
        return readability.grade_of(self.sentence_lengths, syllables)

    @_Once
    def verified(self) -> bool:
        return self.first_match(self.lex.verification) is not None

    def first_match(self, phrases: Phrases) -> re.Match[str] | None:
        """The first match of a list, remembered: rules and the reader test ask alike."""
        key = id(phrases)
        if key not in self._first:
            self._first[key] = phrases.search(self.doc.plain)
        return self._first[key]

    def take(self, element: str, span: tuple[int, int] | None) -> bool:
        """Record `span` as what the text holds for `element` ("symptom", "scope", ...);
        whether there is one."""
        if span is not None:
            self.elements[element] = span
        return span is not None

    @_Once
    def scope(self) -> re.Match[str] | None:
        """The first phrase that says who is affected. A phrase that is the subject of what
        still works, in a sentence that says nothing failed ("The iOS app and the web app still
        work."), tells who is not affected: it is passed over. So is a part of the customers
        left unnamed ("some users") in a text that never says what they met: "some users may
        see intermittent issues" leaves every reader unable to tell whether they are one."""
        plain = self.doc.plain
        match = self.first_match(self.lex.scope)
        while match is not None and (
            self._still_works_subject(match)
            or (self.lex.scope_vague.fullmatch(match.group()) and self.symptom_span is None)
        ):
            match = self.lex.scope.search(plain, match.end())
        return match or self._named_feature() or self.lex.whole_down.search(plain)

    @_Once
    def symptom_span(self) -> tuple[int, int] | None:
        """Where the text first says what customers experienced (see `symptom_clause`)."""
        symptom = self.first_match(self.lex.symptom)
        if symptom is None and self.kind != "first":
            # After the first update, a function said to work again says it did not.
            symptom = self.first_match(self.lex.recovered)
        return symptom.span() if symptom is not None else self.symptom_clause()

    def _named_feature(self) -> re.Match[str] | None:
        """A named part or function of the product in a sentence that says something went wrong
        or came back: "The admin portal is down", "degraded performance for Actions", "password
        reset emails are delayed" say who is affected (its users). A clause that only names
        what was spared ("card payments are not affected") says nothing of who was hit."""
        plain, lex = self.doc.plain, self.lex
        for sentence in self.doc.sentences:
            # Each clause kept, with where a word of its trouble begins (None: no such word;
            # -1: only a vague one, "issue" or "affected").
            clauses: list[tuple[int, int, int | None]] = []
            trouble = False
            for start, end in clause_spans(plain, sentence.start, sentence.end):
                said = lex.symptom.search(plain, start, end)
                if said is None and self.kind != "first":
                    # After the first update, "new messages are arriving on time" came back.
                    said = lex.recovered.search(plain, start, end)
                if said is None and lex.still_works.search(plain, start, end) is not None:
                    continue  # what was spared
                if said is None and (
                    lex.problem.search(plain, start, end)
                    # (after the first update, already asked above)
                    or (self.kind == "first" and lex.recovered.search(plain, start, end))
                ):
                    clauses.append((start, end, -1))
                else:
                    clauses.append((start, end, None if said is None else said.start()))
                trouble = trouble or clauses[-1][2] is not None
            for start, end, _ in clauses if trouble else ():
                found = lex.feature.search(plain, start, end)
                if found is not None:
                    return found
            for start, end, said in clauses:
                found = self._subject_feature(start, end, said)
                if found is not None:
                    return found
        return None

    def _subject_feature(self, start: int, end: int, said: int | None) -> re.Match[str] | None:
        """The clause's subject when it is a thing customers use, named in the plural, and its
        own trouble follows it ("quote requests on our website are timing out"): not the team,
        the readers, a word too wide to say who ("requests", "services"), a part of the
        machinery ("the web servers"), nor a subject the trouble is not said of ("recent
        changes are being rolled back to fix the issue")."""
        if said is None or said < 0:
            return None
        match = self.lex.subject.match(self.doc.plain, start, end)
        if match is None or self.lex.subject_not.search(match.group("subject")):
            return None
        return match if said - match.end() <= _SUBJECT_REACH else None

    def symptom_clause(self) -> tuple[int, int] | None:
        """The first clause naming a function customers use beside a word of its failing, being
        slow or coming back, not denied and not in a clause about what still works."""
        plain, lex = self.doc.plain, self.lex
        for sentence in self.doc.sentences:
            for start, end in clause_spans(plain, sentence.start, sentence.end):
                if lex.symptom_function.search(plain, start, end) is None:
                    continue
                troubles = lex.symptom_trouble.finditer(plain, start, end)
                if not any(
                    lex.symptom_denied.search(plain, start, trouble.start()) is None
                    for trouble in troubles
                ):
                    continue
                if lex.still_works.search(plain, start, end) is None:
                    return start, end
        return None

    def _still_works_subject(self, match: re.Match[str]) -> bool:
        plain = self.doc.plain
        sentence = self.doc.sentence_at(match.start())
        end = sentence.end if sentence else len(plain)
        works = self.lex.still_works.search(plain, match.end(), clause_end(plain, match.end(), end))
        if works is None:
            return False
        start = sentence.start if sentence else 0
        if self.kind != "first" and self.lex.recovered.search(plain, start, end):
            # After the first update, "exports for all accounts work as expected" is recovery.
            return False
        return self.lex.symptom.search(plain, start, end) is None

    def first_outside(self, phrases: Phrases, other: Phrases) -> re.Match[str] | None:
        """The first match of `phrases` that is not part of a match of `other`: "still shown"
        in "invoices are still shown as unpaid" is part of the symptom, not what still works."""
        plain = self.doc.plain
        spans = [m.span() for m in other.finditer(plain, overlapping=True)]
        match = self.first_match(phrases)
        while match is not None and any(s <= match.start() and match.end() <= e for s, e in spans):
            match = phrases.search(plain, match.end())
        return match

    def first_sentence(self, phrases: Phrases) -> Span | None:
        match = self.first_match(phrases)
        return None if match is None else self.doc.sentence_at(match.start())

    @_Once
    def _found(self) -> dict[int, list[re.Match[str]]]:
        """Every list's matches, found once: the rules and the reader test ask alike."""
        lists = self.phrases.review if self.kind == "review" else self.phrases.external
        return {id(phrases): phrases.scan(self.doc.plain) for phrases in lists}

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


# Where one clause ends and another begins; not inside "09:40" or "2,000".
_CLAUSE_END = stored.Expression(
    r"(?<!\d)[,;:]|[,;:](?!\d)|\s(?:but|while|whereas|although|though|except)\b"
)


def clause_end(plain: str, start: int, end: int) -> int:
    """Where the clause going on at `start` ends, before `end`."""
    cut = _CLAUSE_END.search(plain, start, end)
    return cut.start() if cut is not None else end


def clause_spans(plain: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The clauses of plain[start:end], as spans: parted where a comma, a semicolon, a colon or
    "but" and its like begin another."""
    for cut in _CLAUSE_END.finditer(plain, start, end):
        yield start, cut.start()
        start = cut.end()
    yield start, end


RuleCheck = Callable[[Context], Iterable[Hit]]
