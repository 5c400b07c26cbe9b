"""Who may use a desk page, and how the one application error reaches a form."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core.errors import ClearlineError, PermissionDenied

View = Callable[..., HttpResponse]
T = TypeVar("T")


def desk_view(perm: str) -> Callable[[View], View]:
    """Sign-in first, then `perm` for every method; times read and shown in the organisation zone.

    The check wraps the method guard, so an outsider learns nothing from a 405.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise Forbidden
            request.org = Organisation.current()
            with timezone.override(request.org.zone):
                return view(request, *args, **kwargs)

        return wrapped

    return decorator


def attempt(form: forms.BaseForm, act: Callable[[], T]) -> T | None:
    """Validate, then call the service; a refusal lands on the field it names.

    The form stays bound to what was typed, so nothing is lost. A missing permission is a 403;
    one that names a field of the form is shown on it (the view answers 403 with the form).
    The refusal is kept on `form.refusal` for views that react to its kind.
    """
    form.refusal = None
    if not form.is_valid():
        return None
    try:
        return act()
    except PermissionDenied as error:
        if error.field not in form.fields:
            raise Forbidden(error.message) from None
        # A refusal over what was typed (their own words to approve) keeps the words on the form.
        form.refusal = error
        form.add_error(error.field, error.message)
        return None
    except ClearlineError as error:
        form.refusal = error
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def posted(request: HttpRequest):
    """The form data of a POST; None on a GET, so the form starts unbound."""
    return request.POST if request.method == "POST" else None


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
