"""An open follow-up is handed to another responder or given a new due date, on the desk and
through the API; a bad date or owner is refused with what was typed kept; a done follow-up and
viewers change nothing."""

from datetime import date, timedelta

import pytest
from django.test import Client

from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.core.models import AuditEntry
from clearline.loop import accounts, followups, selectors
from clearline.loop.models import FollowUp
from tests.loop.conftest import incident_for, resolve
from tests.unchanged import audited, nothing_changes


@pytest.fixture
def follow_up(people, acme):
    """Kim's open follow-up with Acme Freight on a resolved incident."""
    incident = resolve(incident_for(people))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    return FollowUp.objects.get()


def _later(days: int = 10) -> date:
    return selectors.today() + timedelta(days=days)


def _edit(follow_up) -> str:
    return f"/desk/follow-ups/{follow_up.public_id}/edit/"


def test_a_responder_hands_the_follow_up_to_someone_else_with_a_new_due_date(
    client, people, follow_up
):
    client.force_login(people["comms"])
    page = client.get(f"/desk/incidents/{follow_up.incident_id}/").content.decode()
    assert f"{_edit(follow_up)}?back=incident" in page
    form = client.get(f"{_edit(follow_up)}?back=incident")
    assert form.status_code == 200
    assert f'value="{follow_up.due_date.isoformat()}"' in form.content.decode()
    due = follow_up.due_date
    assert f"kim follows up, due {due:%A} {due.day} {due:%B %Y}." in form.content.decode()
    due = _later()
    with audited() as entries:
        response = client.post(
            _edit(follow_up),
            {"owner": people["comms"].pk, "due_date": due.isoformat(), "back": "incident"},
        )
    assert response.url == f"/desk/incidents/{follow_up.incident_id}/#loop"
    follow_up.refresh_from_db()
    assert (follow_up.owner, follow_up.due_date) == (people["comms"], due)
    assert entries == [("follow_up.changed", "sam", "loop.followup", str(follow_up.pk))]
    page = client.get(response.url).content.decode()
    assert f"sam follows up with Acme Freight by {due:%A} {due.day} {due:%B %Y}." in page


def test_the_audit_entry_says_what_changed(people, follow_up):
    before = follow_up.due_date
    followups.change_follow_up(follow_up=follow_up, by=people["comms"], owner=people["comms"])
    entry = AuditEntry.objects.get(action="follow_up.changed")
    assert entry.changes == {"owner": ["kim", "sam"]}
    assert entry.summary == (
        "Follow-up with “Acme Freight” on “Card payments declined”: handed to sam"
    )
    assert follow_up.due_date == before


