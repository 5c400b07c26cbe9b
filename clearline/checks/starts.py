"""Where a phrase can begin: the words its matches start with, and the places in a text that
start with them.

A regular expression of a few hundred phrases tries every phrase at every word of a draft. Each
pattern is read once instead, to learn the first two words its matches can have ("we think",
"we believe", "couldn't", "could not", ...); in a draft, each pattern is tried only where its
first words are. The few patterns whose first word cannot be known in advance ("\\w+'s fault")
are found from the literal text every match of them holds, or else by a scan.

The matches found are exactly the matches of the full scan: every place where a match can start
is tried, in order, with the same patterns in the same order.
"""

import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import cached_property, partial
from itertools import accumulate, compress, repeat
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

from clearline.checks import stored

# Where a phrase may begin: a word, or one sign, that does not follow a word character or "@"
# (the left edge every phrase pattern has, see `lexicon._compile`).
TOKEN = stored.Expression(r"(?<![\w@])(?:\w+|[^\w\s])")
_WORD = stored.Expression(r"\w")
_LIMIT = 400  # second words followed per pattern; beyond this any word may come second
_FIRST_LIMIT = 4_000  # first words; beyond this the pattern is found another way
_MEMO_LIMIT = 200_000
_PIECE_LIMIT = 20_000  # sentences whose words are remembered
# Uses of a set of patterns at one place before they are compiled as one. Compiling a set costs
# some 24 million instructions, trying its patterns in turn some 10,000 a use more than its
# alternation: compiled after about as many uses as the compiling costs, a set costs at most twice
# what the better choice in hindsight would have. (After 32 uses, the few hundred checks a
# process makes while a draft is typed spent a seventh of their work compiling sets.) Where
# compiled programs are kept between processes (`stored`), a set compiled once is read back
# almost for free, and is worth compiling after a few uses.
_ALTERNATION_AFTER = 2_000 if stored.folder() is None else 32

# How a match can begin: its first word (whole, or only its beginning), and the word after it
# (None: any word).
Final = tuple[str, bool, str | None, bool]
# While a pattern is read: the first word once it is complete (else None), and the characters
# of the word being read.
State = tuple[str | None, str]
Spec = tuple[frozenset[str], frozenset[str], tuple[int, ...]] | None
Entry = tuple[tuple[int, ...], tuple[tuple[int, int], ...]]
_NOTHING: Entry = ((), ())


class _Unknown(Exception):
    """The first word of some match cannot be known from the pattern."""


class Starts:
    """How the matches of a pattern can begin: `finals`; or (`digit`) with a decimal digit;
    `skip` words ("\\\\w+ ") may come before either."""

    def __init__(self) -> None:
        self.finals: set[Final] = set()
        self.digit = False
        self.skip = 0


def _is_word(char: str) -> bool:
    return _WORD.match(char) is not None


def _chars(op: object, value: object) -> list[tuple[object, object]]:
    return [(op, value)] if op is C.LITERAL else list(value) if op is C.IN else []  # type: ignore[call-overload]


def _kind(op: object, value: object) -> str | None:
    """For an item that matches one character: "space" when it can only match whitespace,
    "sign" when it can only match characters that are neither word characters nor (all)
    whitespace, None otherwise."""
    if op not in (C.LITERAL, C.IN):
        return None
    spaces = True
    for item_op, item in _chars(op, value):
        if item_op is C.LITERAL:
            char = chr(item)  # type: ignore[arg-type]
            if _is_word(char):
                return None
            spaces = spaces and char.isspace()
        elif item_op is C.CATEGORY and item is C.CATEGORY_SPACE:
            continue
        else:
            return None
    return "space" if spaces else "sign"


def _word_chars(op: object, value: object) -> list[str] | None:
    """The word characters a small character class stands for ("[sz]", "[4-5]")."""
    if op is not C.IN:
        return None
    chars: list[str] = []
    for item_op, item in value:  # type: ignore[attr-defined]
        if item_op is C.LITERAL:
            chars.append(chr(item))
        elif item_op is C.RANGE and item[1] - item[0] < 10:
            chars.extend(chr(c) for c in range(item[0], item[1] + 1))
        else:
            return None
    return chars if all(_is_word(c) for c in chars) else None


def _is_category(item: tuple, category: object) -> bool:
    op, value = item
    return op is C.IN and list(value) == [(C.CATEGORY, category)]


def _is_digit(op: object, value: object) -> bool:
    return _is_category((op, value), C.CATEGORY_DIGIT)


def _leading_words(op: object, value: object) -> bool:
    """A few whole words first, such as ``(?:\\\\w+ ){0,2}?``."""
    if op not in (C.MAX_REPEAT, C.MIN_REPEAT) or value[0] != 0 or value[1] > 8:  # type: ignore[index]
        return False
    sub = list(value[2])  # type: ignore[index]
    return (
        len(sub) == 2
        and all(i[0] is C.MAX_REPEAT and i[1][0] >= 1 and len(i[1][2]) == 1 for i in sub)
        and _is_category(sub[0][1][2][0], C.CATEGORY_WORD)
        and _is_category(sub[1][1][2][0], C.CATEGORY_SPACE)
    )


