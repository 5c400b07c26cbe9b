"""The demo's incident reports: drafted from the late-invoice-emails record once its review is
held and its action items agreed; the plain-language customer edition approved and published."""

from datetime import datetime, timedelta

from clearline.incidents import services as incidents
from clearline.incidents.models import Incident
from clearline.reviews.reports import services
from clearline.updates.services import approve_update, content_hash_of

# What the review settled about the cause, confirmed in the ledger so the report may say it.
CAUSE = (
    "A configuration change made shortly before left 2 of the 20 senders of invoice emails "
    "running, so emails waited their turn."
)


def load(*, incident: Incident, people: dict, now: datetime) -> None:
    """Call inside the demo's transaction, after the review and the action items."""
    incidents.add_fact(
        incident=incident, by=people["dana"], kind="fact", subject="cause", text=CAUSE
    )
    reports = {r.edition: r for r in services.draft_reports(incident=incident, by=people["sam"])}
    plain = reports["plain"]
    published_at = min(now - timedelta(hours=1), incident.resolved_at + timedelta(days=5))
    approve_update(
        update=plain.update,
        by=people["dana"],
        content_hash=content_hash_of(plain.update),
        now=published_at,
    )
    plain.update.refresh_from_db()
    services.publish_report(report=plain, by=people["dana"], now=published_at)
