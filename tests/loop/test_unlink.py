"""A key account linked by mistake is unlinked, on the desk and through the API: its open
follow-up goes with the link, one already done stays as history, and viewers change nothing."""

import pytest
from django.test import Client

from clearline.core.errors import Conflict, PermissionDenied
from clearline.loop import accounts, followups
from clearline.loop.models import FollowUp, IncidentAccount
from tests.loop.conftest import incident_for, resolve
from tests.unchanged import audited, nothing_changes


@pytest.fixture
def linked(people, acme):
    """A resolved incident Acme Freight was linked to, its owner's follow-up open."""
    incident = resolve(incident_for(people))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    return incident


def _unlink(client, incident, account):
    return client.post(f"/desk/incidents/{incident.pk}/key-accounts/{account.public_id}/unlink/")


def test_a_responder_unlinks_a_mistaken_link_and_its_open_follow_up_goes_with_it(
    client, people, acme, linked
):
    follow_up = FollowUp.objects.get()
    link = IncidentAccount.objects.get()
    client.force_login(people["comms"])
    page = client.get(f"/desk/incidents/{linked.pk}/").content.decode()
    assert "Unlink Acme Freight" in page
    assert "Its open follow-up (kim, due" in page and "goes with the link" in page
    with audited() as entries:
        response = _unlink(client, linked, acme)
    assert response.status_code == 302
    assert response.url == f"/desk/incidents/{linked.pk}/#loop"
    assert not IncidentAccount.objects.exists() and not FollowUp.objects.exists()
    assert entries == [
        ("follow_up.withdrawn", "sam", "loop.followup", str(follow_up.pk)),
        ("key_account.unlinked", "sam", "loop.incidentaccount", str(link.pk)),
    ]
    page = client.get(response.url).content.decode()
    assert "Acme Freight is no longer linked to this incident." in page
    assert "Its open follow-up went with the link." in page
    assert "No key account is linked." in page


def test_a_follow_up_already_done_stays_as_history(client, people, acme, linked, seller):
    follow_up = FollowUp.objects.get()
    followups.complete_follow_up(follow_up=follow_up, by=seller, note="Called their ops lead.")
    client.force_login(people["comms"])
    page = client.get(f"/desk/incidents/{linked.pk}/").content.decode()
    assert "Its follow-up is done and stays as history." in page
    with audited() as entries:
        response = _unlink(client, linked, acme)
    assert [action for action, *_ in entries] == ["key_account.unlinked"]
    assert not IncidentAccount.objects.exists()
    follow_up.refresh_from_db()
    assert follow_up.is_done and follow_up.note == "Called their ops lead."
    page = client.get(response.url).content.decode()
    assert "Its follow-up, already done, stays as history." in page
    assert "Called their ops lead." in page


def test_an_account_unlinked_while_the_incident_runs_had_no_follow_up_to_lose(people, acme):
    incident = incident_for(people)
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    unlinked = accounts.unlink_account(incident=incident, account=acme, by=people["comms"])
    assert unlinked.follow_up is None
    # Resolving afterwards owes the account nothing.
    resolve(incident)
    assert not FollowUp.objects.exists()


def test_linking_it_again_starts_a_new_follow_up(people, acme, linked):
    accounts.unlink_account(incident=linked, account=acme, by=people["comms"])
    accounts.link_account(incident=linked, account=acme, by=people["comms"])
    assert FollowUp.objects.get().state == "open"


def test_a_follow_up_withdrawn_while_its_owner_wrote_the_note_says_why(
    people, acme, linked, seller
):
    follow_up = FollowUp.objects.get()
    accounts.unlink_account(incident=linked, account=acme, by=people["comms"])
    with nothing_changes(), pytest.raises(Conflict) as refused:
        followups.complete_follow_up(follow_up=follow_up, by=seller, note="Called them.")
    assert refused.value.message == followups.WITHDRAWN


def test_a_viewer_sees_no_unlink_button_and_is_refused(client, people, acme, linked, seller):
    # The account's own owner, a viewer in sales, may close the follow-up but not unlink.
    client.force_login(seller)
    assert "Unlink" not in client.get(f"/desk/incidents/{linked.pk}/").content.decode()
    with nothing_changes():
        response = _unlink(client, linked, acme)
    assert response.status_code == 403
    with nothing_changes(), pytest.raises(PermissionDenied):
        accounts.unlink_account(incident=linked, account=acme, by=seller)


def test_unlinking_twice_says_so_and_changes_nothing(client, people, acme, linked):
    client.force_login(people["comms"])
    _unlink(client, linked, acme)
    with nothing_changes():
        response = _unlink(client, linked, acme)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "“Acme Freight” is not linked to this incident." in page


def test_an_unlink_without_the_form_s_csrf_token_is_refused(people, acme, linked):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["comms"])
    with nothing_changes():
        response = _unlink(browser, linked, acme)
    assert response.status_code == 403


def test_the_api_unlinks_and_says_what_became_of_the_follow_up(api_as, people, acme, linked):
    path = f"/api/incidents/{linked.public_id}/accounts/{acme.public_id}"
    support, comms = api_as("support"), api_as("comms")
    with nothing_changes():
        refused = support.call("DELETE", path)
    assert refused.status_code == 403
    with audited() as entries:
        response = comms.call("DELETE", path)
    assert response.status_code == 200
    assert response.data["account"]["name"] == "Acme Freight"
    assert response.data["follow_up"] == "removed"
    assert [action for action, *_ in entries] == ["follow_up.withdrawn", "key_account.unlinked"]
    assert support.get(f"/api/incidents/{linked.public_id}/accounts").data == []
    again = comms.call("DELETE", path)
    assert again.status_code == 404
    assert "No linked key account has the id" in again.data["detail"]