class _Reader:
    """Follows a parsed pattern from its start and records how its matches can begin."""

    def __init__(self, found: Starts):
        self.found = found

    def space(self, state: State) -> State | None:
        """Whitespace follows."""
        first, word = state
        if first is None:
            if not word:
                raise _Unknown
            return (word, "")
        if not word:
            return state
        self.found.finals.add((first, True, word, True))
        return None

    def sign(self, state: State, char: str | None) -> None:
        """A character that is not a word character follows (`char`, when known)."""
        first, word = state
        if first is None:
            if not word and char is None:
                raise _Unknown
            self.found.finals.add((word or char, True, None, False))  # type: ignore[arg-type]
        elif word:
            self.found.finals.add((first, True, word, True))
        elif char is not None and not char.isspace():
            self.found.finals.add((first, True, char, True))
        else:
            self.found.finals.add((first, True, None, False))

    def unknown(self, state: State) -> None:
        """Anything may follow."""
        first, word = state
        if first is None:
            if not word:
                raise _Unknown
            self.found.finals.add((word, False, None, False))
        elif word:
            self.found.finals.add((first, True, word, False))
        else:
            self.found.finals.add((first, True, None, False))

    def end(self, state: State) -> None:
        """The pattern ends: the right edge of a phrase is not a word character."""
        first, word = state
        if first is None:
            if not word:
                raise _Unknown
            self.found.finals.add((word, True, None, False))
        else:
            self.sign(state, None) if word else self.unknown(state)

    def walk(self, items: list, states: set[State]) -> set[State]:
        for op, value in items:
            if not states:
                break
            kind = _kind(op, value)
            if op is C.LITERAL and kind is None:
                char = chr(value)
                states = {(first, word + char) for first, word in states}
            elif kind is not None:
                if kind == "space":
                    states = {s for s in map(self.space, states) if s is not None}
                else:
                    for state in states:
                        self.sign(state, chr(value) if op is C.LITERAL else None)
                    states = set()
            elif op in (C.ASSERT, C.ASSERT_NOT, C.AT):
                continue  # takes no characters
            elif op is C.SUBPATTERN:
                _group, add_flags, _del_flags, sub = value
                if add_flags & (C.SRE_FLAG_IGNORECASE | C.SRE_FLAG_VERBOSE):
                    raise _Unknown
                states = self.walk(list(sub), states)
            elif op is C.BRANCH:
                after: set[State] = set()
                for branch in value[1]:
                    after |= self.walk(list(branch), states)
                states = after
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                states = self._repeat(value, states)
            elif _is_digit(op, value):
                self._digit(states)
                states = set()
            elif (chars := _word_chars(op, value)) is not None:
                states = {(first, word + c) for first, word in states for c in chars}
            else:
                for state in states:
                    self.unknown(state)
                states = set()
            if len(states) > _LIMIT:
                # Too many ways to go on: the second words are let go (any word may follow);
                # first words that are still too many make the beginning unknown.
                for state in [s for s in states if s[0] is not None]:
                    self.unknown((state[0], ""))
                states = {s for s in states if s[0] is None}
                if len(states) > _FIRST_LIMIT:
                    raise _Unknown
        return states

    def _digit(self, states: set[State]) -> None:
        for state in states:
            if state == (None, ""):
                self.found.digit = True
            else:
                self.unknown(state)

    def _repeat(self, value: tuple, states: set[State]) -> set[State]:
        low, high, sub = value
        sub = list(sub)
        if high <= 1:
            after = self.walk(sub, states)
            return after | (states if low == 0 else set())
        kind = _kind(*sub[0]) if len(sub) == 1 else None
        if kind == "space":
            after = {s for s in map(self.space, states) if s is not None}
            return after | (states if low == 0 else set())
        if kind == "sign":
            for state in states:
                self.sign(state, None)
            return states if low == 0 else set()
        if low >= 1 and len(sub) == 1 and _is_digit(*sub[0]):
            self._digit(states)
            return set()
        for state in states:
            self.unknown(state)
        return set()


def first_words(pattern: str) -> Starts | None:
    """How the matches of `pattern` (a prepared, case-sensitive phrase pattern, matched between
    the phrase edges) can begin, or None when that cannot be known."""
    kept = _kept(pattern)
    if kept is None:
        return None
    found = Starts()
    found.finals, found.digit, found.skip = set(stored.unpack(kept[0])), kept[1], kept[2]
    return found


# How the matches of a pattern can begin, as kept: None, or its finals packed (see `_Accepts`),
# whether a match can begin with a digit, and the words that may come first.
Kept = tuple[bytes, bool, int] | None


def _kept(pattern: str) -> Kept:
    """`first_words(pattern)` as kept between processes (`clearline.checks.stored`): reading
    every pattern is most of a first check's time."""
    return stored.get("first_words", pattern, lambda: _pack(_first_words(pattern)))


def _pack(found: Starts | None) -> Kept:
    if found is None:
        return None
    return stored.pack(frozenset(found.finals)), found.digit, found.skip


