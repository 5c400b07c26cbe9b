"""Flesch-Kincaid grade, with syllables counted by textstat.

The grade is textstat's Flesch-Kincaid formula (0.39 x words per sentence + 11.8 x syllables per
word - 15.59) applied to the sentences as the checks split them, so that list items and headings
count as the sentences they are. Syllables are counted word by word and remembered: a draft
checked on every keystroke changes a word at a time.
"""

from textstat.textstat import textstatistics

_textstat = textstatistics()
# A hyphenated locale: textstat then counts syllables with pyphen's English dictionary and never
# tries to download the CMU pronouncing dictionary at run time (clearline runs offline).
_textstat.set_lang("en-US")


class _Syllables(dict[str, int]):
    """Syllables per word, counted by textstat once per word."""

    def __missing__(self, word: str) -> int:
        found = max(1, int(_textstat.syllable_count(word)))
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
