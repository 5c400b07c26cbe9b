"""Paragraphs that repeat text published before (for another incident)."""

from collections.abc import Iterable, Sequence

from clearline.checks import stored
from clearline.checks.record import Record

SHINGLE = 5  # words per shingle: long enough that shared phrases alone do not count
MIN_WORDS = 25
THRESHOLD = 0.5  # share of a paragraph's shingles found in one earlier text

_WORD = stored.Expression(r"[^\W_]+")
_DIGITS = stored.Expression(r"\d+")


def _shingles(text: str) -> set[int]:
    # Numbers are blanked: the same paragraph with other times and dates is still boilerplate.
    tokens = [_DIGITS.sub("#", w) for w in _WORD.findall(text.lower())]
    return {hash(tuple(tokens[i : i + SHINGLE])) for i in range(len(tokens) - SHINGLE + 1)}


class Repeat(Record):
    __slots__ = _fields = ("source", "share")
    source: int  # index of the earlier text
    share: float  # how much of the paragraph it repeats


class History:
    """Earlier published texts, indexed once so that every check against them is cheap."""

    def __init__(self, texts: Iterable[str] = ()):
        self.texts: list[str] = list(texts)
        self._index: dict[int, list[int]] = {}
        self._skip: frozenset[int] = frozenset()
        for number, text in enumerate(self.texts):
            for shingle in _shingles(text):
                self._index.setdefault(shingle, []).append(number)

    def __len__(self) -> int:
        return len(self.texts) - len(self._skip)

    def without(self, sources: Iterable[int]) -> "History":
        """The same history with some texts left out, sharing the index: the application
        indexes everything published once and leaves out the incident being written about."""
        view = History()
        view.texts, view._index = self.texts, self._index
        view._skip = frozenset(sources)
        return view

    def repeat_of(self, paragraph: str) -> Repeat | None:
        """The earlier text this paragraph most closely repeats, if it repeats one."""
        if len(_WORD.findall(paragraph)) < MIN_WORDS:
            return None
        shingles = _shingles(paragraph)
        if not shingles:
            return None
        counts: dict[int, int] = {}
        for shingle in shingles:
            for source in self._index.get(shingle, ()):
                if source not in self._skip:
                    counts[source] = counts.get(source, 0) + 1
        if not counts:
            return None
        source, shared = max(counts.items(), key=lambda item: (item[1], -item[0]))
        share = shared / len(shingles)
        return Repeat(source, share) if share >= THRESHOLD else None


def as_history(history: "Sequence[str] | History") -> History:
    return history if isinstance(history, History) else History(history)
