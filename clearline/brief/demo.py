"""Demo brief for the active demo incident: answers, customer questions and reports."""

from datetime import datetime, timedelta

from clearline.brief import services
from clearline.incidents.models import Incident

ANSWERS = {
    "what_happened": "Since this morning, invoices paid by bank transfer are shown as unpaid. "
    "The money has arrived and is recorded; only the matching to invoices is delayed.",
    "data_safe": "Yes. Every incoming transfer is received and recorded by the bank feed. Nothing "
    "was lost, and no payment details were exposed.",
    "what_to_do": "Nothing. Do not ask customers to pay again: the payments have arrived. No "
    "reminder emails are sent for these invoices while the matching is delayed.",
}
# (minutes after the start, kind, account, symptom, what the customer said)
SIGNAL = [
    (
        7,
        "report",
        "Brightwater Ltd",
        "invoice shows unpaid",
        "Our client paid by transfer yesterday and the invoice still says unpaid.",
    ),
    (12, "question", "Brightwater Ltd", "", "Will our customers get reminder emails?"),
    (
        15,
        "question",
        "Kestrel Studio",
        "",
        "Are reminder emails going out to customers who already paid?",
    ),
    (19, "question", "Oakfield Dental", "", "Is the money safe?"),
    (
        22,
        "report",
        "Oakfield Dental",
        "invoice shows unpaid",
        "Three invoices paid on Monday show as unpaid.",
    ),
    (24, "question", "Northgate Builders", "", "will customers get reminder emails??"),
    (30, "question", "Kestrel Studio", "", "Should we ask customers to pay again?"),
]


def log_signals(*, incident: Incident, by, start: datetime, rows: list[tuple]) -> None:
    """Log what customers said: (minutes after `start`, kind, account, symptom, text) rows."""
    for minutes, kind, account, symptom, text in rows:
        services.log_signal(
            incident=incident,
            by=by,
            kind=kind,
            text=text,
            account=account,
            symptom=symptom,
            reported_at=start + timedelta(minutes=minutes),
        )


def load(*, incident: Incident, people: dict, start: datetime) -> None:
    log_signals(incident=incident, by=people["vic"], start=start, rows=SIGNAL)
    for topic, text in ANSWERS.items():
        answer = services.write_answer(
            incident=incident, topic=topic, by=people["sam"], version=0, text=text
        )
        services.approve_answer(answer=answer, by=people["dana"], content_hash=answer.content_hash)
    services.write_answer(
        incident=incident,
        topic="happen_again",
        by=people["sam"],
        version=0,
        text="We will know once the cause is confirmed; the review will say what we change.",
    )
    reminders = incident.question_groups.get(title="Will our customers get reminder emails?")
    faq = services.write_group_answer(
        group=reminders,
        by=people["sam"],
        version=0,
        question="Will customers who paid by bank transfer get reminder emails?",
        text="No. Reminder emails are paused for these invoices until the matching catches up.",
    )
    services.approve_answer(
        answer=faq, by=people["dana"], content_hash=faq.content_hash, show_on_status_page=True
    )
