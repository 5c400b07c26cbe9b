"""The "review" outbox consumer joined the "reviews" one: one read of each published update
proposes the review, drafts the preliminary report and creates the plan.

An event the old "reviews" consumer handled but the old "review" one had not yet (in flight at
the upgrade) would never propose its review, so its "reviews" receipt is removed and the relay
runs the joined consumer on it again: every step of it finds what was done and adds nothing
twice. The "review" receipts are then no one's and go.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

UPDATE_PUBLISHED = "update.published"


def join_consumers(apps, schema_editor):
    OutboxReceipt = apps.get_model("core", "OutboxReceipt")
    proposed = OutboxReceipt.objects.filter(event=OuterRef("event"), consumer="review")
    OutboxReceipt.objects.filter(
        consumer="reviews", event__kind=UPDATE_PUBLISHED
    ).exclude(Exists(proposed)).delete()
    OutboxReceipt.objects.filter(consumer="review").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outbox"),
        ("reviews", "0001_initial"),
    ]

    operations = [migrations.RunPython(join_consumers, migrations.RunPython.noop)]
