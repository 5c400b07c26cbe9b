"""Sentences and words are read exactly as their expressions define them, however they are
found: the findings of any text depend on it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.checks import lexicon
from clearline.checks.text import (
    _LAST_WORD,
    _SENTENCE_END,
    _WORD,
    _Abbreviated,
    sentence_ends,
    straighten,
    words,
)

# Any text, and text made of what sentences and words are cut at: marks, closing signs,
# apostrophes, hyphens, digits and every kind of space.
signs = st.lists(
    st.sampled_from(
        [".", "!", "?", "...", '"', "'", ")", "]", "-", ":", ",", "_", "@", "a", "B", "é", "9"]
        + [" ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "word", "e.g.", "09:40", "sign-in"]
    ),
    max_size=40,
).map("".join)
texts = st.one_of(st.text(max_size=200), signs)


@settings(max_examples=500, deadline=None)
@given(text=texts)
def test_sentence_ends_are_where_the_expression_matches(text):
    assert sentence_ends(text) == [m.span() for m in _SENTENCE_END.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(text=texts, start=st.integers(0, 20), length=st.integers(0, 200))
def test_words_are_what_the_expression_finds(text, start, length):
    assert words(text) == _WORD.findall(text)
    assert words(text, start, start + length) == _WORD.findall(text, start, start + length)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_folding_and_straightening_change_letters_and_quotes_alone(text):
    assert lexicon.fold(text) == text.translate(lexicon._FOLD)
    assert straighten(text) == text.translate({0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"'})


@settings(max_examples=500, deadline=None)
@given(
    before=st.lists(
        st.sampled_from(["e", "g", "i", ".", "a", "m", "p", "etc", "approx", "Mr", " ", "\n", "_"])
        | st.characters(),
        max_size=8,
    ).map("".join)
)
def test_an_abbreviation_is_the_last_word_the_expression_finds(before):
    abbreviations = lexicon.load("en").abbreviations
    word = _LAST_WORD.search(before)
    expected = bool(word and abbreviations.fullmatch(word.group()))
    assert _Abbreviated(abbreviations).ask(before) == expected
