"""Action items are the team's own work list: nothing of them reaches the status page, its
feeds, its Statuspage JSON, the snapshot files or any subscriber."""

from pathlib import Path

import pytest
from django.utils import timezone

from clearline.core.models import OutboxEvent
from clearline.notify.models import Delivery, Subscriber
from clearline.reviews.actions import services
from clearline.statuspage.snapshot import V2_DOCUMENTS
from tests.factories import make_user, run_jobs
from tests.reviews.actions.conftest import add_item

OUTCOME = "Add a queue-depth alarm named Bramblewick to the mail relay"
EVIDENCE = "Bramblewick paged the on-call engineer in the staging rehearsal."
REASON = "Quillfeather replaces this relay next month."


@pytest.fixture
def worked(resolved, people):
    """One item closed with evidence, one dropped with a reason, one overdue, all on a public
    incident; their words appear nowhere else."""
    owner = make_user("wren", "viewer")
    owner.first_name, owner.last_name = "Wren", "Oakhollow"
    owner.save()
    done = add_item(resolved, by=people["commander"], owner=owner, outcome=OUTCOME)
    services.close_action_item(item=done, by=people["comms"], evidence_note=EVIDENCE)
    dropped = add_item(resolved, by=people["commander"], owner=owner)
    services.close_action_item(
        item=dropped, by=people["comms"], status="wont_do", wont_do_reason=REASON
    )
    return resolved


SECRETS = ["Bramblewick", "Quillfeather", "Oakhollow", "action item", "action_item"]


def public_addresses(incident) -> list[str]:
    return [
        "/",
        "/history/",
        f"/history/{timezone.now():%Y-%m}/",
        f"/incidents/{incident.public_id}/",
        "/history.atom",
        "/history.rss",
        *(f"/api/v2/{name}" for name in V2_DOCUMENTS),
    ]


def test_no_public_page_feed_or_json_mentions_them(client, worked):
    run_jobs()
    for address in public_addresses(worked):
        response = client.get(address)
        assert response.status_code == 200, address
        text = b"".join(response) if response.streaming else response.content
        for secret in SECRETS:
            assert secret not in text.decode(), (address, secret)
    assert worked.title in client.get("/").content.decode()  # the incident itself is public


def test_no_snapshot_file_mentions_them(worked, snapshot_dir):
    run_jobs()
    files = [path for path in Path(snapshot_dir).rglob("*") if path.is_file()]
    assert files
    for path in files:
        for secret in SECRETS:
            assert secret not in path.read_bytes().decode(errors="replace"), (path, secret)


def test_adding_and_closing_items_tells_no_subscriber(resolved, people):
    run_jobs()  # the incident's own updates are out before anyone subscribes
    Subscriber.objects.create(email="ana@example.com", confirmed_at=timezone.now())
    events = OutboxEvent.objects.count()
    item = add_item(resolved, by=people["commander"], owner=people["comms"])
    services.close_action_item(item=item, by=people["comms"], evidence_note=EVIDENCE)
    run_jobs()
    assert OutboxEvent.objects.count() == events
    assert not Delivery.objects.exists()
