"""CL107 reads what customers are told to do meanwhile: a workaround given as an instruction, a
"you can ...", or that nothing is needed from them; not work the team gives itself, nor what
"we will" do."""

import pytest

from clearline.checks import check

OPENING = (
    "Since 09:40 UTC customers on the Pro plan cannot download invoice PDFs from the billing "
    "page. Viewing invoices still works. Our billing team is leading the response. "
)
CLOSING = " Next update by 10:30 UTC."


def action(sentence: str, kind: str = "first") -> str | None:
    """The text CL107 took as the customer action, or None when it fired."""
    text = OPENING + sentence + CLOSING
    report = check(text, kind=kind)
    if "missing-customer-action" in report.rules:
        return None
    start, end = report.elements["customer_action"]
    return text[start:end]


@pytest.mark.parametrize(
    ("sentence", "taken"),
    [
        # Instructions addressed to the reader.
        (
            "Open the invoice in the browser and print it to PDF.",
            "Open the invoice in the browser and print it to PDF.",
        ),
        ("Export the report as CSV from the dashboard instead.", "Export the report"),
        ("Try again in a few minutes.", "Try again"),
        ("Sign out and back in if the page keeps spinning.", "Sign out"),
        ("Meanwhile, download each invoice from the email we sent.", "download each invoice"),
        ("If you need an invoice today, print it from the invoice page.", "If you need"),
        ("If the download fails, print the invoice from the invoice page.", "print the invoice"),
        ("To send an invoice now, attach it from your own files.", "attach it"),
        ("What you can do meanwhile: email the invoice from the customer's page.", "What you"),
        ("Please reach out to support if a payment is blocked.", "Please reach"),
        # What the reader can, should or needs to do.
        ("You can still send invoices by email from the customer page.", "You can still send"),
        ("You should resend any invoice created after 09:40 UTC.", "You should resend"),
        ("You might want to hold invoice runs until this is fixed.", "You might want to hold"),
        # Nothing is needed from them.
        ("No other action is needed on your side.", "No other action is needed"),
        ("No further action from customers is required.", "No further action from customers"),
        ("You do not need to do anything.", "You do not need to"),
        ("There's nothing you need to do.", "nothing you need to do"),
        ("This needs no action from you.", "needs no action"),
        # A step for whoever meets the trouble, or for those who cannot do it one way.
        ("If you have a second device, sign in there to send the invoice.", "sign in there"),
        ("If you're locked out, contact support and we will reset it by phone.", "contact support"),
        ("If a download fails, the customer can print it from the invoice page.", "If a download"),
        (
            "Customers who can't download the PDF can print it from the invoice page.",
            "who can't download",
        ),
        ("Students should take screenshots of their answers.", "Students should take"),
    ],
)
def test_an_instruction_a_you_can_or_a_no_action_needed_is_a_customer_action(sentence, taken):
    found = action(sentence)
    assert found is not None, sentence
    assert found.startswith(taken) or taken in found, (found, taken)


@pytest.mark.parametrize(
    "sentence",
    [
        # What the team does or will do.
        "We will restore downloads as soon as the fix is out.",
        "Our engineers are rolling back the release.",
        "We have paused the nightly invoice run.",
        # Imperatives for the team, not the reader.
        "Roll back the 4.2 release and restart the invoice workers.",
        "On-call: page the database team.",
        # Words that look like an instruction and are not one.
        "Invoices from the EU region are affected too.",
        "Downloads in the mobile app fail the same way.",
        "Thank you for your patience.",
        "Expect our next update by 10:30 UTC.",
        "Bear with us while we work on it.",
        "Is there a way around it? Not yet.",
        "Earlier this morning a change went out to the PDF service.",
        "During the outage the invoice list loaded slowly.",
        "You may see an error when you open an invoice.",
        "You will receive an email once downloads work again.",
        # A hedge, a recovery, the team's workaround, a noun and its verb, a headline.
        "Some users may be experiencing slow downloads.",
        "Most users should now be able to download invoices again.",
        "We have put workarounds in place and are monitoring the system.",
        "Access to the billing page is back.",
        "Site down.",
        "Hi all - invoices are late.",
    ],
)
def test_the_team_s_own_work_and_look_alikes_are_not_customer_actions(sentence):
    assert action(sentence) is None, sentence


def test_a_progress_update_with_a_workaround_carried_over_is_complete():
    text = (
        "We found the cause and are working on a fix. Customers on the Pro plan still cannot "
        "download invoice PDFs. Open the invoice in the browser and print it to PDF if you need "
        "one now. We will post the next update by 11:00 UTC."
    )
    assert "missing-customer-action" not in check(text, kind="update").rules


@pytest.mark.parametrize(
    "sentence",
    [
        "Attach files from the mobile app for now.",
        "Calendars can be updated by hand in the meantime.",
        "Nothing needs to be done on your side.",
        "Managers can approve timesheets on the website in the meantime.",
    ],
)
def test_a_step_for_meanwhile_or_nothing_to_do_is_a_customer_action(sentence):
    assert "missing-customer-action" not in check(f"Uploads are failing. {sentence}").rules


@pytest.mark.parametrize(
    "sentence", ["Search remains slow for now.", "Exports are paused for now."]
)
def test_a_state_that_holds_for_now_is_no_customer_action(sentence):
    assert "missing-customer-action" in check(f"Uploads are failing. {sentence}").rules
