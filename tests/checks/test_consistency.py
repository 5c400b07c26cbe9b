"""An update held to itself: the next update time in the words against the one in its field
(CL123), the status its words state against the status chosen (CL121), and clock times a reader
cannot place (CL124). The engine alone, with the update's facts built by hand."""

from datetime import UTC, datetime

import pytest

from clearline.checks import Ledger, LedgerError, check

OPENING = (
    "Since 06:40 UTC some customers on the EU region cannot sign in to the dashboard. "
    "Existing sessions still work. Our identity team is leading the response. "
)
DUE = datetime(2026, 3, 3, 7, 30, tzinfo=UTC)


def spans(text: str, code: str, ledger: Ledger | None = None, kind: str = "update") -> list[str]:
    report = check(text, kind=kind, facts=ledger)
    return [text[f.start : f.end] for f in report.findings if f.code == code]


def promised(due: datetime = DUE, status: str = "investigating", zone: str = "UTC") -> Ledger:
    return Ledger.of(status, next_update_due=due, zone=zone)


# ---- CL123: the next update time in the words and in the field ------------------------------


def test_a_promise_of_0730_over_a_field_of_0703_is_flagged_with_the_promised_time():
    text = OPENING + "We will post the next update by 07:30 UTC."
    due = datetime(2026, 3, 3, 7, 3, tzinfo=UTC)
    report = check(text, kind="update", facts=promised(due))
    [finding] = [f for f in report.findings if f.code == "CL123"]
    assert text[finding.start : finding.end] == "07:30 UTC"
    assert finding.severity == "error"
    assert "07:03 UTC" in finding.message
    assert "'07:03 UTC'" in finding.suggestion


@pytest.mark.parametrize(
    ("sentence", "zone"),
    [
        ("We will post the next update by 07:30 UTC.", "UTC"),
        ("Next update at 7:30 AM UTC.", "UTC"),
        ("Expect our next update by 7:30am GMT, or sooner if anything changes.", "UTC"),
        ("We will share more by 08:30 CET.", "Europe/Berlin"),
        ("We will post the next update by 08:30 CET (07:30 UTC).", "Europe/Berlin"),
        ("Our next update will be here by 11:30 PM PT.", "UTC"),
        ("We'll update this page again by 2:30 a.m. Eastern Time.", "UTC"),
        ("The next update follows by 13:00 UTC+5:30.", "UTC"),
        ("We will update you again by 08:30 tomorrow.", "Europe/Berlin"),
    ],
)
def test_the_same_time_in_another_written_form_or_zone_matches(sentence, zone):
    assert spans(OPENING + sentence, "CL123", promised(zone=zone)) == []


@pytest.mark.parametrize(
    ("sentence", "wrong"),
    [
        ("Next update by 8:30 AM UTC.", "8:30 AM UTC"),
        ("We'll update this page again by 07:30 CET.", "07:30 CET"),
        ("Our next update will be here by 19:30 UTC.", "19:30 UTC"),
        ("We will post the next update by 07:35 UTC, then every 30 minutes.", "07:35 UTC"),
    ],
)
def test_a_different_time_in_the_words_is_flagged(sentence, wrong):
    assert spans(OPENING + sentence, "CL123", promised()) == [wrong]


def test_a_time_that_is_no_promise_of_an_update_is_not_compared():
    text = OPENING + "A release at 05:10 UTC started it. We will post the next update by 07:30 UTC."
    assert spans(text, "CL123", promised()) == []


def test_an_interval_or_a_missing_field_is_not_compared():
    assert spans(OPENING + "Next update in 30 minutes.", "CL123", promised()) == []
    text = OPENING + "We will post the next update by 09:00 UTC."
    assert spans(text, "CL123", Ledger.of("investigating")) == []
    assert spans(text, "CL123", None) == []


def test_the_promised_time_must_carry_its_zone():
    with pytest.raises(LedgerError, match="next_update_due"):
        Ledger.of("investigating", next_update_due=DUE.replace(tzinfo=None))


# ---- CL121: the status the words state against the status chosen ----------------------------


@pytest.mark.parametrize(
    ("status", "sentence", "stated"),
    [
        ("monitoring", "This incident is resolved.", "This incident is resolved"),
        ("monitoring", "It's fixed now, and sign-ins work again.", "It's fixed"),
        (
            "identified",
            "We are still investigating the cause.",
            "We are still investigating the cause",
        ),
        (
            "investigating",
            "We have identified the cause: a faulty release.",
            "We have identified the cause",
        ),
        ("investigating", "Our engineers are monitoring the fix.", "are monitoring the fix"),
        (
            "resolved",
            "We are still investigating reports of failed logins.",
            "We are still investigating reports",
        ),
        ("identified", "The outage is over.", "The outage is over"),
        ("monitoring", "We are still investigating.", "We are still investigating"),
    ],
)
def test_a_status_stated_in_the_words_must_match_the_chosen_one(status, sentence, stated):
    kind = "resolved" if status == "resolved" else "update"
    assert spans(OPENING + sentence, "CL121", Ledger.of(status), kind) == [stated]


