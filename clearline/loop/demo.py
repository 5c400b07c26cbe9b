"""The demo's closing of the loop on its latest resolved incident: two key accounts named in its
customer signal, one owner's follow-up done and the other's still open, and a question asked
after the report was published, answered in public as an addendum."""

from datetime import datetime, timedelta

from clearline.core.permissions import SYSTEM
from clearline.incidents.models import Incident
from clearline.loop import accounts, followups, questions
from clearline.updates.services import approve_and_publish, content_hash_of

# (name, tier, renewal in days from today, owner, notes)
ACCOUNTS = [
    ("Brightwater Ltd", "strategic", 75, "vic", "Sends about 2,000 invoices a month."),
    ("Oakfield Dental", "enterprise", 200, "sam", "Their patients pay from the invoice email."),
]
DONE_NOTE = (
    "Called their finance lead the next morning: walked through the preliminary report and "
    "checked that every late invoice has now arrived. They asked for the full report when it "
    "is out."
)
QUESTION = "Will the invoices that arrived late show a later due date to our customers?"
ANSWER = (
    "Several customers asked whether invoice emails that arrived late show a later due date. "
    "They do not: each invoice keeps the due date it was issued with, and the payment link in "
    "the email works as usual. If a customer of yours paid late because the email came late, "
    "you can waive the late fee from the invoice page. Questions are welcome at "
    "help@tallyhouse.example."
)


def load(*, incident: Incident, people: dict, now: datetime) -> None:
    today = now.date()
    linked_at = incident.resolved_at + timedelta(hours=1)
    for name, tier, renew_in, owner, notes in ACCOUNTS:
        accounts.save_key_account(
            by=SYSTEM,
            name=name,
            tier=tier,
            renewal_date=today + timedelta(days=renew_in),
            owner=people[owner],
            notes=notes,
        )
        # Support named both in the customer signal before they were key accounts.
        accounts.link_named_account(incident=incident, name=name, by=SYSTEM, now=linked_at)
    brightwater = incident.follow_ups.get(account__name="Brightwater Ltd")
    followups.complete_follow_up(
        follow_up=brightwater,
        by=people["vic"],
        note=DONE_NOTE,
        now=min(incident.resolved_at + timedelta(hours=20), now),
    )

    # Asked after the report came out (a late question is one the report left open), the next
    # day, or three hours ago if the report is younger than that.
    published = (
        incident.reports.filter(update__published_at__isnull=False)
        .values_list("update__published_at", flat=True)
        .first()
    ) or incident.resolved_at
    asked_at = max(min(published + timedelta(days=1), now - timedelta(hours=3)), published)
    question = questions.log_late_question(
        incident=incident,
        by=people["vic"],
        text=QUESTION,
        account="Northgate Builders",
        asked_at=asked_at,
    )
    addendum = questions.draft_answer(question=question, by=people["sam"], body=ANSWER)
    approve_and_publish(
        update=addendum,
        by=people["dana"],
        content_hash=content_hash_of(addendum),
        now=min(asked_at + timedelta(hours=2), now),
    )
