"""The desk's lists of key accounts and follow-ups come a page at a time, and the page links
keep the search or filter the person chose."""

import re

from clearline.loop import followups
from clearline.loop.models import IncidentAccount, KeyAccount
from clearline.loop.views import PER_PAGE
from tests.loop.conftest import incident_for, resolve

MORE_THAN_A_PAGE = PER_PAGE + 7


def _accounts(names, owner) -> list[KeyAccount]:
    # Made in one statement: the save that sets name_key is bypassed, so it is set here.
    return KeyAccount.objects.bulk_create(
        KeyAccount(name=name, name_key=name.casefold(), owner=owner) for name in names
    )


def _rows(page: str, marker: str) -> list[str]:
    return re.findall(marker, page)


def test_key_accounts_come_a_page_at_a_time_and_the_search_is_kept(client, people, london):
    _accounts([f"Acme {n:03}" for n in range(MORE_THAN_A_PAGE)], people["comms"])
    _accounts(["Globex"], people["comms"])
    client.force_login(people["support"])

    first = client.get("/desk/accounts/?q=acme").content.decode()
    assert f"{MORE_THAN_A_PAGE} accounts whose name contains “acme”" in first
    assert len(_rows(first, r"<td>Acme \d{3}</td>")) == PER_PAGE
    assert "Page 1 of 2" in first and "Globex" not in first
    assert 'href="?q=acme&amp;page=2" rel="next"' in first

    second = client.get("/desk/accounts/?q=acme&page=2").content.decode()
    assert _rows(second, r"<td>(Acme \d{3})</td>") == [
        f"Acme {n:03}" for n in range(PER_PAGE, MORE_THAN_A_PAGE)
    ]
    assert 'href="?q=acme&amp;page=1" rel="prev"' in second

    everyone = client.get("/desk/accounts/").content.decode()
    assert f"{MORE_THAN_A_PAGE + 1} key accounts, {PER_PAGE} a page." in everyone
    # The export is every account, not a page of them.
    export = client.get("/desk/accounts/export.csv").content.decode()
    assert len(export.splitlines()) == MORE_THAN_A_PAGE + 2


def test_follow_ups_come_a_page_at_a_time_and_mine_is_kept(
    client, people, seller, django_assert_max_num_queries
):
    incident = resolve(incident_for(people))
    mine = _accounts([f"Acme {n:03}" for n in range(MORE_THAN_A_PAGE)], seller)
    theirs = _accounts(["Globex"], people["comms"])
    IncidentAccount.objects.bulk_create(
        IncidentAccount(incident=incident, account=account, source="hand", linked_by=None)
        for account in mine + theirs
    )
    followups.create_follow_ups(incident=incident)
    client.force_login(seller)

    # The starting text is read once for the page, not once for each follow-up.
    with django_assert_max_num_queries(15):
        first = client.get("/desk/follow-ups/?mine=1").content.decode()
    assert len(_rows(first, r'class="follow-up"')) == PER_PAGE
    assert "Page 1 of 2" in first and "Globex" not in first
    assert 'href="?mine=1&amp;page=2" rel="next"' in first

    second = client.get("/desk/follow-ups/?mine=1&page=2").content.decode()
    assert len(_rows(second, r'class="follow-up"')) == MORE_THAN_A_PAGE - PER_PAGE
    # Marking one done comes back to the same filter and page.
    assert 'name="back" value="mine=1&amp;page=2"' in second
    [follow_up_id] = re.findall(r'id="follow-up-(\w+)"', second)[:1]
    response = client.post(
        f"/desk/follow-ups/{follow_up_id}/done/",
        {"note": "Called them.", "back": "mine=1&page=2"},
    )
    assert response.url == "/desk/follow-ups/?mine=1&page=2"

    everyone = client.get("/desk/follow-ups/").content.decode()
    assert "Page 1 of 2" in everyone and 'href="?page=2" rel="next"' in everyone


def test_a_page_past_the_end_shows_the_last(client, people, london):
    _accounts([f"Acme {n:03}" for n in range(MORE_THAN_A_PAGE)], people["comms"])
    client.force_login(people["support"])
    page = client.get("/desk/accounts/?page=99").content.decode()
    assert "Page 2 of 2" in page
