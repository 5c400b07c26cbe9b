"""Subscribers hear of the preliminary report as of any update: one message each, through the
fan-out, headed as the report it is. A drill's report reaches nobody."""

import pytest

from clearline import worker
from clearline.core.permissions import SYSTEM
from clearline.notify.models import Delivery
from clearline.reviews.preliminary import preliminary_report
from clearline.updates.services import publish_update
from tests.factories import make_incident, publish
from tests.notify.conftest import subscribe

pytestmark = pytest.mark.usefixtures("delivery_settings")

REPORT = "Exports failed from 09:00 UTC to 10:00 UTC for everyone. A full review follows."


def report_published(**fields):
    incident = make_incident(title="Exports fail", body="Exports fail for everyone.", **fields)
    publish(incident, "Exports work again for everyone.", status="resolved")
    worker.run(batch=True, periodic=False)  # tells subscribers, drafts the report
    report = preliminary_report(incident)
    report.body = REPORT
    report.save()
    return publish_update(update=report, by=SYSTEM)


def test_every_subscriber_gets_the_report_headed_as_a_report(transactional_db, smtp):
    subscribe("kim@example.com")
    subscribe("lee@example.com")
    report = report_published()
    smtp.messages.clear()
    worker.run(batch=True, periodic=False)

    assert sorted(m["To"] for m in smtp.messages) == ["kim@example.com", "lee@example.com"]
    message = smtp.messages[0]
    assert message["Subject"].endswith("Preliminary report: Exports fail")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert REPORT in text and "Next update by" not in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.filter(event__update_id=report.pk).count() == 2


def test_a_drills_report_reaches_nobody(transactional_db, smtp):
    subscribe("kim@example.com")
    report = report_published(is_drill=True)
    worker.run(batch=True, periodic=False)
    assert report.is_published
    assert smtp.messages == [] and not Delivery.objects.exists()
