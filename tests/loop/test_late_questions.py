"""A question asked after the resolution is answered in public: a responder drafts the answer,
an approver approves it, and it is published as a dated addendum on the incident's page and
sent to those who follow that incident. A drill's answer reaches nobody outside."""

import pytest
from django.utils import timezone

from clearline.core.errors import Conflict
from clearline.core.permissions import SYSTEM
from clearline.loop import questions
from clearline.loop.models import IncidentAccount
from clearline.updates import services as updates
from tests.factories import make_component, run_jobs
from tests.loop.conftest import incident_for, resolve
from tests.notify.conftest import subscribe
from tests.smtp import text_of
from tests.statuspage.test_privacy import PUBLIC_PATHS
from tests.unchanged import nothing_changes

ANSWER = (
    "Customers asked whether card payments declined between 12:00 and 12:40 were charged. "
    "They were not: every declined payment was reversed by the card gateway the same day."
)


def _answered(incident, people, *, question="Were declined cards charged twice?"):
    """Logged by support, drafted by the comms owner, approved and published by the commander."""
    asked = questions.log_late_question(
        incident=incident, by=people["support"], text=question, account="acme freight"
    )
    addendum = questions.draft_answer(question=asked, by=people["comms"], body=ANSWER)
    updates.approve_and_publish(
        update=addendum,
        by=people["commander"],
        content_hash=updates.content_hash_of(addendum),
        override_reason="A short answer to one question.",
    )
    run_jobs()
    addendum.refresh_from_db()
    return asked, addendum


def test_a_question_while_the_incident_runs_belongs_to_the_customer_signal(london, people):
    incident = incident_for(people)
    with nothing_changes(), pytest.raises(Conflict, match="customer signal"):
        questions.log_late_question(incident=incident, by=people["support"], text="Is it fixed?")


def test_the_answer_is_published_as_a_dated_addendum(client, london, people):
    incident = resolve(incident_for(people))
    asked, addendum = _answered(incident, people)
    assert asked.incident == incident and addendum.is_published and addendum.kind == "addendum"
    page = client.get(f"/incidents/{incident.public_id}").content.decode()
    day = timezone.localdate(addendum.published_at, london.zone)
    assert f"Addendum, {day.day} {day:%B %Y}" in page
    assert "every declined payment was reversed" in page
    # The customer's own words and account stay inside.
    assert "charged twice" not in page and "acme" not in page.lower()
    # The incident stays resolved, with no promise of a next update.
    incident.refresh_from_db()
    assert incident.status == "resolved" and addendum.next_update_due is None


def test_the_question_names_a_key_account_and_links_it(london, people, acme):
    incident = resolve(incident_for(people))
    questions.log_late_question(
        incident=incident, by=people["support"], text="Were we affected?", account="ACME freight"
    )
    assert IncidentAccount.objects.get(incident=incident).account == acme


def test_a_responder_drafts_but_cannot_approve_it(london, people):
    incident = resolve(incident_for(people))
    asked = questions.log_late_question(incident=incident, by=people["support"], text="Why?")
    addendum = questions.draft_answer(question=asked, by=people["comms"], body=ANSWER)
    with pytest.raises(Exception, match="approver"):
        updates.approve_update(
            update=addendum, by=people["comms"], content_hash=updates.content_hash_of(addendum)
        )


@pytest.mark.django_db(transaction=True)
def test_the_incident_s_and_everything_subscribers_get_one_email_a_component_s_none(
    people, smtp, delivery_settings
):
    from tests.reviews.conftest import organisation

    organisation()
    payments = make_component("Card payments")
    incident = incident_for(people, components={payments: "partial_outage"})
    subscribe("ines@example.com", incident=incident)
    subscribe("carl@example.com", components=[payments])
    subscribe("eve@example.com")  # everything
    resolve(incident)
    before = len(smtp.messages)
    _answered(incident, people)
    told = smtp.messages[before:]
    assert sorted(m["To"] for m in told) == ["eve@example.com", "ines@example.com"]
    [message] = [m for m in told if m["To"] == "ines@example.com"]
    assert message["Subject"] == "[Tallyhouse] Addendum: Card payments declined"
    assert "every declined payment was reversed" in text_of(message)


@pytest.mark.django_db(transaction=True)
def test_a_drill_s_answer_is_never_public(client, people, smtp, delivery_settings):
    from tests.reviews.conftest import organisation

    organisation()
    subscribe("ines@example.com")
    drill = resolve(incident_for(people, is_drill=True))
    before = len(smtp.messages)
    _, addendum = _answered(drill, people)
    assert addendum.is_published
    assert smtp.messages[before:] == []
    for path in [*PUBLIC_PATHS, f"/incidents/{drill.public_id}"]:
        body = client.get(path).content.decode()
        assert "every declined payment was reversed" not in body, path
        assert "Addendum" not in body, path


def test_a_question_cannot_be_answered_twice(london, people):
    incident = resolve(incident_for(people))
    asked = questions.log_late_question(incident=incident, by=SYSTEM, text="Why?")
    questions.draft_answer(question=asked, by=people["comms"], body=ANSWER)
    with pytest.raises(Conflict):
        questions.draft_answer(question=asked, by=people["comms"], body=ANSWER)
