"""The application rules as the engine runs them, with a ledger built by hand (no Django)."""

import pytest

from clearline.checks import CheckConfig, Entry, Ledger, LedgerError, check

GOOD = (
    "Since 09:40 UTC some customers on the EU region cannot sign in to the dashboard. "
    "Existing sessions still work. Our identity team is leading the response. "
)


def fact(subject: str, status: str = "confirmed", text: str = "Confirmed.") -> Entry:
    return Entry("fact", subject, status, text)


def question(subject: str, text: str = "Is it?", status: str = "open") -> Entry:
    return Entry("question", subject, status, text)


def codes(text: str, ledger: Ledger | None, kind: str = "update") -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in check(text, kind=kind, facts=ledger).findings:
        span = text[finding.start : finding.end] if finding.start is not None else ""
        found.setdefault(finding.code, []).append(span)
    return found


def test_without_a_ledger_the_application_rules_do_not_run():
    text = GOOD + "The issue is resolved. It was caused by a faulty deploy."
    found = codes(text, None)
    assert "CL121" not in found
    assert "CL122" not in found


def test_a_text_that_calls_an_open_incident_resolved_mixes_statuses():
    found = codes(GOOD + "The issue is resolved.", Ledger.of("investigating"))
    assert found["CL121"] == ["The issue is resolved"]


def test_the_same_words_under_the_resolved_status_are_fine():
    found = codes(GOOD + "The issue is resolved.", Ledger.of("resolved"), kind="resolved")
    assert "CL121" not in found


def test_monitoring_a_fix_contradicts_investigating_once_per_sentence():
    text = GOOD + "A fix has been deployed and we are monitoring the results."
    assert codes(text, Ledger.of("investigating"))["CL121"] == ["A fix has been deployed"]
    assert "CL121" not in codes(text, Ledger.of("monitoring"))


def test_a_status_said_as_a_condition_is_not_a_statement():
    text = GOOD + "We will post the next update once the issue is resolved."
    assert "CL121" not in codes(text, Ledger.of("investigating"))


def test_a_status_that_differs_from_the_approved_text_on_another_channel_is_mixed():
    ledger = Ledger.of("monitoring", approved_text="We are still investigating the issue.")
    text = GOOD + "A fix has been deployed."
    assert codes(text, ledger)["CL121"] == ["A fix has been deployed"]


def test_a_cause_with_no_confirmed_fact_is_an_unsupported_claim():
    text = GOOD + "This was caused by a faulty deploy."
    report = check(text, facts=Ledger.of("identified"))
    claim = next(f for f in report.findings if f.code == "CL122")
    assert claim.severity == "error"
    assert text[claim.start : claim.end] == "was caused by"
    assert "Confirm the fact about the cause in the ledger" in claim.suggestion


@pytest.mark.parametrize(
    "sentence",
    [
        "We found the cause: the bank feed changed its file format.",
        "We have now identified the root cause, a full disk.",
        "We know what caused it: a configuration change.",
    ],
)
def test_a_team_saying_it_found_the_cause_claims_a_cause(sentence):
    assert "CL122" in codes(GOOD + sentence, Ledger.of("identified"))
    assert "CL122" not in codes(GOOD + sentence, Ledger.of("identified", [fact("cause")]))


@pytest.mark.parametrize(
    "sentence", ["We do not yet know what caused it.", "We are checking what caused the delay."]
)
def test_not_knowing_the_cause_yet_claims_nothing(sentence):
    assert "CL122" not in codes(GOOD + sentence, Ledger.of("identified"))


def test_a_confirmed_fact_on_the_subject_supports_the_claim():
    text = GOOD + "This was caused by a faulty deploy."
    assert "CL122" not in codes(text, Ledger.of("identified", [fact("cause")]))


def test_an_answered_question_supports_the_claim_but_a_withdrawn_fact_does_not():
    text = GOOD + "No data was lost."
    answered = Ledger.of("identified", [fact("data_safety", "answered")])
    withdrawn = Ledger.of("identified", [fact("data_safety", "withdrawn")])
    assert "CL122" not in codes(text, answered)
    assert codes(text, withdrawn)["CL122"] == ["No data was lost"]


