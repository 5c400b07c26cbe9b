import pytest

from clearline.checks import History, check
from tests.checks.labelled import load_examples, load_history

EXAMPLES = load_examples()
HISTORY = History(load_history())


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_it_fires_exactly_the_labelled_rules(example):
    report = check(example.text, kind=example.kind, config=example.config, history=HISTORY)
    assert report.rules == example.fires, [
        (f.rule, example.text[f.start : f.end] if f.start is not None else None)
        for f in report.findings
    ]


def test_the_labelled_set_covers_every_kind_and_at_least_200_texts():
    assert {e.kind for e in EXAMPLES} == {
        "first",
        "update",
        "resolved",
        "preliminary",
        "report",
        "review",
    }
    assert len(EXAMPLES) >= 200
