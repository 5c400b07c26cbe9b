"""Sentences, paragraphs and quotations of a draft, as character spans of the original text."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import namedtuple
from functools import cached_property, lru_cache

from clearline.checks import stored

# One character for one character, so every span found on the straightened text is a span of
# the original.
_STRAIGHTEN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

_LIST_MARKER = stored.Expression(r"[-*\u2022]\s+(?:\[[ xX]\]\s+)?|\d{1,2}[.)]\s+|#{1,6}\s+|>\s*")
_TIMELINE_LINE = stored.Expression(r"(?:\d{4}-\d\d-\d\d[ T])?\d{1,2}:\d\d")
# A title has at most this many words ("Login issues", "Monitoring"): a short first line with
# more is prose wrapped by hand when the next line goes on in lower case.
_TITLE_WORDS = 3
# Where a sentence ends (found without the expression, see `sentence_ends`).
_SENTENCE_END = stored.Expression(r"[.!?]+[\"')\]]*(?=\s|$)")
_WORD = stored.Expression(r"[^\W_]+(?:['\-][^\W_]+|(?<=\d)[:.,]\d+)*")
_LAST_WORD = stored.Expression(r"[\w.]+$")
_BLANK_LINE = stored.Expression(r"\n[ \t]*\n")
_DOUBLE_QUOTED = stored.Expression(r'"[^"\n]{1,600}"')
_QUOTED_LINE = stored.Expression(r"^[ \t]*>[^\n]*", re.MULTILINE)
_NEWLINE = stored.Expression("\n")


class _Abbreviated(dict[str, bool]):
    """Whether the text before a full stop ends with an abbreviation, remembered per text
    before it: drafts share most of their sentence ends."""

    def __init__(self, abbreviations: re.Pattern[str]):
        super().__init__()
        self.abbreviations = abbreviations
        # The last word (the run of word characters and full stops the text ends with) is
        # one of the abbreviations: one search instead of finding the word, then matching it.
        # (An abbreviation holds no line break, so it ends where the word does.)
        self.ends_abbreviated = stored.compile(
            rf"(?<![\w.])(?={_LAST_WORD.pattern})(?:{abbreviations.pattern})$",
            abbreviations.flags,
        )
        self.blocks: dict[str, list[tuple[int, int]]] = {}  # see Document._split

    def ask(self, before: str) -> bool:
        found = self.ends_abbreviated.search(before) is not None
        if len(self) >= 100_000:
            self.clear()
        self[before] = found
        return found


@lru_cache(maxsize=8)
def _abbreviated(abbreviations: re.Pattern[str]) -> _Abbreviated:
    return _Abbreviated(abbreviations)


def sentence_ends(text: str) -> list[tuple[int, int]]:
    """Where `_SENTENCE_END` matches in `text` (start and end of each match, in order), found
    from the text's full stops, exclamation and question marks: a match begins at one of them,
    takes the marks and closing signs that follow and must end before a space or the end. The
    few marks are found by `str.find` and read on from: less than half the time the expression
    takes to try every character."""
    marks = [i for mark in ".!?" for i in _positions(text, mark)]
    if "!" in text or "?" in text:
        marks.sort()
    found: list[tuple[int, int]] = []
    size, after = len(text), 0
    for mark in marks:
        if mark < after:
            continue  # inside the match before
        end = mark
        while end < size and text[end] in ".!?":
            end += 1
        while end < size and text[end] in "\"')]":
            end += 1
        # The marks and signs are taken whole: giving any back leaves one of them next.
        if end == size or text[end].isspace():
            found.append((mark, end))
            after = end
    return found


def _positions(text: str, char: str) -> list[int]:
    found = []
    at = text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """start:end without the whitespace it begins with."""
    return end - len(text[start:end].lstrip()), end


def straighten(text: str) -> str:
    # An ASCII text holds no curly quote: it is returned as it is, without a copy.
    return text if text.isascii() else text.translate(_STRAIGHTEN)


# From `collections`, not `typing.NamedTuple`: see the package's docstring.
class Span(namedtuple("Span", ("start", "end", "text"))):
    """A piece of the draft: its characters start:end, and their text. (A named tuple: a draft
    is cut into many, on every keystroke.)"""

    __slots__ = ()
    start: int
    end: int
    text: str


class Document:
    """A draft cut into blocks, sentences and paragraphs, each a span of the original text."""

    def __init__(self, text: str, abbreviations: re.Pattern[str]):
        self.text = text
        self.plain = straighten(text)
        self._abbreviations = abbreviations
        self.blocks = self._blocks()
        self.sentences = [s for block in self.blocks for s in self._split(block)]
        self.quoted = self._quoted()
        self._quote_starts = [q[0] for q in self.quoted]
        self._sentence_starts = [s.start for s in self.sentences]

    def _blocks(self) -> list[Span]:
        """Lines joined into blocks: a list item, heading or timeline line starts a new block, so
        does a line after a title (a block's short unpunctuated first line); prose wrapped by
        hand is joined, and so is a timeline entry wrapped without a full stop."""
        blocks: list[Span] = []
        start = end = -1
        previous = ""
        joined = in_timeline = False
        position = 0
        for line in self.plain.split("\n"):
            line_start, line_end = position, position + len(line)
            position = line_end + 1
            stripped = line.strip()
            if not stripped:
                if start >= 0:
                    blocks.append(Span(start, end, self.text[start:end]))
                start = -1
                previous = ""
                continue
            indent = len(line) - len(line.lstrip())
            first = line_start + indent
            marker = _LIST_MARKER.match(line, indent)
            timeline = _TIMELINE_LINE.match(line, indent) is not None
            new_block = (
                start < 0
                or marker is not None
                or (
                    timeline
                    and (
                        previous.endswith((".", "!", "?", ":"))
                        or _TIMELINE_LINE.match(previous)
                        or in_timeline  # an entry wrapped without a full stop ends here
                    )
                )
                or previous.endswith(":")
                or (
                    len(previous) < 60
                    and not previous.endswith((".", "!", "?", ",", ";"))
                    # A title is a block's first line, with no comma in it. Prose wrapped by
                    # hand goes on: a line after a wrapped line ("... the next update by" /
                    # "10:30 UTC."), or one that begins in lower case after a first line of
                    # more than a few words.
                    and not joined
                    and ", " not in previous
                    and not (stripped[0].islower() and len(previous.split()) > _TITLE_WORDS)
                )
            )
            joined = not new_block  # this line went on with the one before it
            if new_block:
                if start >= 0:
                    blocks.append(Span(start, end, self.text[start:end]))
                start = line_start + marker.end() if marker else first
                in_timeline = timeline
            end = line_end - (len(line) - len(line.rstrip()))
            previous = stripped
        if start >= 0:
            blocks.append(Span(start, end, self.text[start:end]))
        return [b for b in blocks if b.end > b.start]

    def _split(self, block: Span) -> list[Span]:
        """The block's sentences; where they fall in a block is remembered per block, as a
        draft checked while it is typed changes one block at a time."""
        ends = _abbreviated(self._abbreviations)
        piece = self.plain[block.start : block.end]
        places = ends.blocks.get(piece)
        if places is None:
            places = self._places(piece, ends)
            if len(ends.blocks) >= 20_000:
                ends.blocks.clear()
            ends.blocks[piece] = places
        text, offset = self.text, block.start
        return [Span(offset + s, offset + e, text[offset + s : offset + e]) for s, e in places]

    @staticmethod
    def _places(plain: str, ends: _Abbreviated) -> list[tuple[int, int]]:
        """Where the sentences of a block (all of `plain`) start and end."""
        places: list[tuple[int, int]] = []
        start = 0
        for stop, end in sentence_ends(plain):
            if plain[stop] == ".":
                before = plain[max(0, stop - 8) : stop]
                abbreviated = ends.get(before)
                if abbreviated is None:
                    abbreviated = ends.ask(before)
                if abbreviated:
                    continue
            places.append(_stripped(plain, start, end))
            start = end
        if start < len(plain):
            places.append(_stripped(plain, start, len(plain)))
        return [(s, e) for s, e in places if e > s]

    def _span(self, start: int, end: int) -> Span:
        piece = self.text[start:end]
        stripped = piece.lstrip()
        return Span(end - len(stripped), end, stripped)

    @cached_property
    def paragraphs(self) -> list[Span]:
        spans, start = [], 0
        for gap in [*_BLANK_LINE.finditer(self.text), None]:
            end = gap.start() if gap else len(self.text)
            if self.text[start:end].strip():
                spans.append(self._span(start, end))
            start = gap.end() if gap else end
        return spans

    def _quoted(self) -> list[tuple[int, int]]:
        spans = []
        if '"' in self.plain:
            spans = [(m.start(), m.end()) for m in _DOUBLE_QUOTED.finditer(self.plain)]
        if ">" in self.plain:
            for match in _QUOTED_LINE.finditer(self.plain):
                spans.append((match.start(), match.end()))
        return sorted(spans)

    def is_quoted(self, start: int, end: int) -> bool:
        index = bisect_right(self._quote_starts, start)
        return any(
            self.quoted[i][0] <= start and end <= self.quoted[i][1]
            for i in range(max(0, index - 2), index)
        )

    def sentence_at(self, position: int) -> Span | None:
        index = bisect_right(self._sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    @cached_property
    def _line_starts(self) -> list[int]:
        return line_starts(self.text)

    def line_col(self, position: int) -> tuple[int, int]:
        return line_col(self._line_starts, position)


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def line_col(starts: list[int], position: int) -> tuple[int, int]:
    """1-based line and column of a character position, given where each line starts."""
    line = bisect_right(starts, position)
    return line, position - starts[line - 1] + 1


def words(text: str, start: int = 0, end: int = sys.maxsize) -> list[str]:
    """The words of text[start:end] (no word looks before `start`).

    No word holds a space, so the words are those of each run of characters between spaces in
    turn. A run of letters and digits alone is one word, and so is one followed by a single
    other character ("failed.", "users,"), which joins nothing after it: the expression reads
    only the other runs, and most words are found by the split alone."""
    found: list[str] = []
    for run in text[start:end].split():
        if run.isalnum():
            found.append(run)
        elif run[:-1].isalnum():
            found.append(run[:-1])
        else:
            found += _WORD.findall(run)
    return found


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