def test_a_fact_on_another_subject_does_not_support_the_claim():
    text = GOOD + "No data was lost."
    assert codes(text, Ledger.of("identified", [fact("cause")]))["CL122"] == ["No data was lost"]


def test_a_recovery_estimate_needs_a_confirmed_recovery_fact():
    text = GOOD + "Sign-in should be back within the hour."
    assert codes(text, Ledger.of("identified"))["CL122"] == ["within the hour"]
    assert "CL122" not in codes(text, Ledger.of("identified", [fact("recovery")]))


def test_a_supplier_named_as_the_cause_is_one_claim_about_cause_and_supplier():
    text = GOOD + "It was caused by an outage at our cloud provider."
    # CL117 as a warning leaves the claim to CL122 (as an error it would flag the place itself).
    config = CheckConfig(severity_overrides={"vendor-blame": "warning"})
    report = check(text, config=config, facts=Ledger.of("identified"))
    claims = [f for f in report.findings if f.code == "CL122"]
    assert len(claims) == 1
    assert "the cause and a supplier's part in it" in claims[0].message


def test_saying_what_is_being_checked_is_not_a_claim():
    text = GOOD + "We are checking whether any data was lost."
    assert "CL122" not in codes(text, Ledger.of("identified"))


def test_an_open_question_blocks_the_all_clear_on_its_subject():
    ledger = Ledger.of(
        "resolved",
        [fact("data_safety"), question("data_safety", "Were any exports lost?")],
    )
    text = GOOD + "We repeated the failed sign-ins and each one worked. No data was lost."
    report = check(text, kind="resolved", facts=ledger)
    blocked = [f for f in report.findings if f.code == "CL116"]
    assert [text[f.start : f.end] for f in blocked] == ["No data was lost"]
    assert "Were any exports lost?" in blocked[0].message
    assert "CL122" not in {f.code for f in report.findings}


def test_a_settled_question_no_longer_blocks_the_all_clear():
    ledger = Ledger.of(
        "resolved", [fact("data_safety"), question("data_safety", status="answered")]
    )
    text = GOOD + "We repeated the failed sign-ins and each one worked. No data was lost."
    assert "CL116" not in codes(text, ledger, kind="resolved")


def test_a_safety_word_the_ledger_confirms_is_verified_while_investigating():
    text = GOOD + "No card was charged twice. Next update by 11:00 UTC."
    assert codes(text, None)["CL116"] == ["No card was charged twice"]
    assert "CL116" not in codes(text, Ledger.of("identified", [fact("data_safety")]))
    # Not by a fact on another subject, nor while a question on data safety is still open.
    assert "CL116" in codes(text, Ledger.of("identified", [fact("cause")]))
    open_question = Ledger.of("identified", [fact("data_safety"), question("data_safety")])
    assert "CL116" in codes(text, open_question)


def test_a_confirmed_safety_fact_does_not_let_victory_be_declared():
    text = GOOD + "All clear: everything is back to normal. Next update by 11:00 UTC."
    found = codes(text, Ledger.of("identified", [fact("data_safety")]))
    assert found["CL116"] == ["All clear", "everything is back to normal"]


def test_a_supplier_blamed_before_the_cause_is_confirmed_is_an_error():
    text = GOOD + "Sign-ins fail due to an outage at our cloud provider."

    def blame(ledger):
        return next(f.severity for f in check(text, facts=ledger).findings if f.code == "CL117")

    assert blame(Ledger.of("identified")) == "error"
    assert blame(Ledger.of("identified", [fact("cause")])) == "warning"
    plain = check(text)
    assert next(f.severity for f in plain.findings if f.code == "CL117") == "warning"


def test_an_organisation_override_still_sets_the_severity():
    config = CheckConfig(
        severity_overrides={"unsupported-claim": "warning"}, disabled=frozenset({"CL121"})
    )
    text = GOOD + "The issue is resolved. No data was lost."
    report = check(text, config=config, facts=Ledger.of("investigating"))
    assert {f.code: f.severity for f in report.findings if f.code >= "CL121"} == {
        "CL122": "warning"
    }


