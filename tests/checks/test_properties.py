"""Properties that must hold for any text a writer could paste in."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clearline.checks import KINDS, check

LIMIT = 100_000

kinds = st.sampled_from(KINDS)
# Plain text plus the characters the engine treats specially: quotes, list markers, times.
pieces = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "\n",
            "\n\n",
            "- ",
            "> ",
            '"',
            "\u201c",
            "\u2019",
            "09:40 UTC",
            " by 10:30 ",
            "in 30 minutes",
            "Action items:\n",
            "(owner: Dana, due: 3 March)",
            "sorry",
            "soon",
            "we believe",
            "Since ",
            ".",
            "e.g.",
        ]
    ),
)
texts = st.lists(pieces, max_size=60).map("".join)


def assert_spans_inside(text, report):
    for finding in report.findings:
        if finding.start is None:
            assert finding.end is None
        else:
            assert 0 <= finding.start < finding.end <= len(text), finding


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=3000), texts), kind=kinds)
def test_it_never_fails_and_keeps_every_span_inside_the_text(text, kind):
    report = check(text, kind=kind)
    assert_spans_inside(text, report)
    assert report.stats.words >= 0 and report.stats.grade >= 0


@settings(max_examples=100, deadline=None)
@given(text=texts, kind=kinds)
def test_it_gives_the_same_report_for_the_same_text(text, kind):
    assert check(text, kind=kind).to_dict() == check(text, kind=kind).to_dict()


@pytest.fixture(scope="module")
def warm_checks():
    """The first check loads the word lists (over a second); it is not the text's time."""
    for kind in KINDS:
        check("We are looking into it.", kind=kind)


# A finite deadline per example: a pattern that backtracks badly on some 100 kB text fails here
# instead of passing slowly. Generous: a busy two-core machine takes up to about 2 s an example.
@settings(
    max_examples=8,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(unit=st.text(min_size=1, max_size=200), kind=kinds)
@example(unit="Ïd\x08\U0007a7c6\x8c@", kind="preliminary")  # one run of 100 kB, an @ in six
@example(unit="mis-", kind="first")  # 25,000 hyphenated words: host-name patterns ran to the end
@example(unit="a@", kind="preliminary")  # one run where few places start a word, walked once
@example(unit="due to ", kind="update")  # a cause word 14,000 times in one sentence: 46 s once
@example(unit="this is related to ", kind="first")  # a cause whose words before it are asked
def test_it_handles_texts_up_to_100_kb(warm_checks, unit, kind):
    text = (unit * (LIMIT // len(unit) + 1))[:LIMIT]
    report = check(text, kind=kind)
    assert_spans_inside(text, report)


# A label line in a review's action section padded with spaces ("Done" + 4,000 spaces + "x"): the
# label's pattern once tried every split of the spaces between its optional parts (75 s).
@settings(max_examples=2, deadline=timedelta(seconds=5))
@given(label=st.sampled_from(["Done", "**Done**", "Short term:", "Action items"]))
def test_a_label_padded_with_spaces_is_read_at_once(warm_checks, label):
    text = f"## Action items\n- x\n{label}{' ' * 4000}x\n"
    assert_spans_inside(text, check(text, kind="review"))


@settings(max_examples=100, deadline=None)
@given(text=texts, history=st.lists(texts, max_size=3), kind=kinds)
def test_it_never_fails_with_any_history(text, history, kind):
    assert_spans_inside(text, check(text, kind=kind, history=history))
