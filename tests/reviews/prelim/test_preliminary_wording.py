"""The preliminary report read as a customer reads it, whatever the record holds: no template
words, no dangling clauses, no doubled words, the past tense, and nothing the checks refuse."""

import itertools
import re
from datetime import UTC, datetime

import pytest

from clearline import demo
from clearline.checks import check
from clearline.demo import HISTORY
from clearline.reviews.preliminary import in_past_tense, wording
from clearline.updates import compose

NOW = datetime(2026, 11, 30, 9, 12, tzinfo=UTC)
FULL = {
    "started": "09:12 GMT on Monday 30 November",
    "ended": "10:42 GMT",
    "lasted": "1 hour 30 minutes",
    "symptom": "invoice emails to customers in the EU region were arriving up to 40 minutes late",
    "reported": "“invoice email missing” (2 reports)",
    "who": "customers in the EU region",
    "safe": "No invoice data was changed or lost",
    "still_worked": "Invoices could still be created and paid through their links",
    "verified": "We sent test invoices every five minutes and each arrived within a minute",
    "checking": "“Did the mail settings change at 08:55 start the backlog?”",
    "review_by": "Monday 7 December",
    "email": "help@example.com",
    "url": "https://example.com/support",
}
OPTIONAL = ["reported", "who", "safe", "still_worked", "verified", "checking", "email", "url"]
DANGLING = re.compile(r"\{\w+\}|\s[,.:;]|::|\.\.|[ \t]{2,}|:[ \t]*$|\(\s*\)|“”", re.M)
PRESENT = re.compile(r"\b(?:is|are|has|have|can|cannot|shows?|sees?|fails?|takes?|works?)\b")


def reports():
    """The report for every choice of optional parts of the record."""
    for present in itertools.product([True, False], repeat=len(OPTIONAL)):
        values = dict(FULL)
        for name, keep in zip(OPTIONAL, present, strict=True):
            if not keep:
                values[name] = ""
        yield values, compose.fill(wording().paragraphs, values)


def test_no_record_leaves_template_words_or_dangling_clauses():
    for values, text in reports():
        assert not DANGLING.search(text), (values, text)
        for paragraph in text.split("\n\n"):
            assert paragraph[-1] in ".?”", paragraph
            assert not re.search(r"\b(\w+) \1\b", paragraph, re.I), paragraph


def test_every_record_with_a_symptom_and_a_window_passes_the_checks():
    for values, text in reports():
        report = check(text, kind="preliminary")
        errors = [f"{f.code} {f.message}" for f in report.findings if f.severity == "error"]
        assert errors == [], text
        codes = {f.code for f in report.findings}
        # Nothing a full record would not say is missing; the rest is only what the record lacks.
        assert codes <= {"CL102", "CL109", "CL131"}, (codes, text)
        if values["who"]:
            assert "CL102" not in codes
        if values["email"] or values["url"]:
            assert "CL131" not in codes


def test_the_full_record_reads_clean():
    report = check(compose.fill(wording().paragraphs, FULL), kind="preliminary")
    assert report.findings == ()


@pytest.mark.parametrize("row", HISTORY, ids=[row[2] for row in HISTORY])
def test_every_first_update_of_the_demo_is_told_in_the_past_tense(row):
    first = demo._text(row[7][0][2], NOW, UTC)
    symptom = check(first, kind="first").reader_test.what_happened
    told = in_past_tense(symptom)
    assert not PRESENT.search(told), told
    assert told[0].isupper() == symptom[0].isupper()
    assert len(told.split()) >= len(symptom.split()) - 1  # shifted, not cut


@pytest.mark.parametrize(
    ("present", "past"),
    [
        (
            "Payouts to UK bank accounts due today have not left",
            "Payouts to UK bank accounts due that day had not left",
        ),
        (
            "Signing in with Google shows an error page",
            "Signing in with Google showed an error page",
        ),
        (
            "Customers cannot sign in and do not see their invoices",
            "Customers could not sign in and did not see their invoices",
        ),
        ("Is the web app slow? It is", "Was the web app slow? It was"),
    ],
)
def test_the_past_tense_of_what_first_updates_say(present, past):
    assert in_past_tense(present) == past
