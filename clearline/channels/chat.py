"""The update as a Slack-compatible incoming-webhook message: a `text` fallback and `blocks`.

Slack reads `<...>` as a mention or a link and `&` as the start of an entity, so people's text
has &, < and > escaped: "<!channel>" in an update arrives as those characters, not as a ping.
"""

from typing import Any

from clearline.channels.source import Notice
from clearline.channels.text import plain_text

SECTION_LIMIT = 3000  # Slack refuses a section whose text is longer


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pieces(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split `text` so each escaped piece fits a section; the pieces join back to `text`."""
    pieces, current, size = [], [], 0
    for char in text:
        cost = len(slack_escape(char))
        if size + cost > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += cost
    pieces.append("".join(current))
    return pieces


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: no automatic linking of names, channels or addresses in people's text.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def slack_message(source: Notice) -> dict[str, Any]:
    footer = [f"<{slack_escape(source.incident_url)}|Follow this incident on the status page>"]
    if source.next_update:
        footer.insert(0, slack_escape(f"Next update by {source.next_update}"))
    return {
        "text": slack_escape(plain_text(source)),
        "unfurl_links": False,
        "blocks": [
            {
                "type": "section",
                "block_id": "title",
                "text": _mrkdwn(f"*{slack_escape(source.title)}*"),
            },
            {
                "type": "context",
                "block_id": "summary",
                "elements": [_mrkdwn(slack_escape(source.summary_line))],
            },
            *(
                {"type": "section", "block_id": f"body-{n}", "text": _mrkdwn(slack_escape(piece))}
                for n, piece in enumerate(_pieces(source.body))
            ),
            {
                "type": "context",
                "block_id": "next",
                "elements": [_mrkdwn(" · ".join(footer))],
            },
        ],
    }
