"""Flesch-Kincaid grade through textstat, sentence by sentence as the checks split them."""

from textstat.textstat import textstatistics

_textstat = textstatistics()
# A hyphenated locale: textstat then counts syllables with pyphen's English dictionary and never
# tries to download the CMU pronouncing dictionary at run time (clearline runs offline).
_textstat.set_lang("en-US")


def grade(sentences: list[str]) -> float:
    """The Flesch-Kincaid grade of the sentences, each closed with a full stop so that textstat
    counts list items and headings as the sentences they are."""
    text = " ".join(s.strip().rstrip(".!?:;,") + "." for s in sentences if s.strip())
    if not text:
        return 0.0
    return round(max(0.0, float(_textstat.flesch_kincaid_grade(text))), 1)