def _first_words(pattern: str) -> Starts | None:
    try:
        parsed = P.parse(pattern)
        if parsed.getwidth()[0] == 0:
            return None
        found = Starts()
        items = list(parsed)
        if items and _leading_words(*items[0]):
            found.skip = items[0][1][1]
            items = items[1:]
        reader = _Reader(found)
        for state in reader.walk(items, {(None, "")}):
            reader.end(state)
    except (_Unknown, re.error, RecursionError):
        return None
    if any(not first for first, *_ in found.finals):
        return None
    return found


def _can_match_space(items: list) -> bool:
    """Whether some match of these items can contain a whitespace character."""
    for op, value in items:
        if op is C.LITERAL:
            if chr(value).isspace():
                return True
        elif op is C.NOT_LITERAL or op is C.ANY:
            return True
        elif op is C.IN:
            for item_op, item in value:
                if item_op is C.LITERAL and chr(item).isspace():
                    return True
                if item_op is C.RANGE and any(
                    chr(c).isspace() for c in range(item[0], min(item[1], 0x3000) + 1)
                ):
                    return True
                if item_op is C.NEGATE or (
                    item_op is C.CATEGORY and item not in (C.CATEGORY_WORD, C.CATEGORY_DIGIT)
                ):
                    return True
        elif op is C.SUBPATTERN:
            if _can_match_space(list(value[3])):
                return True
        elif op is C.BRANCH:
            if any(_can_match_space(list(b)) for b in value[1]):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if _can_match_space(list(value[2])):
                return True
        elif op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue
        else:
            return True
    return False


def exact_literals(items: list, exact: bool) -> set[str] | None:
    """Strings one of which every match contains, compared as written (None: none known).
    `exact` tells whether the items are matched case-sensitively; case-blind literals are no
    use for a test on the text as written, so only case-sensitive ones count."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is C.LITERAL and exact:
            run.append(chr(value))
            continue
        if run:
            joined = "".join(run)
            candidates.append({joined})
            # ... and the run with the strings what follows it begins with ("-" and "indexer"
            # or "service" make "-indexer" and "-service", each rarer than the word alone).
            follows = exact_prefixes([(op, value)], exact)
            if follows:
                candidates.append({joined + string for string in follows})
            run = []
        found: set[str] | None = None
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = value
            inner = (exact or bool(del_flags & C.SRE_FLAG_IGNORECASE)) and not (
                add_flags & C.SRE_FLAG_IGNORECASE
            )
            found = exact_literals(list(sub), inner)
        elif op is C.BRANCH:
            branches = [exact_literals(list(b), exact) for b in value[1]]
            if branches and all(branches):
                found = set().union(*branches)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and value[0] >= 1:
            found = exact_literals(list(value[2]), exact)
        if found:
            candidates.append(found)
    if run:
        candidates.append({"".join(run)})
    if not candidates:
        return None
    return max(candidates, key=lambda strings: min(len(s) for s in strings))


def exact_prefixes(items: list, exact: bool) -> set[str] | None:
    """Strings one of which every match starts with, compared as written (None: none known)."""
    states = {""}
    for op, value in items:
        if op is C.LITERAL and exact:
            states = {s + chr(value) for s in states}
            continue
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue
        if op is C.SUBPATTERN and not value[1] & C.SRE_FLAG_IGNORECASE:
            inner = exact or bool(value[2] & C.SRE_FLAG_IGNORECASE)
            found = exact_prefixes(list(value[3]), inner)
        elif op is C.BRANCH:
            branches = [exact_prefixes(list(b), exact) for b in value[1]]
            found = set().union(*branches) if all(branches) else None  # type: ignore[arg-type]
        else:
            found = None
        if not found or len(found) * len(states) > _LIMIT:
            break
        states = {s + f for s in states for f in found}
        break  # a group's prefixes may not cover all of it: what follows is not known
    return None if "" in states else states


class _Rest:
    """A pattern whose first word is not known: where it may match is found from the literal
    text every match begins with, or holds (next to it, when a match holds no space), or else
    by a scan."""

    def __init__(
        self, index: int, prepared: str, regex: Callable[[], re.Pattern[str]], exact: bool
    ):
        self.index = index
        self._regex = regex
        prefixes, self.literals, self.spaceless, openings = stored.get(
            "rest", (prepared, exact), lambda: _read_rest(prepared, exact)
        )
        # Where a string is found, so is any string it begins with: only the shortest of those
        # looked for need be looked for ("sign" finds every place "signed" would).
        self.prefixes = None if prefixes is None else _shortest(prefixes)
        self.openings = None if openings is None else _shortest(openings)
        # What was read of the last text over the whole of it (whether it holds a literal, its
        # lower case): a rule that asks about many small stretches of one long text would read
        # the whole text again for each.
        self._held: tuple[str, bool] | None = None
        self._lowered: tuple[str, str] | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled only for a scan (most patterns are found from their literal text)."""
        return self._regex()

    # Compiled when first used (see `_MANY`).
    @cached_property
    def _literal_finder(self) -> re.Pattern[str] | None:
        return _finder(self.literals) if len(self.literals) >= _MANY else None  # type: ignore[arg-type]

    @cached_property
    def _start_finder(self) -> re.Pattern[str] | None:
        strings = self.prefixes if self.prefixes is not None else self.openings
        return _finder(strings) if len(strings) >= _MANY else None  # type: ignore[arg-type]

    def _holds_literal(self, target: str) -> bool:
        held = self._held
        if held is not None and held[0] is target:
            return held[1]
        finder = self._literal_finder
        if finder is None:
            found = any(map(target.__contains__, self.literals))  # type: ignore[arg-type]
        else:
            found = finder.search(target) is not None
        self._held = (target, found)
        return found

    def _lower(self, target: str) -> str:
        lowered = self._lowered
        if lowered is None or lowered[0] is not target:
            lowered = self._lowered = (target, target.lower())
        return lowered[1]

    def _found_before(self, target: str, pos: int, endpos: int, before: int) -> list[int]:
        """`_found_before` for the prefixes, or else the openings."""
        finder = self._start_finder
        if finder is None:
            strings = self.prefixes if self.prefixes is not None else self.openings
            return _found_before(target, strings, pos, endpos, before)  # type: ignore[arg-type]
        # Each search finds the first place from where it starts at which one of the strings
        # begins (and ends by endpos): from just after each, every place is found in turn.
        found = []
        match = finder.search(target, pos, endpos)
        while match is not None and match.start() < before:
            found.append(match.start())
            match = finder.search(target, match.start() + 1, endpos)
        return found

    def places(self, target: str, pos: int, endpos: int, before: int = sys.maxsize) -> list[int]:
        """Places in target[pos:endpos] where the pattern may match; those from `before` on
        may be left out."""
        if self.literals is not None and not self._holds_literal(target):
            return []
        if self.prefixes is not None:
            return self._found_before(target, pos, endpos, before)
        if not self.spaceless and self.openings is not None and target.isascii():
            return self._found_before(self._lower(target), pos, endpos, before)
        if not self.spaceless:
            places = []
            while (match := self.regex.search(target, pos, endpos)) is not None:
                if match.start() >= before:
                    break
                places.append(match.start())
                pos = match.start() + 1
            return places
        # A match holds one of the literals and no space: it starts at a word in the run of
        # non-space characters around that literal, before it. A run holding the literal many
        # times is walked once: each later find goes on from just after the one before, every
        # word starting up to it being found already (walking again from the run's start, or
        # from its last word, which may be far back when few places in the run start a word,
        # made a long run quadratic).
        found = set()
        for literal in self.literals:  # type: ignore[union-attr]
            previous, resume = -1, pos
            at = target.find(literal, pos, endpos)
            while at >= 0:
                if previous < 0 or _SPACE.search(target, previous, at):  # a new run
                    resume = at
                    while resume > pos and not target[resume - 1].isspace():
                        resume -= 1
                for match in TOKEN.finditer(target, resume, at + 1):
                    found.add(match.start())
                resume = at + 1
                previous = at
                at = target.find(literal, at + 1, endpos)
        return sorted(found)


