"""What the checker took as each element of an update, not only which rules fired."""

from clearline.checks import check


def taken(text, report):
    return {name: text[start:end] for name, (start, end) in report.elements.items()}


def test_what_still_works_is_not_taken_as_who_is_affected():
    text = (
        "Since 08:20 UTC, the app has been crashing on start. The iOS app and the web app still "
        "work. Our mobile team is leading the fix. We will update this page by 09:00 UTC."
    )
    report = check(text, kind="first")
    assert "missing-scope" in report.rules
    assert "scope" not in report.elements
    assert report.reader_test.who_is_affected is None
    assert taken(text, report)["still_works"] == "still work"


def test_a_platform_that_fails_is_the_scope_and_the_others_still_work():
    text = (
        "Since 08:20 UTC, the Android app crashes on start. The iOS app and the web app still "
        "work. Our mobile team is leading the fix. You can use the web app for now. We will "
        "update this page by 09:00 UTC."
    )
    report = check(text, kind="first")
    assert report.rules == set()
    assert taken(text, report) == {
        "symptom": "crashes",
        "scope": "the Android app",
        "still_works": "still work",
        "owner": "Our mobile team",
        "customer_action": "You can use",
        "start": "08:20 UTC",
        "next_update": "09:00 UTC",
    }
    assert (
        report.reader_test.who_is_affected == "Since 08:20 UTC, the Android app crashes on start."
    )


def test_customers_told_they_are_unaffected_in_one_clause_and_affected_in_another():
    text = (
        "Since 08:20 UTC, customers in the EU cannot sign in, but customers in the US are not "
        "affected. Our identity team is leading the fix. Next update by 09:00 UTC."
    )
    report = check(text, kind="update")
    assert taken(text, report)["scope"] == "customers in the"
    assert "missing-scope" not in report.rules


def test_a_resolution_takes_its_window_verification_and_safety_from_the_text():
    text = (
        "From 09:10 to 09:55 UTC, invoices were not sent to customers on the Pro plan. We resent "
        "the 312 held invoices and checked each one reached its customer. Payments were not "
        "affected. We added an alert for invoices held longer than ten minutes."
    )
    report = check(text, kind="resolved")
    assert report.rules == set()
    assert taken(text, report) == {
        "symptom": "invoices were not sent",
        "scope": "customers on the",
        "verification": "checked each",
        "safety": "were not affected",
        "prevention": "added an alert",
        "start": "09:10 to 09:55 UTC",
        "end": "09:10 to 09:55 UTC",
    }
