"""Customers ask the same thing in their own words; support sees it counted once."""

import pytest

from clearline.brief.grouping import THRESHOLD, content_words, similarity
from clearline.brief.models import QuestionGroup
from clearline.brief.selectors import question_groups
from tests.brief.conftest import ask
from tests.factories import make_incident

SAME = [
    ("Do we need to reset passwords?", "Should our users reset their passwords?"),
    ("When will payments work again?", "when are payments going to work again"),
    ("Did we lose any data?", "Was any of our data lost?"),
    ("Is my data safe?", "Is our data safe after the outage?"),
    ("Were our payments charged twice?", "were our paymnets charged twice??"),
    ("Why can’t my users sign in?", "Users cannot sign in — why?"),
]
DIFFERENT = [
    # Near-misses: a shared word or two, a different question.
    ("Were we charged twice?", "Were we charged the wrong amount?"),
    ("Is my data safe?", "Was my data deleted?"),
    ("Can I export my data?", "Is my data safe?"),
    ("Will we get a refund for the downtime?", "When will payments work again?"),
    ("Were invoices changed?", "Were invoices charged?"),
]


def score(a, b):
    return similarity(content_words(a), content_words(b))


@pytest.mark.parametrize(("first", "second"), SAME)
def test_it_scores_one_question_in_other_words_above_the_threshold(first, second):
    assert score(first, second) >= THRESHOLD


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_it_scores_a_different_question_below_the_threshold(first, second):
    assert score(first, second) < THRESHOLD


def test_it_ignores_case_punctuation_and_filler_words():
    assert content_words("IS MY DATA SAFE???") == content_words("is the data safe")


@pytest.mark.parametrize(("first", "second"), SAME)
def test_it_groups_the_same_question_asked_in_different_words(people, first, second):
    incident = make_incident()
    one = ask(incident, people["support"], first, "Acme")
    two = ask(incident, people["support"], second, "Globex")
    assert one.group_id == two.group_id
    assert QuestionGroup.objects.count() == 1


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_it_keeps_a_different_question_apart(people, first, second):
    incident = make_incident()
    one = ask(incident, people["support"], first)
    two = ask(incident, people["support"], second)
    assert one.group_id != two.group_id


def test_it_never_groups_questions_across_incidents(people):
    first, second = make_incident(title="Payments"), make_incident(title="Sign-in")
    one = ask(first, people["support"], "Is my data safe?")
    two = ask(second, people["support"], "Is my data safe?")
    assert one.group_id != two.group_id


def test_it_lists_the_most_asked_question_first_with_its_accounts(people):
    incident = make_incident()
    vic = people["support"]
    ask(incident, vic, "Can we get a refund?", "Initech")
    ask(incident, vic, "Is my data safe?", "Acme")
    ask(incident, vic, "is our data safe", "Globex")
    ask(incident, vic, "Is all our data safe?", "acme")
    ask(incident, vic, "Is my data safe", "")
    groups = question_groups(incident)
    assert [(g.title, g.asked) for g in groups] == [
        ("Is my data safe?", 4),
        ("Can we get a refund?", 1),
    ]
    assert groups[0].accounts == ["Acme", "Globex"]


def test_it_matches_a_wording_anywhere_in_the_group_not_only_the_first(people):
    incident = make_incident()
    vic = people["support"]
    first = ask(incident, vic, "Do we need to reset passwords?")
    ask(incident, vic, "Should users reset their passwords now?")
    third = ask(incident, vic, "should users reset passwords")
    assert third.group_id == first.group_id


def test_it_does_not_group_reports(people):
    from clearline.brief.services import log_signal

    incident = make_incident()
    report = log_signal(
        incident=incident, by=people["support"], kind="report", text="Checkout shows error 502"
    )
    assert report.group is None
    assert not QuestionGroup.objects.exists()
