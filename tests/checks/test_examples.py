"""The labelled sets against the checker: the development set (rules are tuned on it) and the
held-out set (never used to tune rules). Each example must fire exactly its labelled rules,
except for the known misses recorded beside it; a known miss that is fixed must leave the list,
so the list always tells the truth."""

import pytest

from clearline.checks import KINDS, RULES, History, check
from tests.checks.labelled import (
    HELDOUT,
    evidence_problems,
    expected_rules,
    load_examples,
    load_history,
    load_known_misses,
)

EXAMPLES = load_examples()
MISSES = load_known_misses()
HELD_OUT = load_examples(HELDOUT)
HELD_OUT_MISSES = load_known_misses(HELDOUT)
HISTORY = History(load_history())
RULE_NAMES = {rule.name for rule in RULES}


def _check(example):
    return check(example.text, kind=example.kind, config=example.config, history=HISTORY)


def _fires_as_known(example, misses):
    report = _check(example)
    found = [
        (f.rule, example.text[f.start : f.end] if f.start is not None else None)
        for f in report.findings
    ]
    expected = expected_rules(example, misses)
    assert report.rules == expected, {
        "labelled": sorted(example.fires),
        "with known misses": sorted(expected),
        "fired": sorted(report.rules),
        "findings": found,
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_it_fires_exactly_the_labelled_rules(example):
    _fires_as_known(example, MISSES)


@pytest.mark.parametrize("example", HELD_OUT, ids=[e.id for e in HELD_OUT])
def test_held_out_texts_fire_the_labelled_rules_or_a_recorded_known_miss(example):
    _fires_as_known(example, HELD_OUT_MISSES)


@pytest.mark.parametrize("example", EXAMPLES + HELD_OUT, ids=[e.id for e in EXAMPLES + HELD_OUT])
def test_findings_and_elements_point_at_the_labelled_evidence(example):
    assert evidence_problems(example, _check(example)) == []


@pytest.mark.parametrize(
    ("examples", "misses"), [(EXAMPLES, MISSES), (HELD_OUT, HELD_OUT_MISSES)], ids=["dev", "held"]
)
def test_each_known_miss_names_an_example_a_rule_and_why(examples, misses):
    by_id = {e.id: e for e in examples}
    for miss in misses:
        assert miss.example in by_id, miss
        assert miss.rule in RULE_NAMES, miss
        labelled = miss.rule in by_id[miss.example].fires
        assert (miss.what, labelled) in (("missed", True), ("false alarm", False)), miss
        assert len(miss.why.split()) >= 4, miss
    assert len({(m.example, m.rule) for m in misses}) == len(misses)


def test_the_labelled_set_covers_every_kind_and_at_least_200_texts():
    assert {e.kind for e in EXAMPLES} == set(KINDS)
    assert len(EXAMPLES) >= 200


def test_the_held_out_set_covers_every_kind_and_at_least_80_texts():
    assert {e.kind for e in HELD_OUT} == set(KINDS)
    assert min(sum(e.kind == kind for e in HELD_OUT) for kind in KINDS) >= 8
    assert len(HELD_OUT) >= 80
    names = [e.id for e in HELD_OUT]
    assert len(set(names)) == len(names)
    # No held-out text is also a development text.
    assert not {e.text for e in HELD_OUT} & {e.text for e in EXAMPLES}


def test_every_held_out_file_says_it_is_never_used_to_tune_rules():
    for path in sorted(HELDOUT.glob("*.toml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and "never used to tune" in first, path.name
