"""Flesch-Kincaid grade, with syllables counted from pyphen's English hyphenation patterns.

The grade is the Flesch-Kincaid formula (0.39 x words per sentence + 11.8 x syllables per word -
15.59) applied to the sentences as the checks split them, so that list items and headings count
as the sentences they are. A word has one syllable more than it has hyphenation points, found by
Liang's algorithm over the en_US patterns pyphen ships, two letters kept at either end as pyphen
keeps them: the count textstat gave with the same patterns (tests/checks/test_readability.py
holds it to that), without textstat's import of nltk, a quarter of a second at every start.

The parsed patterns and each word's count are kept between processes (`clearline.checks.stored`):
parsing pyphen's file takes longer than a whole check. Syllables are remembered per word, as a
draft checked on every keystroke changes a word at a time.
"""

from clearline.checks import stored

_LANGUAGE = "en_US"
# As textstat cleaned a word before counting: apostrophes that do not begin a contraction's
# ending and every other sign go; what is left may be several words ("09:40" is one, "e-mail"
# one, "sign-in" one).
_STRAY_APOSTROPHE = stored.Expression(r"'(?!(?:[tsd]|ve|ll|re))")
_SIGN = stored.Expression(r"[^\w\s']")
_EDGE = 2  # letters kept before the first and after the last hyphenation point

# A pattern's letters, and its first marked place with its marks as digits ("0103": from the
# pattern's first place, marks 1, 0 and 3): read back twice as fast as numbers in tuples.
Patterns = dict[str, str]


def _parse() -> Patterns:
    import pyphen  # only when the parsed patterns are not kept yet

    parsed = pyphen.HyphDict(pyphen.LANGUAGES[pyphen.language_fallback(_LANGUAGE)])
    # (pyphen marks nonstandard hyphenation on some values, which a count of points does not
    # need; the English patterns have none, and no mark above 9.)
    return {
        key: f"{start}{''.join(str(int(value)) for value in values)}"
        for key, (start, values) in parsed.patterns.items()
    }


class _Hyphenation:
    def __init__(self) -> None:
        self._patterns: Patterns | None = None
        self._longest = 0

    def points(self, word: str) -> int:
        """How many places `word` can be hyphenated at (pyphen's `Pyphen.positions`)."""
        patterns = self._patterns
        if patterns is None:
            patterns = self._patterns = stored.get("hyphenation", _LANGUAGE, _parse)
            self._longest = max(map(len, patterns))
        pointed = f".{word.lower()}."
        values = [0] * (len(pointed) + 1)
        size = len(pointed)
        for i in range(size - 1):
            for j in range(i + 1, min(i + self._longest, size) + 1):
                found = patterns.get(pointed[i:j])
                if found is not None:
                    for k, mark in enumerate(map(int, found[1:]), i + int(found[0])):
                        if mark > values[k]:
                            values[k] = mark
        last = len(word) - _EDGE
        return sum(1 for i, value in enumerate(values) if value % 2 and _EDGE <= i - 1 <= last)


_HYPHENATION = _Hyphenation()


def count(word: str) -> int:
    """A word's syllables, at least one."""
    cleaned = _SIGN.sub("", _STRAY_APOSTROPHE.sub("", word)).lower()
    return max(1, sum(_HYPHENATION.points(part) + 1 for part in cleaned.split()))


class _Syllables(dict[str, int]):
    """Syllables per word, counted once per word and kept between processes: the words of one
    organisation's updates come back again and again."""

    def __missing__(self, word: str) -> int:
        kept = stored.table("syllables")
        found = kept.get(word)
        if found is None:
            found = count(word)
            if len(kept) >= 65536:  # a long-running process meets words without end
                kept.clear()
            kept[word] = found
            stored.added("syllables", word)
        if len(self) >= 65536:
            self.clear()
        self[word] = found
        return found


_SYLLABLES = _Syllables()


def syllables(word: str) -> int:
    return _SYLLABLES[word]


def syllable_total(words: list[str]) -> int:
    return sum(map(_SYLLABLES.__getitem__, words))


def grade(sentences: list[list[str]]) -> float:
    """The grade of sentences given as lists of lower-case words; sentences of one or two words
    (headings, labels) are not counted as sentences, as in textstat."""
    return grade_of(list(map(len, sentences)), sum(map(syllable_total, sentences)))


def grade_of(lengths: list[int], total: int) -> float:
    """The grade from the number of words in each sentence and the syllables of them all."""
    words = sum(lengths)
    if not words:
        return 0.0
    counted = sum(1 for length in lengths if length > 2) or 1
    value = 0.39 * words / counted + 11.8 * total / words - 15.59
    return round(max(0.0, value), 1)