def test_a_status_label_opening_the_text_is_a_statement():
    text = "Resolved - " + OPENING
    assert spans(text, "CL121", Ledger.of("monitoring")) == ["Resolved"]
    assert spans(text, "CL121", Ledger.of("resolved"), "resolved") == []


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("monitoring", "We will confirm once it is resolved."),
        ("investigating", "We will post again when the issue has been resolved."),
        ("investigating", "The issue is not yet resolved."),
        ("investigating", "We cannot yet say whether the problem is fixed."),
        ("identified", "Is the issue resolved? Not yet: a fix is being prepared."),
        ("investigating", "We expect the issue to be resolved by 10:00 UTC."),
        ("identified", "The issue is resolved for customers in the EU region, not yet in the US."),
        ("identified", "The problem is mostly fixed; a few accounts still see errors."),
        ("monitoring", "Until the issue is fixed everywhere, please sign in with a password."),
        ("resolved", "We will keep monitoring the fix for the rest of the day."),
        ("monitoring", "We have identified the cause and deployed a fix."),
    ],
)
def test_a_status_said_as_a_plan_a_condition_a_denial_or_in_part_is_no_claim(status, sentence):
    kind = "resolved" if status == "resolved" else "update"
    assert spans(OPENING + sentence, "CL121", Ledger.of(status), kind) == []


# ---- CL124: clock times without a zone ------------------------------------------------------


def test_a_time_mid_text_without_a_zone_is_flagged():
    text = OPENING + "At 05:50 we rolled back a release. We will post the next update by 07:30 UTC."
    report = check(text, kind="update")
    [finding] = [f for f in report.findings if f.code == "CL124"]
    assert text[finding.start : finding.end] == "05:50"
    assert finding.severity == "warning"
    assert "'05:50 UTC'" in finding.suggestion


@pytest.mark.parametrize(
    ("text", "loose"),
    [
        (
            "Card payments failed for stores on the Growth plan from 2 pm until 2:40 pm. We "
            "repeated test payments and all went through. No card data was exposed.",
            ["2 pm until 2:40 pm"],
        ),
        (
            "From 09:05 UTC some invoices showed the wrong totals for customers on the Pro plan. "
            "We corrected them at 11:20 after checking each one against the ledger. No payment "
            "data was exposed. The problem ended at 11:20.",
            ["11:20", "11:20"],
        ),
        (
            "Uploads from the mobile app failed between 14:10 CET and 14:55 CET for all "
            "customers. Tonight at 22:00 we will restart the upload service.",
            ["Tonight at 22:00"],
        ),
    ],
)
def test_times_a_reader_cannot_place_are_each_flagged(text, loose):
    assert spans(text, "CL124", kind="resolved") == loose


@pytest.mark.parametrize(
    "text",
    [
        # A zone for the time itself, or for its sentence.
        OPENING + "We rolled back at 05:50 and sign-ins recovered at 06:10 UTC.",
        OPENING + "Between 05:50 and 06:10 UTC sign-ins failed.",
        # The same time written with its zone elsewhere.
        "Since 09:40 UTC exports have failed for all customers. The failures began at 09:40, "
        "right after a release.",
        # Once for the whole text.
        "All times are UTC. Exports failed from 09:40 to 10:25 for all customers.",
        "Timeline (UTC): 09:40 exports began failing; 09:52 alert fired; 10:25 fixed.",
        # A timeline in a text that uses one zone.
        "Between 13:20 and 14:05 UTC API requests failed for customers in the US region.\n\n"
        "Timeline: 13:20 requests began failing; 13:28 on-call paged; 14:05 requests "
        "recovered.",
        # A zone after the time and a colon.
        "Everything is down since 03:50 UTC: no one can reach the site or the app.",
        # Intervals are no clock times.
        OPENING + "We will post the next update in 30 minutes.",
    ],
)
def test_times_a_reader_can_place_pass(text):
    assert spans(text, "CL124", kind="update") == []


def test_a_next_update_time_without_a_zone_is_left_to_missing_next_update():
    text = OPENING + "We will post the next update by 10:00."
    found = {f.code: text[f.start : f.end] for f in check(text, kind="update").findings}
    assert found.get("CL104") == "10:00"
    assert "CL124" not in found
    assert spans(text, "CL124", kind="resolved") == ["10:00"]
