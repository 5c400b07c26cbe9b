"""The real-writing sets: texts modelled on public status pages and postmortems, written fresh.
They are scored in the benchmark, not held to exact firing here (the held-out part must stay
untuned); these tests keep the sets sound."""

from clearline.checks import KINDS, RULES
from tests.checks.labelled import REAL_DEVELOPMENT, REAL_HELDOUT, load_examples

DEVELOPMENT = load_examples(REAL_DEVELOPMENT)
HELD_OUT = load_examples(REAL_HELDOUT)


def test_the_real_sets_hold_at_least_300_texts_of_every_kind():
    assert len(DEVELOPMENT) + len(HELD_OUT) >= 300
    for examples in (DEVELOPMENT, HELD_OUT):
        assert {e.kind for e in examples} == set(KINDS)


def test_about_four_in_ten_real_texts_are_held_out():
    share = len(HELD_OUT) / (len(DEVELOPMENT) + len(HELD_OUT))
    assert 0.35 <= share <= 0.45


def test_no_real_text_is_in_both_parts_and_names_are_unique():
    assert not {e.text for e in DEVELOPMENT} & {e.text for e in HELD_OUT}
    ids = [e.id for e in DEVELOPMENT + HELD_OUT]
    assert len(set(ids)) == len(ids)


def test_every_label_names_a_rule_that_applies_to_the_kind():
    applies = {rule.name: set(rule.severities) for rule in RULES}
    for example in DEVELOPMENT + HELD_OUT:
        for rule in example.fires:
            assert example.kind in applies[rule], (example.id, rule)


def test_every_real_held_out_file_says_it_is_never_used_to_tune_rules():
    for path in sorted(REAL_HELDOUT.glob("*.toml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and "never used to tune" in first, path.name
