"""Flesch-Kincaid grade, with syllables counted by textstat.

The grade is textstat's Flesch-Kincaid formula (0.39 x words per sentence + 11.8 x syllables per
word - 15.59) applied to the sentences as the checks split them, so that list items and headings
count as the sentences they are. Syllables are counted word by word and remembered: a draft
checked on every keystroke changes a word at a time.
"""

from functools import lru_cache

from textstat.textstat import textstatistics

_textstat = textstatistics()
# A hyphenated locale: textstat then counts syllables with pyphen's English dictionary and never
# tries to download the CMU pronouncing dictionary at run time (clearline runs offline).
_textstat.set_lang("en-US")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    return max(1, int(_textstat.syllable_count(word)))


def grade(sentences: list[list[str]]) -> float:
    """The grade of sentences given as lists of lower-case words; sentences of one or two words
    (headings, labels) are not counted as sentences, as in textstat."""
    words = [w for sentence in sentences for w in sentence]
    if not words:
        return 0.0
    counted = sum(1 for sentence in sentences if len(sentence) > 2) or 1
    total = sum(map(syllables, words))
    value = 0.39 * len(words) / counted + 11.8 * total / len(words) - 15.59
    return round(max(0.0, value), 1)
