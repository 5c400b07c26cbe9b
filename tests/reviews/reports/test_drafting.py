"""A commander drafts the reports from a well-kept record: every section is there, the times
carry their zone, the changes their owners and dates, and each edition passes its own checks."""

import pytest

from clearline.accounts.models import Organisation
from clearline.reviews.reports import drafting, services
from clearline.reviews.reports.models import Edition
from clearline.updates import checking
from clearline.updates.models import Audience
from clearline.updates.services import content_hash_of
from tests.reviews.reports.conftest import ACTIONS, MOMENTS


def drafted(incident, people) -> dict[str, str]:
    reports = services.draft_reports(incident=incident, by=people["comms"])
    return {report.edition: report.update.body for report in reports}


@pytest.mark.parametrize("edition", list(Edition))
def test_it_gives_every_section_of_the_edition(filled, people, edition):
    body = drafted(filled, people)[edition]
    for heading in drafting.headings(edition):
        assert f"\n## {heading}\n" in body


@pytest.mark.parametrize("edition", list(Edition))
def test_each_edition_passes_its_own_checks(filled, people, edition):
    body = drafted(filled, people)[edition]
    report = checking.check_draft(incident=filled, body=body, status="resolved", kind="report")
    assert [f.code for f in report.findings if f.severity == "error"] == []
    assert "CL133" not in {f.code for f in report.findings}  # the timeline is read as one


def test_the_changes_carry_their_owners_and_due_dates(filled, people):
    body = drafted(filled, people)[Edition.PLAIN]
    for outcome, _, _ in ACTIONS:
        line = next(line for line in body.splitlines() if outcome in line)
        assert "Owner: dana" in line and "Due: " in line


def test_the_plain_edition_tells_moments_without_the_teams_notes(filled, people):
    texts = drafted(filled, people)
    plain_timeline = [line for line in texts[Edition.PLAIN].splitlines() if " — " in line]
    for _, _, note in MOMENTS:
        assert not any(note[1:] in line for line in plain_timeline)
        assert note[1:] in texts[Edition.TECHNICAL]
    # The moment carries its zone (and its date when the incident ran past midnight).
    assert any("GMT" in line and line.endswith(" — We found the cause.") for line in plain_timeline)


@pytest.mark.parametrize("edition", list(Edition))
def test_the_timeline_names_no_zone_identifier_a_customer_would_not_know(filled, people, edition):
    # Each moment carries its zone ("09:12 GMT"); the organisation's zone setting
    # ("Europe/London") is a configuration value, not words for a reader.
    zone = Organisation.current().time_zone
    assert "/" in zone  # a zone a customer would write otherwise
    body = drafted(filled, people)[edition]
    assert zone not in body
    assert "\nThe key moments:\n\n- " in body


def test_the_internal_edition_adds_what_the_review_found(filled, people):
    texts = drafted(filled, people)
    assert "### Five Whys" in texts[Edition.INTERNAL]
    assert "No check runs after a mail settings change." in texts[Edition.INTERNAL]
    assert "Five Whys" not in texts[Edition.PLAIN] + texts[Edition.TECHNICAL]


def test_the_internal_edition_is_written_for_the_team_only(filled, people):
    reports = {r.edition: r for r in services.draft_reports(incident=filled, by=people["comms"])}
    assert reports[Edition.INTERNAL].update.audience == Audience.INTERNAL
    assert reports[Edition.PLAIN].update.audience == Audience.PUBLIC


def test_drafting_twice_keeps_the_drafts_people_edited(filled, people):
    first = services.draft_reports(incident=filled, by=people["comms"])
    again = services.draft_reports(incident=filled, by=people["comms"])
    assert [r.update_id for r in first] == [r.update_id for r in again]


def test_a_cause_not_confirmed_is_not_stated(filled, people):
    filled.facts.filter(subject="cause", kind="fact").delete()
    body = drafted(filled, people)[Edition.PLAIN]
    assert "We are still confirming the cause" in body
    assert "halved how fast" not in body


def test_a_long_internal_report_can_be_edited_on_the_desk(filled, people, client):
    internal = services.draft_reports(incident=filled, by=people["comms"])
    update = next(r for r in internal if r.edition == Edition.INTERNAL).update
    notes = "\n".join(f"- 09:{n % 60:02d} UTC: queue depth read {n} times." for n in range(400))
    body = f"{update.body}\n\n## Every reading\n\n{notes}\n"
    assert len(body) > 10_000  # longer than an update may be

    client.force_login(people["comms"])
    response = client.post(
        f"/desk/updates/{update.pk}/edit/",
        {
            "status": update.status,
            "body": body,
            "version": update.version,
            "content_hash": content_hash_of(update),
            "action": "save",
        },
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.body == body.strip()