# From this many strings on, their alternation finds them (`re` looks for their first characters
# in C) faster than a `str.find` for each in turn: a few lists have a dozen or more, looked for
# in every text.
_MANY = 4


def _finder(strings: Iterable[str]) -> re.Pattern[str]:
    """An expression that matches any of `strings`, as written. (In order: a set's order changes
    from one process to the next, and the expression is kept between processes by its text.)"""
    return stored.compile("|".join(map(re.escape, sorted(strings))))


def _found_before(
    target: str, strings: Iterable[str], pos: int, endpos: int, before: int
) -> list[int]:
    """Where one of `strings` begins in target[pos:endpos], in order; a string that begins from
    `before` on is not looked for (the text after it is read only to finish one begun before)."""
    found: set[int] = set()
    for string in strings:
        stop = min(endpos, before + len(string) - 1)
        at = target.find(string, pos, stop)
        while at >= 0:
            found.add(at)
            at = target.find(string, at + 1, stop)
    return sorted(found)


def _shortest(strings: Iterable[str]) -> tuple[str, ...]:
    """The strings that begin with no other of them, in order."""
    ordered = sorted(strings)
    kept: list[str] = []
    for string in ordered:
        # In sorted order a string that begins with another comes after it, with only strings
        # that begin with it too between them.
        if not kept or not string.startswith(kept[-1]):
            kept.append(string)
    return tuple(kept)


_TOKEN_SPLIT = stored.Expression(f"({TOKEN.pattern})")
_SPACE = stored.Expression(r"\s")


Tokens = tuple[list[int], list[str]]
_RECENT: dict[str, Tokens] = {}  # the last few texts' tokens
# Pieces' tokens, each with where they are counted from: the piece's start (0) or, for pieces
# cut from a whole text's tokens, where the piece began in that text.
_PIECES: dict[str, tuple[list[int], list[str], int]] = {}


def _tokens(text: str) -> Tokens:
    # Most words are a run between single spaces that is all letters and digits ("users"), or
    # that and one closing sign ("failed.", "users,": the sign follows a word character, so it
    # starts no token). Such runs are read with str methods; the expression, which tries every
    # character, reads only the others (a dozen in a draft, those holding a line break).
    places: list[int] = []
    words: list[str] = []
    at = 0
    for run in text.split(" "):
        if run.isalnum():
            places.append(at)
            words.append(run)
        elif run:
            head, last = run[:-1], run[-1]
            if head.isalnum() and not (last.isalnum() or last == "_" or last.isspace()):
                places.append(at)
                words.append(head)
            else:
                found, more = _tokens_read(run)
                places += [at + place for place in found]
                words += more
        at += len(run) + 1
    return places, words


