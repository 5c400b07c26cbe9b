"""Every channel renders from the approved text: a draft renders nowhere."""

import pytest

from clearline.channels.source import approved_update
from clearline.channels.text import plain_text
from clearline.channels.webhook import webhook_payload
from clearline.core.errors import ClearlineError
from clearline.updates.services import draft_update
from tests.channels.conftest import BODY


def test_it_refuses_to_render_a_draft(incident, people):
    draft = draft_update(incident=incident, by=people["comms"], body="Not checked yet.")
    with pytest.raises(ClearlineError, match="Every channel renders from the approved text") as e:
        approved_update(draft)
    assert e.value.code == "not_approved"


def test_it_renders_an_approved_update_before_it_is_published(approved):
    source = approved_update(approved)
    text = plain_text(source)
    assert BODY in text and "Published" not in text
    update = webhook_payload(source)["data"]["update"]
    assert update["published_at"] is None and update["status"] == "monitoring"
