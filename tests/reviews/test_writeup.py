"""The pre-read write-up starts from the record, and is checked as a review: blame and vague
actions are flagged, a missing customer voice too, and a good write-up passes in silence."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clearline.brief.services import log_signal
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.services import add_timeline_entry
from clearline.reviews import review as services
from clearline.reviews import review_selectors as selectors
from clearline.reviews import writeup
from clearline.reviews.models import AttendeeRole
from tests.factories import publish
from tests.reviews.conftest import incident_for, organisation, resolve

LONDON = ZoneInfo("Europe/London")
REVIEW_CODES = {"CL150", "CL151", "CL152", "CL153"}

MISSED = (
    "No alert watched the expiry date of the gateway certificate. The renewal job failed "
    "quietly three weeks earlier and nothing reported it."
)
DONE = (
    "We renewed the certificate at 11:20 GMT and repeated a test payment with an EU card. "
    "Checkout errors fell back to their usual level within five minutes."
)
NEXT = (
    "- Add an alert 21 days before any certificate expires (owner: Priya Shah, due: 14 March)\n"
    "- Make the renewal job page the on-call engineer when it fails (owner: Lee Chan, due: "
    "21 March)"
)
BLAME = "It was human error: Jordan broke production because he was careless."
VAGUE = "- Be more careful with certificates (owner: Priya Shah, due: 14 March)"


def codes(report) -> set[str]:
    return {finding.code for finding in report.findings}


@pytest.fixture
def heard(db, people):
    """An incident in England with what support logged from customers, resolved."""
    organisation()
    started = datetime(2025, 3, 4, 9, 12, tzinfo=LONDON)
    incident = incident_for(
        people, started=started, published=False, detected_at=started + timedelta(minutes=4)
    )
    publish(
        incident, "Card payments fail for customers in the EU.", now=started + timedelta(minutes=15)
    )
    for account, kind, symptom, text in [
        ("Brightwater Ltd", "report", "card payment declined", "Our card payment failed."),
        ("Kestrel Studio", "report", "Card payment declined", "Declined twice this morning."),
        ("Kestrel Studio", "report", "", "Checkout is broken for us."),
        ("Brightwater Ltd", "question", "", "Was I charged twice?"),
        ("Kestrel Studio", "question", "", "Was I charged twice for the order?"),
        ("Oakfield Dental", "question", "", "When can we take cards again?"),
    ]:
        log_signal(
            incident=incident,
            by=people["support"],
            kind=kind,
            text=text,
            account=account,
            symptom=symptom,
            reported_at=started + timedelta(minutes=20),
        )
    return resolve(incident, at=started + timedelta(hours=2, minutes=28))


def test_the_timeline_section_starts_from_the_record_in_real_times(heard):
    timeline = heard.review.timeline.splitlines()
    assert timeline[0] == "- Tue 4 Mar, 09:12 GMT: Customers first affected"
    assert timeline[1:] == [
        "- Tue 4 Mar, 09:16 GMT: Detected",
        "- Tue 4 Mar, 09:27 GMT: Update published (Investigating)",
        "- Tue 4 Mar, 09:52 GMT: Cause found: A certificate on the card gateway had expired.",
        "- Tue 4 Mar, 11:40 GMT: Update published (Resolved)",
    ]


def test_the_customer_signal_section_starts_from_the_log(heard):
    assert heard.review.customer_signal.splitlines() == [
        "Customers reported (3 reports from 2 accounts):",
        "- card payment declined: 2 reports",
        "- no symptom noted: 1 report",
        "Customers asked (3 questions from 3 accounts):",
        "- “Was I charged twice?”: asked 2 times (Brightwater Ltd, Kestrel Studio)",
        "- “When can we take cards again?”: asked 1 time (Oakfield Dental)",
        "Accounts in touch with support: Brightwater Ltd, Kestrel Studio, Oakfield Dental.",
    ]


def good_writeup(review, people, **changes):
    entry = review.incident.timeline.get(kind="cause_found")
    whys = [
        services.WhyIn(
            "Why were card payments declined?",
            "The gateway refused connections with an expired certificate.",
            entry.pk,
        ),
        services.WhyIn(
            "Why had the certificate expired?",
            "The renewal job failed and nothing reported the failure.",
        ),
    ]
    factors = [services.FactorIn("No alert on certificate expiry dates.", "detection", entry.pk)]
    sections = {"missed": MISSED, "done": DONE, "next_steps": NEXT, **changes}
    return services.edit_writeup(
        review=review,
        by=people["comms"],
        version=review.version,
        whys=whys,
        factors=factors,
        **sections,
    )


def test_a_good_write_up_passes_the_review_checks_in_silence(heard, people):
    review = good_writeup(heard.review, people)
    text = selectors.document(review, LONDON)
    report = writeup.check(review.incident, text)
    assert report.kind == "review"
    assert codes(report) & REVIEW_CODES == set()
    assert not report.has_errors


def test_blame_language_is_flagged(heard, people):
    review = good_writeup(heard.review, people, missed=BLAME)
    report = writeup.check(review.incident, selectors.document(review, LONDON))
    blamed = [f for f in report.findings if f.code == "CL150"]
    assert {report_text(review, f) for f in blamed} >= {"human error", "Jordan broke", "careless"}
    assert all(f.severity == "warning" for f in blamed)


def report_text(review, finding) -> str:
    return selectors.document(review, LONDON)[finding.start : finding.end]


def test_a_vague_action_is_flagged(heard, people):
    review = good_writeup(heard.review, people, next_steps=VAGUE)
    report = writeup.check(review.incident, selectors.document(review, LONDON))
    [vague] = [f for f in report.findings if f.code == "CL153"]
    assert report_text(review, vague) == "Be more careful"


def test_a_write_up_without_the_customer_s_voice_is_flagged(heard, people):
    review = good_writeup(heard.review, people, customer_signal="")
    report = writeup.check(review.incident, selectors.document(review, LONDON))
    assert "CL152" in codes(report)


def test_with_nothing_logged_the_customer_section_is_left_for_the_liaison(london, people):
    review = resolve(incident_for(people)).review
    assert review.customer_signal == ""
    report = writeup.check(review.incident, selectors.document(review, LONDON))
    assert "CL152" in codes(report)


def test_whys_and_factors_point_at_timeline_entries_in_the_document(heard, people):
    review = good_writeup(heard.review, people)
    first, second = review.whys.all()
    assert first.position == 1 and first.timeline_entry.kind == "cause_found"
    assert second.timeline_entry is None
    assert review.factors.get().timeline_entry == first.timeline_entry
    text = selectors.document(review, LONDON)
    assert "1. Why were card payments declined?" in text
    assert "(timeline: Tue 4 Mar, 09:52 GMT, cause found)" in text
    assert "- Detection and alerting: No alert on certificate expiry dates." in text


def test_an_answer_cannot_point_at_another_incident_s_timeline(heard, people, london):
    other = incident_for(people)
    elsewhere = add_timeline_entry(incident=other, by=people["comms"], text="Paged the bank.")
    review = heard.review
    with pytest.raises(ClearlineError) as refused:
        services.edit_writeup(
            review=review,
            by=people["comms"],
            version=review.version,
            whys=[services.WhyIn("Why?", "Because.", elsewhere.pk)],
        )
    assert refused.value.field == "whys.0.timeline_entry"
    assert not review.whys.exists()


def test_a_stale_version_is_a_conflict_and_keeps_the_saved_text(heard, people):
    review = heard.review
    services.edit_writeup(review=review, by=people["comms"], version=review.version, missed=MISSED)
    with pytest.raises(Conflict):
        services.edit_writeup(
            review=review, by=people["commander"], version=review.version, missed="x"
        )
    review.refresh_from_db()
    assert review.missed == MISSED and review.version == 2


def test_a_section_over_its_limit_is_refused_naming_it(heard, people):
    with pytest.raises(ClearlineError) as refused:
        services.edit_writeup(review=heard.review, by=people["comms"], version=1, done="x" * 5001)
    assert refused.value.field == "done"


def test_the_liaison_flag_goes_once_a_liaison_is_in_the_room(london, people):
    review = resolve(incident_for(people, comms_owner=None)).review
    assert selectors.liaison_missing(review)
    services.add_attendee(
        review=review,
        by=people["comms"],
        role=AttendeeRole.CUSTOMER_LIAISON,
        name="Ruth Adeyemi",
        email="ruth@example.com",
    )
    assert not selectors.liaison_missing(review)
    assert timezone.is_aware(review.starts_at)


def test_the_incident_s_action_items_join_the_write_up_and_its_checks(heard, people):
    from clearline.reviews.actions.services import create_action_item

    review = good_writeup(heard.review, people)
    create_action_item(
        incident=review.incident,
        by=people["commander"],
        outcome="Alert the on-call engineer 14 days before a gateway certificate expires",
        owner=people["comms"],
        due_date=timezone.localdate() + timedelta(days=10),
        category="detection",
    )
    text = selectors.document(review, LONDON)
    assert "## Action items" in text
    line = next(line for line in text.splitlines() if "14 days before" in line)
    assert "owner: " in line and "due: " in line and "open" in line
    report = writeup.check(review.incident, text)
    assert [(f.code, f.message) for f in report.findings if f.code in ("CL151", "CL153")] == []
