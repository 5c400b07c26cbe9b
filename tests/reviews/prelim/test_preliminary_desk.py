"""The preliminary report at the desk: found from the incident page, opened in the update editor
without a status or a promise to set, checked as a preliminary report as it is typed."""

from clearline.reviews.preliminary import preliminary_report
from clearline.updates.services import content_hash_of
from tests.factories import make_incident
from tests.reviews.prelim.test_preliminary_publish import OPEN_QUESTION_AS_FACT


def test_the_incident_page_leads_to_the_draft(desk, resolved):
    page = desk.get(f"/desk/incidents/{resolved.pk}/").content.decode()
    report = preliminary_report(resolved)
    assert "After the incident" in page
    assert f'href="/desk/updates/{report.pk}/edit/"' in page
    assert "Check, approve and publish the preliminary report" in page


def test_the_editor_shows_the_report_checked_as_a_preliminary_report(desk, resolved):
    report = preliminary_report(resolved)
    response = desk.get(f"/desk/updates/{report.pk}/edit/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Edit the preliminary report</h1>" in page
    assert 'name="kind" value="preliminary"' in page
    assert 'name="status"' not in page and 'name="next_update_due"' not in page
    assert 'data-errors="0"' in page


def test_the_live_checks_read_it_as_a_preliminary_report(desk, resolved):
    body = preliminary_report(resolved).body
    url = f"/desk/incidents/{resolved.pk}/checks/"
    stated = desk.post(url, {"body": f"{body}\n\n{OPEN_QUESTION_AS_FACT}", "kind": "preliminary"})
    assert 'data-rule="unsupported-claim"' in stated.content.decode()
    without_review = "\n\n".join(p for p in body.split("\n\n") if "full review" not in p)
    as_report = desk.post(url, {"body": without_review, "kind": "preliminary"}).content.decode()
    assert 'data-rule="missing-review-promise"' in as_report
    # The same words as a resolution are checked by the resolution's rules, which ask no review.
    as_resolution = desk.post(url, {"body": without_review}).content.decode()
    assert 'data-rule="missing-review-promise"' not in as_resolution


def test_the_commander_approves_and_publishes_it_from_the_editor(client, people, resolved):
    client.force_login(people["commander"])
    report = preliminary_report(resolved)
    response = client.post(
        f"/desk/updates/{report.pk}/edit/",
        {
            "body": report.body,
            "version": report.version,
            "content_hash": content_hash_of(report),
            "notify": "on",
            "action": "approve-publish",
        },
        follow=True,
    )
    assert "Update published." in response.content.decode()
    report.refresh_from_db()
    resolved.refresh_from_db()
    assert (report.state, report.status, resolved.status) == ("published", "resolved", "resolved")


def test_a_responder_drafts_a_missing_report_with_one_button(desk, people):
    incident = make_incident(title="Exports failed", status="resolved")  # no worker has run
    page = desk.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert "Draft the preliminary report from the record" in page
    response = desk.post(f"/desk/incidents/{incident.pk}/preliminary-report/")
    report = preliminary_report(incident)
    assert (
        response.status_code == 302 and response["Location"] == f"/desk/updates/{report.pk}/edit/"
    )
    assert report.author == people["comms"]


def test_an_open_incident_gets_no_report(desk):
    incident = make_incident(title="Sign-in slow")
    response = desk.post(f"/desk/incidents/{incident.pk}/preliminary-report/", follow=True)
    assert "A preliminary report follows the resolution" in response.content.decode()
    assert preliminary_report(incident) is None