def _tokens_read(text: str) -> Tokens:
    # Text between words and the words in turn; where each word starts is the length of
    # everything before it.
    parts = _TOKEN_SPLIT.split(text)
    words = parts[1::2]
    ends = list(accumulate(map(len, parts)))
    return ends[0::2][: len(words)], words


def _keep(text: str, found: Tokens) -> None:
    if len(_RECENT) >= 8:
        del _RECENT[next(iter(_RECENT))]
    _RECENT[text] = found


def tokens(text: str) -> Tokens:
    """The places in `text` where a phrase may begin, and the word (or sign) at each."""
    found = _RECENT.get(text)
    if found is None:
        found = _tokens(text)
        _keep(text, found)
    return found


def tokens_in_pieces(text: str, cuts: list[int]) -> Tokens:
    """`tokens(text)`, found piece by piece between `cuts` (in order; each cut follows a
    character that is neither a word character nor "@", so no token runs across it and none
    starts differently), each piece's tokens remembered: a draft checked as it is typed
    changes one sentence at a time."""
    found = _RECENT.get(text)
    if found is not None:
        return found
    bounds = list(zip([0, *cuts], [*cuts, len(text)], strict=True))
    pieces = [text[start:end] for start, end in bounds]
    missing = [i for i, piece in enumerate(pieces) if piece not in _PIECES]
    if len(missing) > 1:
        # Mostly new text: one pass over all of it, and the new pieces' tokens cut from it.
        found = _tokens(text)
        _keep(text, found)
        if len(_PIECES) + len(missing) > _PIECE_LIMIT:
            _PIECES.clear()
        all_places, all_words = found
        for i in missing:
            start, end = bounds[i]
            first, last = bisect_left(all_places, start), bisect_left(all_places, end)
            _PIECES[pieces[i]] = (all_places[first:last], all_words[first:last], start)
        return found
    places: list[int] = []
    words: list[str] = []
    for (start, _end), piece in zip(bounds, pieces, strict=True):
        known = _PIECES.get(piece)
        if known is None:
            known = (*_tokens(piece), 0)
            if len(_PIECES) >= _PIECE_LIMIT:
                _PIECES.clear()
            _PIECES[piece] = known
        shift = start - known[2]
        if shift:
            places += [shift + place for place in known[0]]
        else:
            places += known[0]
        words += known[1]
    found = (places, words)
    _keep(text, found)
    return found


def _spec(finals: list[Final | None]) -> Spec:
    """What the next word must be for one of these beginnings (None: anything)."""
    if any(f is None or f[2] is None for f in finals):
        return None
    whole = frozenset(f[2] for f in finals if f[3])  # type: ignore[index,misc]
    prefixes = frozenset(f[2] for f in finals if not f[3])  # type: ignore[index,misc]
    return whole, prefixes, tuple(sorted({len(p) for p in prefixes}))


def _fits(spec: Spec, word: str) -> bool:
    if spec is None:
        return True
    whole, prefixes, lengths = spec
    return word in whole or any(word[:n] in prefixes for n in lengths)


def _read_rest(prepared: str, exact: bool) -> tuple:
    parsed = list(P.parse(prepared))
    literals = exact_literals(parsed, exact)
    # The words a match begins with, in lower case, when they are known (as for a pattern
    # matched on the text as written, in any case): in an ASCII text a match can start only
    # where one of them is, in any case.
    first = first_words(prepared)
    openings = None
    if first is not None and not first.digit and not first.skip:
        openings = tuple(sorted({f[0].lower() for f in first.finals}))
    return (
        exact_prefixes(parsed, exact),
        literals,
        literals is not None and not _can_match_space(parsed),
        openings,
    )


