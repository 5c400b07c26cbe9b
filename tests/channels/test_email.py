"""The update as subscribers' mail programs receive it."""

from clearline.accounts.models import Organisation
from clearline.channels.mail import email_message
from clearline.channels.source import approved_update

UNSUBSCRIBE = "https://status.example.com/unsubscribe/k7Qm2x"


def test_it_offers_one_click_unsubscribe_when_given_the_address(update, smtp):
    email_message(
        approved_update(update), to=["kim@example.com"], unsubscribe_url=UNSUBSCRIBE
    ).send()
    [message] = smtp.wait_for(1)
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe: {UNSUBSCRIBE}" in message.get_body(("plain",)).get_content()
    assert f'href="{UNSUBSCRIBE}"' in message.get_body(("html",)).get_content()


def test_it_sends_no_unsubscribe_headers_without_an_address(update, smtp):
    email_message(approved_update(update), to=["kim@example.com"]).send()
    [message] = smtp.wait_for(1)
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    assert "Unsubscribe" not in message.get_body(("plain",)).get_content()


def test_it_names_the_status_and_incident_in_the_subject(update):
    message = email_message(approved_update(update), to=["kim@example.com"])
    assert message.subject == "[Example Co] Identified: Card payments fail"


def test_it_escapes_the_update_in_the_html_part(update):
    message = email_message(approved_update(update), to=["kim@example.com"])
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "&lt;Team&gt;" in html and "<Team>" not in html
    assert "&quot;Pro&quot; &amp;" in html


def test_it_tells_when_the_next_update_comes(update):
    text = email_message(approved_update(update), to=["kim@example.com"]).body
    assert "Next update by " in text and "UTC" in text
    assert f"/incidents/{update.incident.public_id}" in text


def test_it_does_not_repeat_a_next_update_time_the_text_already_gives(update):
    due = update.next_update_due.astimezone(Organisation.current().zone)
    update.body += f"\nWe will write again by {due:%H:%M} UTC."
    text = email_message(approved_update(update), to=["kim@example.com"]).body
    assert f"by {due:%H:%M} UTC." in text and "Next update by " not in text
