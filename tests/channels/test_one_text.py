"""One approved text, the same on every surface: status page, JSON, feed, email, webhook, chat."""

import html
import json
import re

import feedparser

from clearline.accounts.models import Organisation
from clearline.brief.plain_text import chat_text, email_text
from clearline.brief.selectors import brief_of
from clearline.channels.chat import slack_message
from clearline.channels.mail import email_message
from clearline.channels.source import approved_update
from clearline.channels.text import plain_text
from clearline.channels.webhook import webhook_payload
from tests.channels.conftest import BODY, element_text, slack_unescape


def test_it_shows_the_same_text_on_the_status_page(client, update):
    page = client.get(f"/incidents/{update.incident.public_id}").content.decode()
    [newest] = re.findall(r'<div class="update">.*?\n<p>(.*?)</p>', page, re.S)[:1]
    assert html.unescape(newest) == BODY


def test_it_serves_the_same_text_in_the_statuspage_json(client, update):
    for path in ("/api/v2/summary.json", "/api/v2/incidents.json"):
        [incident] = json.loads(client.get(path).content)["incidents"]
        assert incident["incident_updates"][0]["body"] == BODY, path


def test_it_carries_the_same_text_in_the_atom_feed(client, update):
    feed = feedparser.parse(client.get("/history.atom").content)
    summary = feed.entries[0].summary
    # The newest update comes first; the feed writes each line break as <br>.
    newest = re.match(r"<p><strong>Identified</strong> — .*?<br />(.*?)</p>", summary, re.S)[1]
    assert html.unescape(newest.replace("<br />", "\n")) == BODY


def test_it_puts_the_same_text_in_both_parts_of_the_email(update, smtp):
    email_message(approved_update(update), to=["kim@example.com"]).send()
    [message] = smtp.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert f"\n\n{BODY}\n\n" in text
    part = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
    assert element_text(part, '<div class="update-text"', "</div>").split(">", 1)[1] == BODY


def test_it_puts_the_same_text_in_the_webhook_payload(update):
    payload = webhook_payload(approved_update(update))
    assert payload["data"]["update"]["body"] == BODY


def test_it_puts_the_same_text_in_the_chat_message(update):
    message = slack_message(approved_update(update))
    sections = [b for b in message["blocks"] if b.get("block_id", "").startswith("body-")]
    assert "".join(slack_unescape(b["text"]["text"]) for b in sections) == BODY
    assert f"\n\n{BODY}\n\n" in slack_unescape(message["text"])


def test_it_puts_the_same_text_in_the_plain_text_for_copying(update):
    assert f"\n\n{BODY}\n\n" in plain_text(approved_update(update))


def test_it_puts_the_same_text_in_the_briefs_email_reply_and_chat_message(update):
    brief = brief_of(update.incident)
    zone = Organisation.current().zone
    assert f"\n\n{BODY}\n" in email_text(brief, zone)
    assert f"\n{BODY}\n" in chat_text(brief, zone)