class _Accepts:
    """Which patterns can match at a word, given the word after it; remembered per word (and
    per pair of words where the next word matters): drafts share most of their words."""

    def __init__(self, kept: list[Kept]):
        self._kept = kept
        self.digits = [i for i, k in enumerate(kept) if k is not None and k[1]]
        self.skips = {i: k[2] for i, k in enumerate(kept) if k is not None and k[2]}
        self.known = any(k is not None for k in kept)
        self._first: dict[str, tuple[tuple[int, Spec], ...]] = {}
        self.fixed: dict[str, Entry] = {}  # words whose patterns do not depend on the next word
        self.pairs: dict[tuple[str, str], Entry] = {}

    @cached_property
    def _finals(self) -> tuple[dict[str, list[tuple[int, Final]]], ...]:
        """The patterns each word can begin (`whole`: as the whole first word; `prefixes`: as
        its beginning). Worked out when a word is first looked up: a check of words met before
        looks up none (their entries are kept, see `Family`), so its process unpacks no finals
        and builds no tables."""
        whole: dict[str, list[tuple[int, Final]]] = {}
        prefixes: dict[str, list[tuple[int, Final]]] = {}
        for index, kept in enumerate(self._kept):
            for final in stored.unpack(kept[0]) if kept is not None else ():
                table = whole if final[1] else prefixes
                table.setdefault(final[0], []).append((index, final))
        return whole, prefixes, tuple(sorted({len(p) for p in prefixes}))

    @property
    def whole(self) -> dict[str, list[tuple[int, Final]]]:
        return self._finals[0]

    @property
    def prefixes(self) -> dict[str, list[tuple[int, Final]]]:
        return self._finals[1]

    def first(self, word: str) -> tuple[tuple[int, Spec], ...]:
        found = self._first.get(word)
        if found is None:
            finals: dict[int, list[Final | None]] = {}
            whole, prefixes, lengths = self._finals
            for index, final in whole.get(word, ()):
                finals.setdefault(index, []).append(final)
            for n in lengths:
                for index, final in prefixes.get(word[:n], ()):
                    finals.setdefault(index, []).append(final)
            if word[:1].isdecimal():
                for index in self.digits:
                    finals.setdefault(index, []).append(None)
            found = tuple((index, _spec(finals[index])) for index in sorted(finals))
            _remember(self._first, word, found)
        return found

    def depends(self, word: str) -> bool:
        return any(spec is not None for _, spec in self.first(word))

    def entry(self, indexes: list[int]) -> Entry:
        if not indexes:
            return _NOTHING
        direct = tuple(i for i in indexes if i not in self.skips)
        return direct, tuple((i, self.skips[i]) for i in indexes if i in self.skips)

    def get(self, word: str, following: str) -> Entry:
        found = self.fixed.get(word)
        if found is not None:
            return found
        candidates = self.first(word)
        if all(spec is None for _, spec in candidates):
            found = self.entry([index for index, _ in candidates])
            _remember(self.fixed, word, found)
            return found
        key = (word, following)
        found = self.pairs.get(key)
        if found is None:
            found = self.entry([i for i, spec in candidates if _fits(spec, following)])
            _remember(self.pairs, key, found)
        return found


def _remember(memo: dict, key: object, value: object) -> None:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value


Places = list[tuple[int, tuple[int, ...]]]
# Where patterns with known first words may match: (place, patterns) in order, and (word
# number, patterns that may start a few words before it).
WordPlaces = tuple[Places, list[tuple[int, tuple[tuple[int, int], ...]]]]


