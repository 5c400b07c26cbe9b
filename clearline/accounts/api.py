"""API authentication: a bearer token (the main path) or a browser session with CSRF.

Every operation names the permission it needs with `requires(...)`; the check runs before the
request body is read, so a person without the permission learns nothing from validation errors.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from clearline.accounts import services
from clearline.accounts.roles import role_of
from clearline.core.api import reads
from clearline.core.errors import PermissionDenied

router = Router(tags=["accounts"])


def _allowed(user, perm: str):
    if not user.has_perm(perm):
        raise PermissionDenied(f"Your role does not allow this (it needs {perm}).")
    return user


class ApiToken(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are issued in the admin."""

    def __init__(self, perm: str) -> None:
        self.perm = perm
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str):
        user = services.use_token(raw=token)
        if user is None:
            raise AuthenticationError(message="This API token is not valid or has been revoked.")
        request.user = user
        return _allowed(user, self.perm)


class BrowserSession(APIKeyCookie):
    """A signed-in browser; unsafe methods must carry the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, perm: str) -> None:
        self.perm = perm
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest):
        # Without a signed-in user there is nothing to protect; leave the answer to 401.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise PermissionDenied("The CSRF check failed: send the X-CSRFToken header.")
        return _allowed(request.user, self.perm)

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover - unused
        return None


def requires(perm: str) -> list:
    """The auth of an operation that needs the permission `perm` (a code from accounts.roles)."""
    return [ApiToken(perm), BrowserSession(perm)]


class MeOut(Schema):
    username: str
    role: str | None


@router.get("/me", response=reads(MeOut), auth=requires("incidents.view_incident"))
def me(request):
    """Who the token or session belongs to, and their role."""
    return {"username": request.auth.get_username(), "role": role_of(request.auth)}
