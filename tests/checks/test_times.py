import pytest

from clearline.checks.times import find_times


def only(text):
    times = find_times(text)
    assert len(times) == 1, times
    return times[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sign-ins failed from 09:40 UTC.", "09:40 UTC"),
        ("Payments failed since 2:15 PM PT.", "2:15 PM PT"),
        ("The call is at 14:00 CET on 3 March.", "14:00 CET on 3 March"),
        ("Next update by 10:30 UTC.", "10:30 UTC"),
        ("It began at 2025-03-03T14:00Z.", "2025-03-03T14:00Z"),
        ("We will write again at 11:30 AM ET.", "11:30 AM ET"),
        ("Reports stopped on 12 May at 08:20 UTC.", "12 May at 08:20 UTC"),
    ],
)
def test_it_reads_a_clock_time_with_its_zone(text, expected):
    time = only(text)
    assert time.text == expected
    assert time.zoned and time.concrete


def test_it_reads_a_date_and_time_without_a_zone_as_pinned_but_not_zoned():
    time = only("It started on 3 March at 09:40.")
    assert time.dated and not time.zoned and time.pinned


def test_it_does_not_count_a_clock_time_without_a_zone_as_concrete():
    time = only("Next update at 10:00.")
    assert time.role == "next_update" and not time.concrete


@pytest.mark.parametrize(
    "text",
    [
        "We will post the next update in 30 minutes.",
        "We will update you within the next hour.",
        "Next update in half an hour.",
        "We will post updates every 30 minutes until this is fixed.",
        "We will be back with an update in 45 minutes.",
        "By 10:30 UTC we will post another update.",
        "We'll post again at 06:45 UTC.",
        "Maps fail. We're on it and will update within 30 minutes.",
        "Consumers are being scaled. Update at 03:00 UTC.",
    ],
)
def test_it_recognises_a_promise_of_the_next_update(text):
    time = only(text)
    assert time.role == "next_update" and time.concrete


@pytest.mark.parametrize(
    "text",
    [
        "Sign-in should be back by 11:00 UTC.",
        "We expect it to be resolved within the hour.",
        "It should be back in 20 minutes.",
        "ETA: 20 minutes.",
        "ETA for the fix: 20 minutes.",
        "We expect uploads to be working again by 16:00 UTC.",
        "The fix will be deployed within 30 minutes.",
        "ETA for the fix is 30 minutes.",
        "Estimated resolution time: 2 hours.",
        "The rollback will take about two hours to finish.",
        "We anticipate full recovery within 45 minutes.",
        "A fix is going out at 15:00 UTC.",
        "We'll have this fixed in 20 minutes.",
        "Delivery should catch up over the next hour.",
        "We expect the backlog to be cleared by end of day.",
        "We expect sign-in to be back within the hour.",
        "We're hoping to have this resolved in the next few hours.",
        "Service should resume within the hour.",
        # How long the trouble has left to run.
        "Dashboards will stay read-only for roughly 30 more minutes.",
        "Exports will be delayed for another 20 minutes.",
        "Uploads are paused for another 15 minutes while we finish.",
        # A hoped-for state that holds an end word; a change on its way, by a pronoun; hours
        # written short.
        "Our bank partner expects to have feeds back to normal by end of day.",
        "The fix is ready and it is going out at 15:00 UTC.",
        "Investigating, ETA 2h.",
    ],
)
def test_it_recognises_a_guessed_recovery_time(text):
    assert only(text).role == "recovery"


@pytest.mark.parametrize(
    "text",
    [
        "Emails will be delayed by up to 30 minutes.",
        "Some customers will see delays of up to 30 minutes.",
        "The restore took 40 minutes.",
        "Exports requested in the last 2 hours will be sent again.",
        "We will share more information tomorrow.",
        "We will update you in a few minutes.",
        "You may see uploads take up to 5 minutes until the move finishes.",
        "Payments failed for 20 more minutes after the fix.",
        "We will monitor for another hour.",
        "Dashboards were read-only for about 30 minutes.",
    ],
)
def test_an_impact_bound_or_the_past_is_no_recovery_time(text):
    assert all(t.role != "recovery" for t in find_times(text))


def test_it_tells_a_recovery_guess_from_the_next_update_in_one_sentence():
    times = find_times(
        "We expect this to be resolved by 15:00 UTC, and our next update will be in 30 minutes."
    )
    assert [(t.text, t.role) for t in times] == [
        ("15:00 UTC", "recovery"),
        ("in 30 minutes", "next_update"),
    ]


@pytest.mark.parametrize(
    "text, role",
    [
        ("Since 09:40 UTC some customers could not sign in.", "start"),
        ("At 09:40 UTC we noticed failed checkouts.", "start"),
        ("Sign-ins were restored at 10:15 UTC.", "end"),
        ("Errors continued until 10:15 UTC.", "end"),
        ("Payments failed between 2:15 PM and 3:05 PM PT on March 3.", "window"),
        ("From 09:40 to 10:25 UTC, customers could not sign in.", "window"),
        ("Uploads failed 09:40\u201310:25 UTC.", "window"),
        ("We watched error rates for two hours.", "duration"),
        ("Please retry in 10 minutes.", "event"),
    ],
)
def test_it_classifies_start_end_and_other_moments(text, role):
    assert only(text).role == role


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Payments failed from 14:05 to 15:10 UTC.", "14:05 to 15:10 UTC"),
        ("Checkout was slow between 7 and 9 PM EST.", "7 and 9 PM EST"),
        ("Exports failed from 2-4pm ET.", "2-4pm ET"),
        ("Search was down from 11 to 12:30 p.m. PT.", "11 to 12:30 p.m. PT"),
        # An end given roughly is still the end of the range.
        ("Logins failed from 18:00 to about 23:30 CET.", "18:00 to about 23:30 CET"),
    ],
)
def test_a_range_carries_its_zone_to_both_ends(text, expected):
    time = only(text)
    assert time.form == "range" and time.zoned and time.text == expected


@pytest.mark.parametrize(
    "text",
    [
        "About 500 customers are affected.",
        "Version 2.14 fixed it.",
        "It happened in a few minutes.",
        "We will update you soon.",
        "Call us on 0800 123 456.",
        "Plans 2 and 3 are affected.",
        "An update shipped last week broke exports.",
        "Steps 7 to 9 of the import failed.",
    ],
)
def test_it_finds_no_time_where_there_is_none(text):
    assert find_times(text) == []
