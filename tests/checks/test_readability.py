"""The syllable count and the grade stay what they were with textstat.

`syllables_textstat.json` holds the syllables textstat 0.7.13 (set to en-US, as clearline used
it) counted for every word of the labelled texts as the checks split them, recorded before
textstat was replaced by clearline's own count over pyphen's patterns.
"""

import json
import re
from pathlib import Path

import pyphen
import pytest

from clearline.checks import CheckConfig, History, readability
from clearline.checks.context import Context
from tests.checks.labelled import HELDOUT, load_examples

RECORDED = json.loads((Path(__file__).parent / "syllables_textstat.json").read_text("utf-8"))
# Grades are reported to one decimal: the old and the new count must give the same figure.
TOLERANCE = 0.05


def test_every_recorded_word_has_the_syllables_textstat_counted():
    differ = {
        word: (old, readability.count(word))
        for word, old in RECORDED.items()
        if readability.count(word) != old
    }
    assert not differ
    assert len(RECORDED) > 1500


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("organisations", 5),
        ("authentication", 5),
        ("sign-in", 1),  # textstat joined a hyphenated word before counting it
        ("09:40", 1),
        ("we'll", 1),
        ("customers'", 2),  # pyphen: cus-tomers
        ("—", 1),  # a word with no letters still counts one
    ],
)
def test_awkward_words(word, expected):
    assert readability.count(word) == expected


def test_the_grades_of_the_labelled_texts_are_those_textstat_gave():
    compared = 0
    for example in load_examples() + load_examples(HELDOUT):
        context = Context(example.text, example.kind, CheckConfig(), History())
        sentences = context.sentence_words
        if not all(word in RECORDED for sentence in sentences for word in sentence):
            continue  # a text written after the recording
        lengths = list(map(len, sentences))
        old = readability.grade_of(lengths, sum(RECORDED[w] for s in sentences for w in s))
        assert abs(readability.grade(sentences) - old) <= TOLERANCE, example.id
        compared += 1
    assert compared >= 300


def test_each_word_has_one_syllable_more_than_pyphen_has_hyphenation_points():
    hyphenator = pyphen.Pyphen(lang="en_US")
    data = Path(readability.__file__).parent / "data" / "en.toml"
    words = set(re.findall(r"[a-z]+", data.read_text("utf-8").lower()))
    assert len(words) > 1000
    for word in words:
        assert readability.count(word) == len(hyphenator.positions(word)) + 1, word