class Index:
    """Phrase patterns and where in a text each may match. `finditer` and `search` give what
    the same methods of the patterns' alternation (`regex`) give, trying at each place only
    the patterns that can match there, in their order."""

    def __init__(
        self,
        patterns: list[str],
        prepared: list[str],
        compile_patterns: Callable[[list[str]], re.Pattern[str]],
        *,
        known_starts: bool,
        exact: bool,
    ):
        self.patterns = patterns
        self._compile = compile_patterns
        kept = [_kept(p) if known_starts else None for p in prepared]
        self.accepts = _Accepts(kept)
        self._rest = [
            _Rest(i, prepared[i], partial(compile_patterns, [patterns[i]]), exact)
            for i, first in enumerate(kept)
            if first is None
        ]
        self._some: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._uses: dict[tuple[int, ...], int] = {}
        # Each set's patterns' own matchers, gathered once: a set is tried in turn some
        # thousands of times before it is compiled (`_ALTERNATION_AFTER`).
        self._each: dict[tuple[int, ...], Callable[..., re.Match[str] | None]] = {}
        self._last: tuple[str, Places] | None = None
        self.words: tuple[str, WordPlaces] | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """All the patterns in one expression, compiled when first asked for: most checks only
        try the few patterns that may match where they look."""
        return self._compile(self.patterns)

    def _some_of(self, indexes: tuple[int, ...]) -> re.Pattern[str]:
        regex = self._some.get(indexes)
        if regex is None:
            regex = self._compile([self.patterns[i] for i in indexes])
            _remember(self._some, indexes, regex)
        return regex

    def _matcher(self, indexes: tuple[int, ...]) -> Callable[..., re.Match[str] | None]:
        """What matches the patterns `indexes` at a place: their alternation once it has been
        asked for many times (`_ALTERNATION_AFTER`), before that each pattern in turn (the
        first that matches is what the alternation finds). A short run, as `clearline check`
        on one file, then compiles no alternation: each pattern's own expression is kept
        between processes."""
        regex = self._some.get(indexes)
        if regex is not None:
            return regex.match
        if len(indexes) == 1:
            return self._some_of(indexes).match
        uses = self._uses.get(indexes, 0) + 1
        if uses >= _ALTERNATION_AFTER:
            return self._some_of(indexes).match
        _remember(self._uses, indexes, uses)
        each = self._each.get(indexes)
        if each is None:
            each = partial(_first_match, tuple(self._some_of((i,)).match for i in indexes))
            _remember(self._each, indexes, each)
        return each

    def _word_places(self, target: str) -> WordPlaces:
        """Where patterns with known first words may match in the whole text (a `Family`
        finds this for several indexes at once)."""
        last = self.words
        if last is not None and last[0] is target:
            return last[1]
        places: Places = []
        skipped: list[tuple[int, tuple[tuple[int, int], ...]]] = []
        if self.accepts.known:
            starts, words = tokens(target)
            get = self.accepts.get
            for k, (word, following) in enumerate(zip(words, [*words[1:], ""], strict=False)):
                direct, skips = get(word, following)
                if direct:
                    places.append((starts[k], direct))
                if skips:
                    skipped.append((k, skips))
        self.words = (target, (places, skipped))
        return places, skipped

    def _whole(self, target: str) -> Places:
        last = self._last
        if last is not None and last[0] is target:
            return last[1]
        places, skipped = self._word_places(target)
        more: dict[int, set[int]] = {}
        if skipped:
            starts, _words = tokens(target)
            for k, skips in skipped:
                _add(more, starts, k, skips, 0)
        for rest in self._rest:
            for place in rest.places(target, 0, len(target)):
                more.setdefault(place, set()).add(rest.index)
        if more:
            places = _merge(places, more)
        self._last = (target, places)
        return places

    def places(self, target: str, pos: int = 0, endpos: int = sys.maxsize) -> Places:
        """Every place in target[pos:endpos] where a match may start, with the patterns that
        may match there, in order. A place may be given that turns out to hold no match."""
        last = self._last
        whole = last[1] if last is not None and last[0] is target else self._whole(target)
        if endpos >= len(target):
            return whole if pos <= 0 else whole[bisect_left(whole, (pos,)) :]
        pos = max(pos, 0)
        places = whole[bisect_left(whole, (pos,)) : bisect_left(whole, (endpos,))]
        more: dict[int, set[int]] = {}
        starts, words = tokens(target)
        k = bisect_left(starts, endpos) - 1
        if k >= 0 and starts[k] >= pos and starts[k] + len(words[k]) > endpos:
            # A word cut by endpos is seen by the patterns as its part before endpos: as a
            # first word, and as the word after the one before it.
            cut = target[starts[k] : endpos]
            first = bisect_left(starts, pos)
            direct, skips = self.accepts.get(cut, "")
            _add(more, starts, k, ((i, 0) for i in direct), first)
            _add(more, starts, k, skips, first)
            if k - 1 >= first:
                direct, skips = self.accepts.get(words[k - 1], cut)
                _add(more, starts, k - 1, ((i, 0) for i in direct), first)
                _add(more, starts, k - 1, skips, first)
        for rest in self._rest:
            if not rest.spaceless:  # where a scan finds matches depends on where it stops
                for place in rest.places(target, pos, endpos):
                    more.setdefault(place, set()).add(rest.index)
        return _merge(places, more) if more else places

    def finditer(
        self, target: str, pos: int = 0, endpos: int = sys.maxsize, *, overlapping: bool = False
    ) -> list[re.Match[str]]:
        found: list[re.Match[str]] = []
        after = pos
        some = self._some.get
        for place, indexes in self.places(target, pos, endpos):
            if place < after:
                continue
            regex = some(indexes)
            match = (regex.match if regex else self._matcher(indexes))(target, place, endpos)
            if match is not None:
                found.append(match)
                after = place + 1 if overlapping else match.end()
        return found

    def search(self, target: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        some = self._some.get
        for place, indexes in self.places(target, pos, endpos):
            regex = some(indexes)
            match = (regex.match if regex else self._matcher(indexes))(target, place, endpos)
            if match is not None:
                return match
        return None

    def search_before(self, target: str, limit: int) -> re.Match[str] | None:
        """`search(target)` when the match it finds starts before `limit`, else None: the text
        is looked through only up to `limit`."""
        last = self._last
        if last is not None and last[0] is target:
            places = last[1]
        else:
            places, skipped = self._word_places(target)
            more: dict[int, set[int]] = {}
            if skipped:
                starts, _words = tokens(target)
                for k, skips in skipped:
                    _add(more, starts, k, skips, 0)
            for rest in self._rest:
                for place in rest.places(target, 0, len(target), limit):
                    more.setdefault(place, set()).add(rest.index)
            if more:
                places = _merge(places, more)
        some = self._some.get
        for place, indexes in places:
            if place >= limit:
                break
            regex = some(indexes)
            match = (regex.match if regex else self._matcher(indexes))(target, place)
            if match is not None:
                return match
        return None

    def at(self, target: str, place: int) -> tuple[int, ...]:
        """The patterns that may match at `place` of the whole text."""
        whole = self._whole(target)
        i = bisect_left(whole, (place,))
        return whole[i][1] if i < len(whole) and whole[i][0] == place else ()

    def match_at(
        self, target: str, place: int, indexes: tuple[int, ...], endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self._matcher(indexes)(target, place, endpos)


def _first_match(
    matchers: tuple[Callable[..., re.Match[str] | None], ...],
    target: str,
    place: int,
    endpos: int = sys.maxsize,
) -> re.Match[str] | None:
    """What the first of `matchers` to match at `place` matches: what their alternation does."""
    for match in matchers:
        found = match(target, place, endpos)
        if found is not None:
            return found
    return None


def _add(found: dict[int, set[int]], starts: list, k: int, skips: object, first: int) -> None:
    """Record patterns that may start at word k or up to `skip` words before it (not before
    word `first`)."""
    for index, skip in skips:  # type: ignore[attr-defined]
        for j in range(max(first, k - skip), k + 1):
            found.setdefault(starts[j], set()).add(index)


def _merge(places: Places, more: dict[int, set[int]]) -> Places:
    """`places` (in order) with the patterns in `more` added; `more` is usually small."""
    merged = list(places)
    for place in sorted(more):
        i = bisect_left(merged, (place,))
        if i < len(merged) and merged[i][0] == place:
            merged[i] = (place, tuple(sorted(more[place].union(merged[i][1]))))
        else:
            merged.insert(i, (place, tuple(sorted(more[place]))))
    return merged


class Family:
    """Indexes used on the same texts: one pass over a text's words finds where each of them
    may match, instead of one pass each."""

    def __init__(self, members: list[Index]):
        self.members = [m for m in dict.fromkeys(members) if m.accepts.known]
        # Per word: its entries (see `_collect`), or, for a word whose entries depend on the
        # word after it, a dict from that next word to its entries. Kept between processes
        # (`clearline.checks.stored`) for these members' patterns: most words of a text have
        # been seen before, and `clearline check` run once per file starts with none known.
        # Kept packed, each word's unpacked when the process first meets the word: a process
        # meets a few hundred of the thousands kept.
        kept = stored.digest(*("\n".join(m.patterns).encode() for m in self.members))
        self._table = f"family {kept}"
        self._words: dict[str, tuple | dict[str, tuple] | bytes] = stored.table(
            self._table, packed=True
        )

    @cached_property
    def _starting(self) -> tuple[dict[str, set[int]], dict[str, set[int]], list[int], set[int]]:
        """The members that may have a pattern beginning with a word, from the word itself, its
        first letters or a leading digit: a word new to the family is put to those alone (most
        words begin no pattern of any member). Worked out at the first new word."""
        by_word: dict[str, set[int]] = {}
        by_prefix: dict[str, set[int]] = {}
        for slot, member in enumerate(self.members):
            for word in member.accepts.whole:
                by_word.setdefault(word, set()).add(slot)
            for prefix in member.accepts.prefixes:
                by_prefix.setdefault(prefix, set()).add(slot)
        lengths = sorted({len(prefix) for prefix in by_prefix})
        digits = {slot for slot, m in enumerate(self.members) if m.accepts.digits}
        return by_word, by_prefix, lengths, digits

    def _slots(self, word: str) -> list[int]:
        """The members that may have a pattern beginning with `word` (a few more at most)."""
        by_word, by_prefix, lengths, digits = self._starting
        slots = set(by_word.get(word, ()))
        for n in lengths:
            slots.update(by_prefix.get(word[:n], ()))
        if word[:1].isdecimal():
            slots.update(digits)
        return sorted(slots)

    def _unpacked(self, word: str, packed: bytes) -> tuple | dict[str, tuple]:
        """The word's entries, unpacked once per process (a word may come up again while
        `prepare` holds what it found for it before)."""
        found = self._words.get(word, packed)
        if type(found) is bytes:
            found = self._words[word] = stored.unpack(found)
        return found  # type: ignore[return-value]

    def _entries(self, word: str, following: str) -> tuple:
        found = self._words.get(word)
        if type(found) is bytes:
            found = self._unpacked(word, found)
        if found is None:
            stored.added(self._table, word)
            slots = self._slots(word)
            if any(self.members[slot].accepts.depends(word) for slot in slots):
                found = {}
            else:
                found = self._collect(word, "", slots)
            _remember(self._words, word, found)
        if type(found) is not dict:
            return found
        entries = found.get(following)
        if entries is None:
            stored.added(self._table, word)
            entries = self._collect(word, following, self._slots(word))
            _remember(found, following, entries)
        return entries

    def _collect(self, word: str, following: str, slots: list[int]) -> tuple:
        """() when no member may match at the word, else the members' patterns that may start
        there and those that may start a few words before."""
        direct, skipped = [], []
        for slot in slots:
            here, before = self.members[slot].accepts.get(word, following)
            if here:
                direct.append((slot, here))
            if before:
                skipped.append((slot, before))
        return (tuple(direct), tuple(skipped)) if direct or skipped else ()

    def prepare(self, target: str) -> None:
        """Find, for every member at once, where its patterns may match in `target`."""
        starts, words = tokens(target)
        places: list[Places] = [[] for _ in self.members]
        skipped: list[list] = [[] for _ in self.members]
        add = [p.append for p in places]
        last = len(words) - 1
        # Each word's entries as known (True: not known yet); a word no member may match at
        # has none (an empty tuple) and is passed over without a look.
        known = list(map(self._words.get, words, repeat(True)))
        for k in compress(range(len(words)), known):
            entries = known[k]
            if entries is True:
                entries = self._entries(words[k], words[k + 1] if k < last else "")
            else:
                if type(entries) is bytes:
                    entries = self._unpacked(words[k], entries)
                if type(entries) is dict:
                    following = words[k + 1] if k < last else ""
                    found = entries.get(following)
                    entries = found if found is not None else self._entries(words[k], following)
            if entries:
                direct, skips = entries
                start = starts[k]
                for slot, indexes in direct:
                    add[slot]((start, indexes))
                for slot, indexes in skips:
                    skipped[slot].append((k, indexes))
        for member, found, skips in zip(self.members, places, skipped, strict=True):
            member.words = (target, (found, skips))
