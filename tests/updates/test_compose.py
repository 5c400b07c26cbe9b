"""Composing updates from fields: every template passes the checks, and no two in a row match."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from clearline.accounts.models import Organisation
from clearline.checks import check
from clearline.core.errors import ClearlineError
from clearline.core.permissions import SYSTEM
from clearline.incidents.services import add_fact
from clearline.updates import compose
from clearline.updates.checking import check_draft
from tests.factories import make_incident, make_user, publish

NOW = datetime(2025, 3, 3, 13, 25, 30, tzinfo=UTC)  # 14:25 in Berlin, winter time

# Three incidents as a comms owner would describe them, each with every field filled in.
INCIDENTS = {
    "payments": {
        "symptom": "Card payments fail at checkout",
        "who": "customers in the EU region",
        "still_works": "Bank transfers and invoices work normally.",
        "started_at": NOW - timedelta(minutes=40),
        "lead": "Dana Reyes",
        "action": "You can pay by bank transfer in the meantime.",
        "news": "We traced the failures to a settings change made this morning and undid it",
        "status": "identified",
        "fixed_at": NOW - timedelta(minutes=5),
        "verification": "we repeated failed payments with test cards and watched error rates "
        "return to normal for an hour",
        "safe": "No card details were exposed, and nobody was charged twice",
        "report_by": date(2025, 3, 10),
        "next_update_minutes": 30,
    },
    "sign-in": {
        "symptom": "Customers cannot sign in to the mobile app",
        "who": "customers using the Android app",
        "still_works": "The web app and existing sessions still work.",
        "started_at": NOW - timedelta(hours=2),
        "lead": "our identity team",
        "action": "Please sign in on the web for now",
        "news": "Sign-in works again for most people after we restarted the login service",
        "status": "monitoring",
        "fixed_at": NOW - timedelta(minutes=20),
        "verification": "We signed in on test phones every five minutes for two hours and "
        "every attempt went through",
        "safe": "Passwords and account data were not exposed",
        "report_by": date(2025, 3, 7),
        "next_update_minutes": 60,
    },
    "emails": {
        "symptom": "Order confirmation emails arrive up to an hour late",
        "who": "everyone",
        "still_works": "Orders still go through and are paid as usual.",
        "started_at": NOW - timedelta(days=1, minutes=10),
        "lead": "Priya Shah, our head of support",
        "action": "No action is needed on your side",
        "news": "The delayed emails are going out now, oldest first",
        "status": "investigating",
        "fixed_at": NOW - timedelta(minutes=2),
        "verification": "we placed test orders and each confirmation arrived within a minute",
        "safe": "Every order was recorded correctly",
        "report_by": date(2025, 3, 12),
        "next_update_minutes": 15,
    },
}
IMPACTS = ["minor", "major", "critical"]
DANGLING = re.compile(r"[{}]|\s[.,:;]|\.\.|[:,]\s*\.|\bNone\b|  |^\s|\s$|:\s*$")


@pytest.fixture(autouse=True)
def berlin(db):
    org = Organisation.current()
    org.time_zone = "Europe/Berlin"
    org.save()
    return org


def incident_for(kind: str, impact: str):
    """An incident in the state where an update of `kind` is written.

    The example fields name a cause and what stayed safe; the ledger holds them as confirmed
    facts, as it must before a claim may go out (CL122).
    """
    if kind == "first":
        return make_incident(published=False, impact=impact)
    incident = make_incident(impact=impact, body="Checkouts fail. Next update in 30 minutes.")
    for subject in ("cause", "data_safety"):
        add_fact(incident=incident, by=SYSTEM, kind="fact", subject=subject, text="Confirmed.")
    if kind == "resolved":
        incident.status = "resolved"
    return incident


def compose_all(kind, impact, fields, incident):
    count = len(compose.templates_for(kind, impact))
    return [
        compose.compose(incident=incident, kind=kind, fields=fields, now=NOW, sequence=n)
        for n in range(count)
    ]


@pytest.mark.parametrize("kind", compose.KINDS)
@pytest.mark.parametrize("impact", IMPACTS)
@pytest.mark.parametrize("example", INCIDENTS)
def test_every_template_passes_the_checks_with_complete_fields(kind, impact, example):
    incident = incident_for(kind, impact)
    composed = compose_all(kind, impact, INCIDENTS[example], incident)
    assert len(composed) >= 3
    for text in composed:
        report = check_draft(incident=incident, body=text.text, status=text.status)
        assert report.kind == kind
        errors = [f"{f.code} {f.message}" for f in report.findings if f.severity == "error"]
        assert errors == [], f"{text.template}:\n{text.text}"
        # Warnings too: a composed text should need no rewording, only the writer's facts.
        warnings = [f.code for f in report.findings if f.severity == "warning"]
        assert warnings == [], f"{text.template}:\n{text.text}"


@pytest.mark.parametrize("kind", compose.KINDS)
@pytest.mark.parametrize("impact", IMPACTS)
def test_missing_optional_fields_leave_no_dangling_words(kind, impact):
    incident = incident_for(kind, impact)
    fields = {name: INCIDENTS["payments"][name] for name in compose.REQUIRED[kind]}
    fields.setdefault("next_update_minutes", 30)
    if kind == "update":
        fields["status"] = "identified"
    for text in compose_all(kind, impact, {**fields, "next_update_minutes": 30}, incident):
        for paragraph in text.text.split("\n\n"):
            assert not DANGLING.search(paragraph), f"{text.template}: {paragraph!r}"
        report = check_draft(incident=incident, body=text.text, status=text.status)
        assert not report.has_errors, f"{text.template}:\n{text.text}"


def test_an_unknown_audience_is_told_that_it_is_still_being_confirmed():
    incident = incident_for("first", "minor")
    fields = {"symptom": "Exports fail", "next_update_minutes": 60}
    for text in compose_all("first", "minor", fields, incident):
        assert re.search(r"still (confirming|working out) (which customers|who)", text.text)


@pytest.mark.parametrize("kind", compose.KINDS)
@pytest.mark.parametrize("impact", IMPACTS)
def test_consecutive_updates_never_reuse_the_template(kind, impact):
    incident = incident_for(kind, impact)
    texts = compose_all(kind, impact, INCIDENTS["payments"], incident)
    for before, after in zip(texts, texts[1:] + texts[:1], strict=True):
        assert before.template != after.template
        assert before.text != after.text


@pytest.mark.parametrize("kind", compose.KINDS)
@pytest.mark.parametrize("impact", IMPACTS)
def test_the_wording_of_consecutive_updates_is_not_boilerplate(kind, impact):
    # Only the template's own words are under test, so each update brings other facts; the
    # writer's own facts repeated from one update to the next are not boilerplate.
    incident = incident_for(kind, impact)
    examples = list(INCIDENTS.values())
    for number, facts in enumerate(examples):
        before = compose_all(kind, impact, facts, incident)
        after = compose_all(kind, impact, examples[(number + 1) % len(examples)], incident)
        for earlier, later in zip(before, after[1:] + after[:1], strict=True):
            report = check(later.text, kind=kind, history=[earlier.text])
            assert "boilerplate" not in report.rules, f"{earlier.template} → {later.template}"


@pytest.mark.parametrize("kind", compose.KINDS)
def test_the_same_template_for_two_incidents_is_not_boilerplate(kind):
    incident = incident_for(kind, "major")
    earlier = {**INCIDENTS["payments"], "next_update_minutes": 30}
    later = {**INCIDENTS["sign-in"], "next_update_minutes": 30}
    for before, after in zip(
        compose_all(kind, "major", earlier, incident),
        compose_all(kind, "major", later, incident),
        strict=True,
    ):
        report = check(after.text, kind=kind, history=[before.text])
        assert "boilerplate" not in report.rules, after.template


def test_times_are_in_the_organisation_zone_with_utc_and_the_promise_is_a_clock_time():
    incident = incident_for("first", "minor")
    fields = {**INCIDENTS["payments"], "next_update_minutes": 30}
    text = compose.compose(incident=incident, kind="first", fields=fields, now=NOW, sequence=0)
    assert "This started at 13:45 CET (12:45 UTC)." in text.text
    assert "We will post the next update by 14:55 CET (13:55 UTC)." in text.text
    assert text.next_update_due == datetime(2025, 3, 3, 13, 55, tzinfo=UTC)


def test_a_time_on_another_day_names_the_day(berlin):
    incident = incident_for("first", "minor")
    fields = {**INCIDENTS["emails"], "next_update_minutes": 60}
    text = compose.compose(incident=incident, kind="first", fields=fields, now=NOW, sequence=0)
    assert "14:15 CET (13:15 UTC) on Sunday 2 March" in text.text


def test_an_organisation_on_utc_names_the_zone_once(berlin):
    berlin.time_zone = "UTC"
    berlin.save()
    incident = incident_for("first", "minor")
    fields = {**INCIDENTS["payments"], "next_update_minutes": 30}
    text = compose.compose(incident=incident, kind="first", fields=fields, now=NOW, sequence=0)
    assert "We will post the next update by 13:55 UTC." in text.text


def test_the_next_update_is_never_promised_later_than_the_cadence():
    incident = incident_for("first", "major")
    for minute in range(0, 60, 7):
        now = NOW.replace(minute=minute, second=59)
        fields = {"symptom": "Exports fail", "next_update_minutes": 30}
        composed = compose.compose(incident=incident, kind="first", fields=fields, now=now)
        assert timedelta(minutes=25) < composed.next_update_due - now <= timedelta(minutes=30)


def test_the_resolution_carries_the_resolved_status_and_no_next_update():
    incident = incident_for("resolved", "major")
    text = compose.compose(
        incident=incident, kind="resolved", fields=INCIDENTS["payments"], now=NOW
    )
    assert (text.status, text.next_update_due) == ("resolved", None)
    assert "next update" not in text.text


def test_a_progress_update_says_its_status_in_words():
    incident = incident_for("update", "minor")
    fields = {**INCIDENTS["payments"], "status": "monitoring", "next_update_minutes": 60}
    text = compose.compose(incident=incident, kind="update", fields=fields, now=NOW, sequence=1)
    assert text.status == "monitoring"
    assert any(line in text.text for line in compose.wording().status["monitoring"])


@pytest.mark.parametrize(
    ("kind", "missing", "message"),
    [
        ("first", "symptom", "Say what customers experience."),
        ("update", "news", "Say what changed or what you know now."),
        ("resolved", "verification", "Say how the fix was checked."),
        ("resolved", "fixed_at", "Say when it was fixed."),
    ],
)
def test_a_missing_required_field_is_named(kind, missing, message):
    incident = incident_for(kind, "minor")
    fields = {**INCIDENTS["payments"], "next_update_minutes": 30, missing: "  "}
    with pytest.raises(ClearlineError) as refused:
        compose.compose(incident=incident, kind=kind, fields=fields, now=NOW)
    assert (refused.value.field, refused.value.message) == (missing, message)


@pytest.mark.parametrize("minutes", [0, 4, 24 * 60 + 1, "30", None])
def test_a_next_update_out_of_range_is_refused(minutes):
    incident = incident_for("first", "minor")
    fields = {"symptom": "Exports fail", "next_update_minutes": minutes}
    with pytest.raises(ClearlineError) as refused:
        compose.compose(incident=incident, kind="first", fields=fields, now=NOW)
    assert refused.value.field == "next_update_minutes"


def test_a_progress_update_cannot_claim_the_resolved_status():
    incident = incident_for("update", "minor")
    fields = {**INCIDENTS["payments"], "status": "resolved", "next_update_minutes": 30}
    with pytest.raises(ClearlineError) as refused:
        compose.compose(incident=incident, kind="update", fields=fields, now=NOW)
    assert refused.value.field == "status"


def test_a_naive_time_is_refused():
    incident = incident_for("first", "minor")
    fields = {
        "symptom": "Exports fail",
        "next_update_minutes": 30,
        "started_at": datetime(2025, 3, 3, 12, 0),  # noqa: DTZ001 - the mistake under test
    }
    with pytest.raises(ClearlineError) as refused:
        compose.compose(incident=incident, kind="first", fields=fields, now=NOW)
    assert refused.value.field == "started_at"


def test_the_next_draft_takes_the_next_template(people):
    incident = make_incident(published=False, impact="major", by=people["comms"])
    fields = {**INCIDENTS["payments"], "next_update_minutes": 30}
    first = compose.draft_composed(
        incident=incident, by=people["comms"], kind="first", fields=fields, now=NOW
    )
    second = compose.draft_composed(
        incident=incident, by=people["comms"], kind="first", fields=fields, now=NOW
    )
    assert first.body != second.body
    assert first.state == second.state == "draft"
    assert first.next_update_due == datetime(2025, 3, 3, 13, 55, tzinfo=UTC)


def test_a_viewer_cannot_draft_a_composed_update(people):
    incident = make_incident(published=False)
    with pytest.raises(ClearlineError):
        compose.draft_composed(
            incident=incident,
            by=people["support"],
            kind="first",
            fields={"symptom": "Exports fail", "next_update_minutes": 30},
        )
    assert not incident.updates.exists()


def test_segments_become_who_is_affected(db):
    incident = make_incident(
        published=False,
        segments=[("region", "EU"), ("plan", "Pro plan"), ("platform", "the iOS app")],
    )
    assert compose.who_is_affected(incident.segments.all()) == (
        "customers in the EU region, customers on the Pro plan and customers using the iOS app"
    )
    everyone = make_incident(published=False, segments=[("everyone", ""), ("region", "EU")])
    assert compose.who_is_affected(everyone.segments.all()) == "everyone"


def test_the_form_starts_from_the_incident_record(db):
    commander = make_user("dana-reyes", "approver")
    commander.first_name, commander.last_name = "Dana", "Reyes"
    commander.save()
    incident = make_incident(
        published=False,
        impact="critical",
        commander=commander,
        still_works="Invoices still go out.",
        segments=[("feature", "exports")],
    )
    initial = compose.initial_fields(incident, "first", now=NOW)
    assert initial["who"] == "customers who use exports"
    assert initial["still_works"] == "Invoices still go out."
    assert initial["started_at"] == incident.started_at
    assert initial["lead"] == "Dana Reyes"
    assert initial["next_update_minutes"] == 30
    assert compose.initial_fields(incident, "resolved", now=NOW)["report_by"] == date(2025, 3, 10)


def test_later_updates_start_from_what_the_last_one_told_customers(db):
    incident = make_incident(published=False)
    assert compose.initial_fields(incident, "update", now=NOW)["symptom"] == ""
    publish(
        incident,
        "Our team is on it. Card payments fail at checkout for EU customers. Next update by "
        "14:30 UTC.",
    )
    for kind in ("update", "resolved"):
        initial = compose.initial_fields(incident, kind, now=NOW)
        assert initial["symptom"] == "Card payments fail at checkout for EU customers"


def test_a_published_update_moves_the_rotation_on(db):
    incident = make_incident(published=False)
    fields = {"symptom": "Exports fail", "next_update_minutes": 60}
    before = compose.compose(incident=incident, kind="first", fields=fields, now=NOW)
    publish(incident, before.text)
    after = compose.compose(incident=incident, kind="first", fields=fields, now=NOW)
    assert before.template != after.template


def after_publishing(text: str, kind: str):
    """An incident whose last public update is `text`, and what the `kind` form starts with."""
    incident = make_incident(published=False)
    publish(incident, text)
    return incident, compose.initial_fields(incident, kind, now=NOW)


def test_a_prompt_carried_from_the_last_update_never_reaches_the_resolution(db):
    incident, initial = after_publishing(
        "Here is where things stand. What customers see right now: customers on the Pro plan "
        "cannot download invoice PDFs. Next update by 14:30 UTC.",
        "resolved",
    )
    assert initial["symptom"] == "customers on the Pro plan cannot download invoice PDFs"
    fields = {**INCIDENTS["payments"], "symptom": initial["symptom"]}
    for n in range(3):
        text = compose.compose(
            incident=incident, kind="resolved", fields=fields, now=NOW, sequence=n
        ).text
        assert "see right now" not in text
        assert "ustomers on the Pro plan could not download invoice PDFs" in text


def test_the_workaround_is_carried_into_the_next_update(db):
    incident, initial = after_publishing(
        "Since 09:10 UTC customers on the Pro plan cannot download invoice PDFs. What you can do "
        "meanwhile: open the invoice in the browser and print it to PDF. Next update by 14:30 UTC.",
        "update",
    )
    assert initial["action"] == "open the invoice in the browser and print it to PDF"
    fields = {
        "symptom": initial["symptom"],
        "action": initial["action"],
        "next_update_minutes": 30,
        "news": "We rolled back this morning's release",
        "status": "identified",
    }
    text = compose.compose(incident=incident, kind="update", fields=fields, now=NOW).text
    assert "Open the invoice in the browser and print it to PDF" in text or (
        "open the invoice in the browser and print it to PDF" in text
    )
    assert "What you can do meanwhile: What you" not in text


def test_a_segment_that_names_people_is_not_named_twice(db):
    incident = make_incident(
        published=False, segments=[("feature", "Customers downloading invoice PDFs")]
    )
    assert compose.who_is_affected(incident.segments.all()) == (
        "customers downloading invoice PDFs"
    )


def progress_texts(news: str, status: str, sequences=range(3)) -> list[str]:
    """A progress update on card payments with this news and status, in each template."""
    fields = {"news": news, "symptom": "Card payments fail at checkout", "next_update_minutes": 30}
    return [
        compose.compose_text(
            kind="update",
            impact="minor",
            fields=fields,
            status=status,
            now=NOW,
            zone=UTC,
            sequence=sequence,
        ).text
        for sequence in sequences
    ]


def test_news_that_names_the_cause_is_not_followed_by_the_cause_in_words():
    for text in progress_texts(
        "We found the cause: a settings change made this morning", "identified"
    ):
        assert "caused this" not in text and "cause is confirmed" not in text
        assert "We have found the cause and" not in text


@pytest.mark.parametrize(
    "news",
    [
        "We found the cause: a settings change made this morning",
        "A fix is in place and we are watching it",
        "We are still investigating",
    ],
)
def test_news_that_says_or_is_past_investigating_is_not_followed_by_still_investigating(news):
    # The status was left at investigating; the news says more. "We have not found the cause
    # yet" beside "We found the cause" would contradict it in the same update; beside "We are
    # still investigating" it would say it twice.
    for text in progress_texts(news, "investigating"):
        for line in compose.wording().status["investigating"]:
            assert line not in text


def test_news_that_says_nothing_of_the_status_gets_the_status_in_words():
    [text] = progress_texts("More customers in Spain now see the error", "investigating", [0])
    assert compose.wording().status["investigating"][0] in text


def test_without_a_confirmed_cause_the_identified_status_claims_none():
    fields = {"news": "We rolled back this morning's release", "symptom": "Exports fail"}
    text = compose.compose_text(
        kind="update",
        impact="minor",
        fields={**fields, "next_update_minutes": 30},
        status="identified",
        now=NOW,
        zone=UTC,
        sequence=0,
        cause_confirmed=False,
    ).text
    assert "We have identified the problem and are working on a fix." in text
