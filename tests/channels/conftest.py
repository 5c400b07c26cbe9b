import html

import pytest

from clearline.updates.models import Update
from clearline.updates.services import approve_update, content_hash_of, draft_update
from tests.factories import make_component, make_incident, publish

# Quotes, ampersands, angle brackets, emoji, blank lines, and what Slack would read as a ping
# and a link if it were not escaped.
BODY = (
    'Card payments fail for "Pro" & <Team> plans 💳😬 since 09:40 UTC.\n'
    "Ask us about it <!channel> or see <http://evil.example|the fix>.\n"
    "\n"
    "Next update in 30 minutes; the payments team leads the response."
)


def approve(update: Update, by) -> Update:
    """An approver's sign-off of the draft as it stands (overriding what the checks find)."""
    return approve_update(
        update=update,
        by=by,
        content_hash=content_hash_of(update),
        override_reason="The test text is about escaping, not wording.",
    )


def slack_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def element_text(page: str, start_tag: str, end_tag: str) -> str:
    """The unescaped text between the first `start_tag` and the next `end_tag`."""
    start = page.index(start_tag) + len(start_tag)
    return html.unescape(page[start : page.index(end_tag, start)])


@pytest.fixture
def incident(people):
    card = make_component("Card payments")
    return make_incident(
        title="Card payments fail",
        impact="major",
        components={card: "major_outage"},
        body="Card payments fail for some customers. Next update in 30 minutes.",
        by=people["comms"],
    )


@pytest.fixture
def update(incident, people):
    """The comms owner's second public update, published."""
    return publish(incident, BODY, status="identified", by=people["comms"])


@pytest.fixture
def approved(incident, people):
    draft = draft_update(incident=incident, by=people["comms"], body=BODY, status="monitoring")
    return approve(draft, people["commander"])