def test_a_past_due_date_is_refused_and_what_was_typed_is_kept(client, people, follow_up):
    client.force_login(people["comms"])
    with nothing_changes():
        response = client.post(
            _edit(follow_up),
            {"owner": people["commander"].pk, "due_date": "2020-01-06", "back": "incident"},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "06 January 2020 has passed; give today or a later date." in page
    assert 'value="2020-01-06"' in page
    assert f'<option value="{people["commander"].pk}" selected>' in page
    assert 'name="back" value="incident"' in page


def test_an_empty_form_names_each_missing_field(client, people, follow_up):
    client.force_login(people["comms"])
    with nothing_changes():
        response = client.post(_edit(follow_up), {"owner": "", "due_date": "next week"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose who follows up: one person with a role." in page
    assert "Write the due date as YYYY-MM-DD." in page and 'value="next week"' in page


def test_someone_without_a_role_cannot_own_it(people, follow_up):
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        followups.change_follow_up(
            follow_up=follow_up, by=people["comms"], owner=people["outsider"]
        )
    assert refused.value.field == "owner"
    assert "olly cannot own a follow-up" in refused.value.message


def test_a_viewer_even_its_owner_may_not_change_it(client, people, follow_up, seller):
    client.force_login(seller)
    page = client.get("/desk/follow-ups/?mine=1").content.decode()
    assert "Acme Freight" in page and "Change owner or due date" not in page
    assert client.get(_edit(follow_up)).status_code == 403
    with nothing_changes():
        response = client.post(_edit(follow_up), {"owner": seller.pk, "due_date": "2030-01-07"})
    assert response.status_code == 403
    with nothing_changes(), pytest.raises(PermissionDenied):
        followups.change_follow_up(follow_up=follow_up, by=seller, due_date=_later())


def test_a_done_follow_up_keeps_its_owner_and_date(client, people, follow_up, seller):
    followups.complete_follow_up(follow_up=follow_up, by=seller, note="Called them.")
    client.force_login(people["comms"])
    page = client.get(f"/desk/incidents/{follow_up.incident_id}/").content.decode()
    assert "Change owner or due date" not in page
    with nothing_changes():
        response = client.post(
            _edit(follow_up),
            {"owner": people["comms"].pk, "due_date": _later().isoformat(), "back": "incident"},
        )
    assert response.url == f"/desk/incidents/{follow_up.incident_id}/#loop"
    assert followups.ONLY_OPEN in client.get(response.url).content.decode()
    with pytest.raises(Conflict):
        followups.change_follow_up(follow_up=follow_up, by=people["comms"], due_date=_later())


def test_from_the_list_it_comes_back_to_the_same_filter_and_page(client, people, follow_up):
    client.force_login(people["comms"])
    page = client.get("/desk/follow-ups/").content.decode()
    assert f'href="{_edit(follow_up)}"' in page
    data = {"owner": people["comms"].pk, "due_date": _later().isoformat()}
    response = client.post(_edit(follow_up), {**data, "back": "mine=1&page=1"})
    assert response.url == "/desk/follow-ups/?mine=1&page=1"
    # Only the list's own filter and page come back: never another address.
    response = client.post(_edit(follow_up), {**data, "back": "//elsewhere.example/"})
    assert response.url == "/desk/follow-ups/"


def test_the_page_leads_back_where_it_was_opened_from(client, people, follow_up):
    client.force_login(people["comms"])
    from_list = client.get(f"{_edit(follow_up)}?back=mine%3D1%26page%3D1").content.decode()
    assert '<a href="/desk/follow-ups/?mine=1&amp;page=1">Back to the follow-ups</a>' in from_list
    from_incident = client.get(f"{_edit(follow_up)}?back=incident").content.decode()
    assert f'<a href="/desk/incidents/{follow_up.incident_id}/#loop">Back to ' in from_incident
    assert "Back to the follow-ups" not in from_incident


def test_a_change_without_the_form_s_csrf_token_is_refused(people, follow_up):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["comms"])
    with nothing_changes():
        response = browser.post(
            _edit(follow_up), {"owner": people["comms"].pk, "due_date": _later().isoformat()}
        )
    assert response.status_code == 403


def test_the_api_changes_owner_and_due_date(api_as, people, follow_up):
    path = f"/api/followups/{follow_up.public_id}"
    support, comms = api_as("support"), api_as("comms")
    with nothing_changes():
        assert support.patch(path, {"owner": "vic"}).status_code == 403
    due = _later(5)
    with audited() as entries:
        response = comms.patch(path, {"owner": "sam", "due_date": due.isoformat()})
    assert response.status_code == 200
    assert (response.data["owner"], response.data["due_date"]) == ("sam", due.isoformat())
    assert entries == [("follow_up.changed", "sam", "loop.followup", str(follow_up.pk))]
    [listed] = support.get(f"/api/incidents/{follow_up.incident.public_id}/followups").data
    assert listed["owner"] == "sam"


def test_the_api_refuses_a_bad_owner_or_date_naming_the_field(api_as, people, follow_up):
    path = f"/api/followups/{follow_up.public_id}"
    comms = api_as("comms")
    with nothing_changes():
        nobody = comms.patch(path, {"owner": "nobody"})
        past = comms.patch(path, {"due_date": "2020-01-06"})
    assert (nobody.status_code, nobody.data["errors"][0]["field"]) == (400, "owner")
    assert (past.status_code, past.data["errors"][0]["field"]) == (400, "due_date")


def test_the_api_refuses_to_change_a_done_follow_up(api_as, people, follow_up, seller):
    followups.complete_follow_up(follow_up=follow_up, by=seller, note="Called them.")
    comms = api_as("comms")
    with nothing_changes():
        response = comms.patch(f"/api/followups/{follow_up.public_id}", {"owner": "sam"})
    assert response.status_code == 409
    assert response.data["detail"] == followups.ONLY_OPEN
