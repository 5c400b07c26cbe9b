"""The demo's after-incident half for its latest resolved incident: the record a team keeps, the
preliminary report drafted from it and published, and a first-week plan in several states."""

from datetime import timedelta

from clearline.brief import services as brief
from clearline.core.permissions import SYSTEM
from clearline.incidents import services as incidents
from clearline.incidents.models import Incident
from clearline.reviews import plan, preliminary
from clearline.updates.services import approve_and_publish, content_hash_of

TITLE = "Invoice emails delivered late"
# (kind, subject, text): what the commander settled in the ledger, and what is still open.
LEDGER = [
    (
        "fact",
        "data_safety",
        "No invoice, payment or customer record was changed: only the sending of emails waited.",
    ),
    ("question", "other", "Did any reminder email go out twice when the queue caught up?"),
]
RESEND_ANSWER = (
    "No. Every delayed invoice email has been sent, and each customer got it once. If a "
    "customer tells you an invoice is missing, send them its payment link from the invoice page."
)


def load(*, incident: Incident, people: dict) -> Incident:
    """Give the latest resolved demo incident its ledger, report and plan (its timeline and
    customer questions are already logged)."""
    resolved_at = incident.resolved_at
    dana, sam = people["dana"], people["sam"]
    for kind, subject, text in LEDGER:
        incidents.add_fact(incident=incident, by=dana, kind=kind, subject=subject, text=text)

    # What the worker does on resolution, done here as of the resolution.
    drafted_at = resolved_at + timedelta(minutes=5)
    report = preliminary.draft_preliminary_report(incident=incident, by=SYSTEM, now=drafted_at)
    plan.create_plan(incident=incident, by=SYSTEM, now=drafted_at)

    # The next morning the commander approves the draft as written and publishes it.
    published_at = resolved_at + timedelta(hours=18)
    report = approve_and_publish(
        update=report, by=dana, content_hash=content_hash_of(report), now=published_at
    )
    plan.settle_after_publication(update=report, now=published_at)

    # Support answers the question asked most on the status page; the other one waits.
    resend = incident.question_groups.order_by("created_at").first()
    answer = brief.write_group_answer(
        group=resend,
        by=sam,
        version=0,
        question="Do I need to resend invoices that were emailed late?",
        text=RESEND_ANSWER,
    )
    brief.approve_answer(
        answer=answer, by=dana, content_hash=answer.content_hash, show_on_status_page=True
    )
    plan.settle_answers(incident=incident, now=published_at + timedelta(hours=2))
    # The cause step closed itself: the second update stated the cause the ledger confirms.
    return incident
