"""Phrase lists are tried only where their first words are (clearline.checks.starts): what they
find must be exactly what a scan of the whole text with the same expressions finds."""

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearline.checks import CheckConfig, lexicon, starts
from clearline.checks.context import phrases_for
from clearline.checks.times import grammar

pytestmark = pytest.mark.slow  # see README, Testing: pytest -m "not slow"

LEX = lexicon.load("en")
CONFIG = CheckConfig(
    glossary=("payments-api", "Orion", "queue.fast"),
    extra_phrases={"speculation": ("we guess so",), "jargon": ("blue box",)},
)
PHRASES = phrases_for(CONFIG)
LISTS = [
    *(getattr(PHRASES, name) for name in PHRASES._fields),
    *(value for value in vars(LEX).values() if isinstance(value, lexicon.Phrases)),
    grammar("en").cues,
    grammar("en").zone_statement,
    *(phrases for _, phrases in grammar("en").cue_roles),
]

# Texts made of the phrases themselves (as their patterns generate them), their words and the
# characters at their edges: they hold many phrases, half-phrases and near misses.
PATTERNS = sorted({lexicon.prepare(p, folded=False) for ph in LISTS for p in ph.patterns})
VOCABULARY = sorted(
    {w for pattern in PATTERNS for w in re.findall(r"[A-Za-z']{2,}", pattern)}
    | {"EU", "US", "AWS", "HTTP", "503", "09:40", "UTC", "NullPointerException", "OPS-1234"}
)
phrase = st.sampled_from(PATTERNS).flatmap(lambda p: st.from_regex(p, fullmatch=True))
words = st.one_of(phrase, phrase, st.sampled_from(VOCABULARY), st.text(max_size=3))
between = st.sampled_from([" "] * 12 + ["\n", ", ", ". ", "-", "@", "'", '"', " (", "", "ſ", "K"])
texts = st.lists(st.tuples(words, between), max_size=25).map(
    lambda pairs: "".join(w + b for w, b in pairs)
)


def scan_all(phrases, text, pos=0, endpos=sys.maxsize, *, overlapping=False):
    """The whole-text scan the phrase lists used to make."""
    if not phrases.may_match(text):
        return []
    found = []
    for pattern, target in phrases._targets(text):
        if not overlapping:
            found.extend(pattern.finditer(target, pos, endpos))
            continue
        start = pos
        while (match := pattern.search(target, start, endpos)) is not None:
            found.append(match)
            start = match.start() + 1
    found.sort(key=lambda m: m.start())
    return found


def spans(matches):
    return [m.span() for m in matches]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, cut=st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_phrases_find_what_a_whole_text_scan_finds(text, cut):
    # A window of the text, often cutting a word: as when a rule looks within one sentence.
    pos, endpos = (round(len(text) * f) for f in sorted(cut))
    for phrases in LISTS:
        assert spans(phrases.finditer(text)) == spans(scan_all(phrases, text))
        assert spans(phrases.finditer(text, overlapping=True)) == spans(
            scan_all(phrases, text, overlapping=True)
        )
        window = scan_all(phrases, text, pos, endpos, overlapping=True)
        assert spans(phrases.finditer(text, pos, endpos, overlapping=True)) == spans(window)
        first = scan_all(phrases, text, pos, endpos)
        found = phrases.search(text, pos, endpos)
        assert (found.span() if found else None) == (first[0].span() if first else None)
        # The whole text: a case-sensitive phrase is looked for only before the first other.
        first = scan_all(phrases, text)
        found = phrases.search(text)
        assert (found.span() if found else None) == (first[0].span() if first else None)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_one_scan_finds_the_first_phrase_at_each_place(text):
    for phrases in LISTS:
        expected, after = [], 0
        hits = scan_all(phrases, text, overlapping=True) if phrases.may_match(text) else []
        for place in sorted({m.start() for m in hits}):
            if place >= after and (match := phrases.match_at(text, place)) is not None:
                expected.append(match.span())
                after = match.end()
        assert spans(phrases.scan(text)) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, cuts=st.lists(st.floats(0, 1), max_size=6))
def test_words_found_piece_by_piece_are_the_words_of_the_whole_text(text, cuts):
    folded = lexicon.fold(text)
    places = sorted({int(c * len(folded)) for c in cuts})
    places = [p for p in places if 0 < p and folded[p - 1].isspace()]
    starts._RECENT.clear()  # found afresh, not remembered from another test
    found = starts.tokens_in_pieces(folded, places)
    matches = list(starts.TOKEN.finditer(folded))
    assert found == ([m.start() for m in matches], [m.group() for m in matches])
    # Again, the pieces now remembered (some cut from the whole text's tokens), a piece moved.
    starts._RECENT.clear()
    shifted = " " + folded
    again = starts.tokens_in_pieces(shifted, [1] + [p + 1 for p in places])
    assert again == ([m.start() + 1 for m in matches], [m.group() for m in matches])
