"""Guessing a password: after a few wrong ones the sign-in locks, says so, and an admin lifts it.

The probe this answers: 50 wrong passwords in 23 seconds, then the right one signed in, on
/login/ and /admin/login/ alike.
"""

import pytest
from django.conf import settings

from clearline import cli
from tests.factories import PASSWORD
from tests.unchanged import nothing_changes

GUESSES = 50
LOCKED = "This account is locked"
SIGN_IN_PAGES = ["/login/", "/admin/login/"]


def sign_in(client, path, username, password, address="203.0.113.7", **headers):
    form = {"username": username, "password": password}
    return client.post(path, form, REMOTE_ADDR=address, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def locked_out(client, path, username, address="203.0.113.7", **headers):
    """The right password, refused with 429: nobody signed in, no row or file changed."""
    with nothing_changes():
        response = sign_in(client, path, username, PASSWORD, address, **headers)
    assert response.status_code == 429
    assert not signed_in(client)
    return response


def guess(client, path, username, times=GUESSES, address="203.0.113.7"):
    for attempt in range(times):
        sign_in(client, path, username, f"guess-{attempt}", address)


@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_fifty_wrong_passwords_lock_the_right_one_out(client, people, path):
    guess(client, path, "alex")
    response = locked_out(client, path, "alex")
    page = response.content.decode()
    assert LOCKED in page and "Try again in 15 minutes" in page
    assert "clearline unlock alex" in page  # who can lift it, and how
    assert not signed_in(client)
    assert client.get("/desk/").status_code == 302


def test_it_locks_after_the_limit_not_before(client, people):
    limit = settings.AXES_FAILURE_LIMIT
    guess(client, "/login/", "sam", times=limit - 1)
    response = sign_in(client, "/login/", "sam", PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    # A good sign-in starts the count again.
    client.logout()
    guess(client, "/login/", "sam", times=limit)
    locked_out(client, "/login/", "sam")


def test_a_wrong_password_below_the_limit_says_only_that_it_does_not_match(client, people):
    response = sign_in(client, "/login/", "sam", "not-it")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert LOCKED not in response.content.decode()


def test_guessing_from_one_address_does_not_lock_the_person_out_elsewhere(client, people):
    """Typing someone's name is not enough to keep them off the desk on the worst day."""
    guess(client, "/login/", "dana", address="198.51.100.66")
    locked_out(client, "/login/", "dana", "198.51.100.66")
    assert sign_in(client, "/login/", "dana", PASSWORD, "203.0.113.20").status_code == 302
    assert signed_in(client)


def test_an_admin_lifts_the_lockout_in_the_admin(client, people):
    from axes.models import AccessAttempt

    guess(client, "/login/", "sam")
    locked_out(client, "/login/", "sam")
    attempt = AccessAttempt.objects.get(username="sam")

    client.force_login(people["admin"])
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "sam" in listing.content.decode()
    deleted = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    client.logout()

    assert sign_in(client, "/login/", "sam", PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_admin_lifts_the_lockout_from_the_command_line(client, people, capsys):
    guess(client, "/admin/login/", "alex")
    locked_out(client, "/admin/login/", "alex")

    assert cli.main(["unlock", "alex"]) == 0
    assert "alex may sign in again" in capsys.readouterr().out

    response = sign_in(client, "/admin/login/", "alex", PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    assert cli.main(["unlock", "alex"]) == 0
    assert "alex was not locked out" in capsys.readouterr().out


def test_only_admins_see_the_lockouts(client, people):
    for name in ("commander", "comms", "support"):
        client.force_login(people[name])
        assert client.get("/admin/axes/accessattempt/").status_code == 302


def test_behind_the_proxy_it_counts_the_address_nginx_saw(client, people, settings):
    """A made-up X-Forwarded-For entry does not give a guesser a fresh count."""
    settings.CLEARLINE_BEHIND_PROXY = True
    proxy = "127.0.0.1"
    for attempt in range(GUESSES):
        forwarded = f"10.0.0.{attempt}, 203.0.113.7"
        sign_in(client, "/login/", "sam", f"guess-{attempt}", proxy, HTTP_X_FORWARDED_FOR=forwarded)
    forwarded = "10.9.9.9, 203.0.113.7"
    locked_out(client, "/login/", "sam", proxy, HTTP_X_FORWARDED_FOR=forwarded)
    forwarded = "203.0.113.99"
    elsewhere = sign_in(client, "/login/", "sam", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=forwarded)
    assert elsewhere.status_code == 302
