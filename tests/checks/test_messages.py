"""What the writer reads: each wording rule's words, the exact span it marks, its message and its
suggestion, written out, and the edges of the rules that decide when they speak."""

import pytest

from clearline.checks import check

WORDING = {
    "jargon",
    "empty-reassurance",
    "stock-apology",
    "apology-overuse",
    "vague-time",
    "speculation",
    "premature-all-clear",
    "vendor-blame",
    "guessed-deadline",
    "hard-to-read",
}
EVERY_WORKSPACE = "Exports fail for every workspace. "

# (kind, text, rule, the words marked, message, suggestion)
SAID = [
    (
        "update",
        EVERY_WORKSPACE + "Rest assured, our team has this under control.",
        "empty-reassurance",
        "Rest assured",
        '"Rest assured" is comfort with no fact in it.',
        "Replace it with a fact: what you did, what changed, or when you will update next.",
    ),
    (
        "update",
        EVERY_WORKSPACE + "We apologise for any inconvenience caused.",
        "stock-apology",
        "We apologise for any inconvenience",
        '"We apologise for any inconvenience" is the stock apology.',
        "Name the real impact, e.g. 'We are sorry that you could not take payments for two "
        "hours this morning.'",
    ),
    (
        "update",
        "We are sorry that exports failed this morning. We are sorry for the delay in this update.",
        "apology-overuse",
        "sorry",
        "2 apologies in one text; repeating it makes each one weaker.",
        "Keep one specific apology that names the impact; cut the others.",
    ),
    (
        "update",
        EVERY_WORKSPACE + "We will share more soon.",
        "vague-time",
        "soon",
        '"soon" promises no time.',
        "Give a time with its zone, e.g. 'by 10:30 UTC', or promise the next update instead.",
    ),
    (
        "update",
        "Soon we will know more. Exports fail for every workspace.",
        "vague-time",
        "Soon",
        '"Soon" promises no time.',
        "Give a time with its zone, e.g. 'by 10:30 UTC', or promise the next update instead.",
    ),
    (
        "update",
        EVERY_WORKSPACE + "We believe a cache change is behind it.",
        "speculation",
        "We believe",
        '"We believe" states a guess about the cause or impact.',
        "Say what is confirmed, or what you are checking: 'We are checking whether ...'.",
    ),
    (
        "update",
        "Exports work again and the problem is completely fixed.",
        "premature-all-clear",
        "completely fixed",
        '"completely fixed" declares victory before it is verified.',
        "Say what you checked instead, e.g. 'Sign-ins have worked normally since 10:15 UTC "
        "and we are watching closely.'",
    ),
    (
        "update",
        "Text messages are delayed due to an outage at our SMS provider.",
        "vendor-blame",
        "due to an outage at our SMS provider",
        '"due to an outage at our SMS provider" names a third party as the cause; before the '
        "cause is confirmed this reads as deflection.",
        "Describe the effect on your customers and what you are doing; name a supplier only "
        "once the cause is confirmed.",
    ),
    (
        "first",
        EVERY_WORKSPACE + "Exports should be back in 30 minutes.",
        "guessed-deadline",
        "Exports should be back in 30 minutes.",
        '"in 30 minutes" promises a recovery time you cannot know yet.',
        "Promise the next update instead, e.g. 'We will post the next update by 10:30 UTC.'",
    ),
    (
        "update",
        "Invoices are slow to open because of elevated error rates.",
        "jargon",
        "elevated error rates",
        '"elevated error rates" is an internal or soft label, not what customers saw.',
        "Say what customers saw, e.g. 'some API requests failed' or 'pages took longer to load'.",
    ),
]


def said(text: str, kind: str) -> list[tuple]:
    report = check(text, kind=kind)
    return [
        (
            f.rule,
            text[f.start : f.end] if f.start is not None else None,
            f.message,
            f.suggestion,
        )
        for f in report.findings
        if f.rule in WORDING
    ]


@pytest.mark.parametrize(("kind", "text", "rule", "words", "message", "suggestion"), SAID)
def test_each_wording_rule_marks_its_words_and_says_what_to_do(
    kind, text, rule, words, message, suggestion
):
    assert said(text, kind) == [(rule, words, message, suggestion)]


def test_a_long_sentence_is_named_with_its_count_and_the_grade():
    text = " ".join(["word"] * 35) + " end."
    assert said(text, "update") == [
        (
            "hard-to-read",
            None,
            "The text reads at grade 10.3 (Flesch-Kincaid); the target is 10.",
            "Use shorter sentences and everyday words: 'could not sign in', not "
            "'experienced authentication failures'.",
        ),
        (
            "hard-to-read",
            text,
            "This sentence has 36 words (limit 35); the text reads at grade 10.3.",
            "Split it into sentences of one fact each.",
        ),
    ]


def test_a_sentence_at_the_word_limit_is_not_too_long():
    text = " ".join(["word"] * 34) + " end."
    assert [words for rule, words, *_ in said(text, "update") if words] == []


def test_a_past_time_said_with_shortly_is_not_a_vague_promise():
    assert said("Sign-ins began to fail shortly after 09:40 UTC for everyone.", "update") == []


def test_a_stock_apology_elsewhere_does_not_excuse_a_guess():
    text = EVERY_WORKSPACE + "We apologise for any inconvenience caused. We think the cache did it."
    assert [(rule, words) for rule, words, *_ in said(text, "update")] == [
        ("stock-apology", "We apologise for any inconvenience"),
        ("speculation", "We think"),
    ]


def test_saying_what_is_being_checked_covers_a_guess_only_close_by_in_its_own_sentence():
    close = "We are checking whether the cache is involved, and it might be related."
    assert said(close, "update") == []
    other_sentence = "We are checking whether the cache is involved. It might be related."
    assert [(r, w) for r, w, *_ in said(other_sentence, "update")] == [("speculation", "might be")]
    far = (
        "Exports fail for every workspace and we are checking whether the new cache is involved, "
        "which means reading the logs of every export job from the last day, comparing them with "
        "the logs from the day before, and then talking to the team that changed the cache on "
        "Monday, so it might be related."
    )
    assert ("speculation", "might be") in [(r, w) for r, w, *_ in said(far, "update")]


def test_a_name_passed_over_does_not_hide_a_vague_promise_after_it():
    text = "The Coming Soon page builder fails to load. We will share more soon."
    assert [(rule, words) for rule, words, *_ in said(text, "update")] == [("vague-time", "soon")]
