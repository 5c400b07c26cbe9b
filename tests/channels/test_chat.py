"""A chat post carries the update as text: nothing in it can ping a channel or hide a link."""

import re

from clearline.channels.chat import SECTION_LIMIT, slack_message
from clearline.channels.source import approved_update
from tests.channels.conftest import slack_unescape
from tests.factories import publish

# Slack reads anything between < and > as a mention, a channel, a date or a link.
CONTROL = re.compile(r"<[^>]*>")


def texts(message: dict) -> list[str]:
    found = [message["text"]]
    for block in message["blocks"]:
        found += [block["text"]["text"]] if "text" in block else []
        found += [element["text"] for element in block.get("elements", [])]
    return found


def test_it_escapes_mentions_and_links_written_in_the_update(incident, people):
    update = publish(
        incident,
        "Heads up <!channel> <!here> <@U024BE7LH> <#C024BE7LR> & <http://evil.example|fixed>",
        by=people["comms"],
    )
    message = slack_message(approved_update(update))
    ours = f"<{approved_update(update).incident_url}|Follow this incident on the status page>"
    for text in texts(message):
        assert CONTROL.findall(text) in ([], [ours]), text
    assert "&lt;!channel&gt;" in message["text"] and "&amp;" in message["text"]


def test_it_escapes_the_title_too(people):
    from tests.factories import make_incident

    incident = make_incident(title="Sign-in <!everyone> & SSO", by=people["comms"])
    update = incident.updates.get()
    message = slack_message(approved_update(update))
    assert message["blocks"][0]["text"]["text"] == "*Sign-in &lt;!everyone&gt; &amp; SSO*"


def test_it_turns_off_automatic_linking_of_names_in_the_text(update):
    message = slack_message(approved_update(update))
    mrkdwn = [b["text"] for b in message["blocks"] if "text" in b]
    assert mrkdwn and all(t["verbatim"] is True for t in mrkdwn)


def test_it_splits_a_long_update_into_sections_slack_accepts(incident, people):
    body = ("Payments & refunds <EU> are delayed. " * 200).strip()
    update = publish(incident, body, by=people["comms"])
    message = slack_message(approved_update(update))
    sections = [b for b in message["blocks"] if b.get("block_id", "").startswith("body-")]
    assert len(sections) > 1
    assert all(len(s["text"]["text"]) <= SECTION_LIMIT for s in sections)
    assert "".join(slack_unescape(s["text"]["text"]) for s in sections) == body
    assert len(message["blocks"]) <= 50  # what Slack accepts in one message