def test_a_ledger_with_an_unknown_value_is_refused():
    with pytest.raises(LedgerError, match="subject must be one of"):
        Entry("fact", "weather", "confirmed")
    with pytest.raises(LedgerError, match="status must be one of"):
        Ledger.of("on fire")


def test_a_claim_blocked_by_an_open_question_is_one_finding():
    ledger = Ledger.of("identified", [question("data_safety", "Were any exports lost?")])
    text = GOOD + "Exports are working again. Customer data is safe. Next update by 11:00 UTC."
    found = codes(text, ledger)
    assert found["CL116"] == ["Customer data is safe"]
    assert "CL122" not in found
    # Without the open question the same words are a claim with no fact behind it.
    assert codes(text, Ledger.of("identified"))["CL122"] == ["Customer data is safe"]


def test_a_supplier_blamed_as_an_error_is_one_finding():
    text = GOOD + "Sign-ins fail due to an outage at our cloud provider. Next update by 11:00 UTC."
    found = codes(text, Ledger.of("identified"))
    assert found["CL117"] == ["due to an outage at our cloud provider"]
    assert "CL122" not in found
    # As a warning (cause confirmed, organisation override) CL117 leaves CL122 its place.
    config = CheckConfig(severity_overrides={"vendor-blame": "warning"})
    report = check(text, config=config, facts=Ledger.of("identified"))
    assert {f.code for f in report.findings} >= {"CL117", "CL122"}


def test_other_claims_in_the_same_text_are_still_found():
    ledger = Ledger.of("identified", [question("data_safety", "Were any exports lost?")])
    text = GOOD + "Customer data is safe. It was caused by a faulty deploy. Next update in 1 hour."
    found = codes(text, ledger)
    assert found["CL116"] == ["Customer data is safe"]
    assert found["CL122"] == ["was caused by"]


# A confirmed fact and an open question on the same subject: the preliminary report (where
# CL116 does not run) may state the fact, never the question.
CAUSE_FACT = fact("cause", text="A full disk on the mail relay stopped outgoing mail at 08:50.")
CAUSE_QUESTION = question("cause", "Did the mail settings change at 08:55 start the backlog?")
MIXED = Ledger.of("resolved", [CAUSE_FACT, CAUSE_QUESTION])
REPORT = (
    "From 08:50 to 10:20 UTC invoice emails to customers in the EU region arrived up to 40 "
    "minutes late. "
)


def test_a_report_stating_the_open_question_as_fact_is_refused_despite_a_confirmed_fact():
    text = REPORT + "The backlog was caused by the mail settings change at 08:55 UTC."
    report = check(text, kind="preliminary", facts=MIXED)
    [claim] = [f for f in report.findings if f.code == "CL122"]
    assert claim.severity == "error"
    assert text[claim.start : claim.end] == "was caused by"
    assert CAUSE_QUESTION.text in claim.message


def test_a_report_stating_the_confirmed_fact_passes_while_another_question_is_open():
    text = REPORT + "The backlog was caused by a full disk on the mail relay."
    assert "CL122" not in codes(text, MIXED, kind="preliminary")


@pytest.mark.parametrize(
    "sentence",
    [
        "We are still checking whether the mail settings change at 08:55 started the backlog.",
        "We are checking whether the mail settings change at 08:55 caused the backlog.",
    ],
)
def test_a_report_hedging_the_open_question_passes(sentence):
    text = REPORT + "The backlog was caused by a full disk on the mail relay. " + sentence
    assert "CL122" not in codes(text, MIXED, kind="preliminary")


def test_the_incident_report_is_held_to_the_same_line():
    text = REPORT + "The backlog was caused by the mail settings change at 08:55 UTC."
    assert codes(text, MIXED, kind="report")["CL122"] == ["was caused by"]
    assert "CL122" not in codes(text, Ledger.of("resolved", [CAUSE_FACT]), kind="report")
