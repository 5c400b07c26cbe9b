"""Sign-in throttling with django-axes: who is counted, the page a locked-out person sees, and
how an admin lifts a lockout."""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from axes.utils import reset
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class SignInBackend(AxesStandaloneBackend):
    """Counts and refuses sign-ins made through a request: the sign-in page and the admin's.

    A sign-in with no request (the test client's `login`, a shell) has nothing to count by, so it
    goes straight to the password check instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted for: behind our nginx, the one it appended last to
    X-Forwarded-For (anything before it the client wrote itself and may be made up)."""
    if settings.CLEARLINE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """The sign-in page's answer to a locked-out person: what happened, when to try again and
    who can lift it. 429, on /login/ and /admin/login/ alike."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def unlock(username: str) -> int:
    """Lift every lockout on `username`, from any address; the number of records cleared."""
    return reset(username=username)
