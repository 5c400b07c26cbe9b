"""The data file writes a verb once ("{take}") and the lexicon expands it to all its forms."""

import pytest

from clearline.checks import check, lexicon

VERBS = lexicon.load("en").data["verbs"]


@pytest.mark.parametrize(
    ("base", "forms"),
    [
        ("arrive", ["arrive", "arrives", "arrived", "arriving"]),
        ("deliver", ["deliver", "delivers", "delivered", "delivering"]),
        ("crash", ["crash", "crashes", "crashed", "crashing"]),
        ("retry", ["retry", "retries", "retried", "retrying"]),
        ("stop", ["stop", "stops", "stopped", "stopping"]),
        ("take", ["take", "takes", "took", "taken", "taking"]),
        ("show", ["show", "shows", "showed", "shown", "showing"]),
    ],
)
def test_a_verb_is_written_out_in_all_its_forms(base, forms):
    assert lexicon.verb_forms(base, VERBS) == forms


def test_only_verb_markers_are_expanded():
    data = {"a": ["{show} (?:\\w+ ){0,2}?errors"], "verbs": VERBS}
    assert lexicon.expand_verbs(data)["a"] == [
        "(?:show|shows|showed|shown|showing) (?:\\w+ ){0,2}?errors"
    ]


REST = " Everyone on the web app is affected. Next update by 10:30 UTC."


@pytest.mark.parametrize(
    "symptom",
    [
        "Opening an invoice takes 10 to 30 seconds.",
        "Webhook events are delivered up to 25 minutes late.",
        "Payouts to bank accounts due today have not left.",
        "Signing in with Google shows an error page.",
        "The API is slower than usual.",
        "Card payments are succeeding again.",
        "Dashboards show figures up to yesterday evening only.",
    ],
)
def test_every_form_of_a_symptom_verb_names_the_symptom(symptom):
    assert "missing-symptom" not in check(symptom + REST, kind="update").rules


@pytest.mark.parametrize(
    "near_miss",
    [
        "We are looking at the payment service.",
        "Our engineers took over the investigation.",
        "We will show more detail in the report.",
        "The team delivered a first change to the settings.",
    ],
)
def test_near_misses_still_name_no_symptom(near_miss):
    assert "missing-symptom" in check(near_miss + REST, kind="update").rules
