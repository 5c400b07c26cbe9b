"""The private JSON API at /api/: routers from each app, one error shape for every failure."""

import logging
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from clearline.accounts.api import router as accounts_router
from clearline.core import limits
from clearline.core.api import error_body
from clearline.core.errors import ClearlineError
from clearline.incidents.api import router as incidents_router
from clearline.loop.api import router as loop_router
from clearline.notify.api import router as notify_router
from clearline.reviews.actions.api import router as actions_router
from clearline.reviews.insights.api import router as insights_router
from clearline.reviews.plan_api import router as plan_router
from clearline.reviews.reports.api import router as reports_router
from clearline.reviews.review_api import router as review_router
from clearline.updates.api import router as updates_router
from clearline.updates.checks_api import router as checks_router
from clearline.updates.compose_api import router as compose_router

log = logging.getLogger(__name__)


class ClearlineAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # `publish_update`, not `clearline_updates_api_publish_update`: generated clients read it.
        return operation.view_func.__name__


class JsonObjects(Parser):
    """Every operation takes a JSON object; anything else, and strings no database stores, are
    refused here, naming where they are, before a schema or a service sees them."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = limits.read_json(request.body)
        if not isinstance(data, dict):
            refusal = ClearlineError("Send a JSON object.", field="body")
            refusal.status = 422
            raise refusal
        return data


api = ClearlineAPI(
    title="clearline API",
    version="1",
    description=(
        "The private API of clearline's update desk. Send `Authorization: Bearer <token>`; "
        "tokens are issued in the admin. Every failure answers "
        '`{"detail": ..., "errors": [{"field": ..., "message": ...}]}`.'
    ),
    urls_namespace="api",
    parser=JsonObjects(),
)
api.add_router("", accounts_router)
api.add_router("", incidents_router)
api.add_router("", updates_router)
api.add_router("", compose_router)
api.add_router("", checks_router)
api.add_router("", notify_router)
api.add_router("", review_router)
api.add_router("", actions_router)
api.add_router("", plan_router)
api.add_router("", insights_router)
api.add_router("", reports_router)
api.add_router("", loop_router)

# Clearer words than pydantic's for the mistakes people make most.
MESSAGES = {
    "missing": "This field is required.",
    "timezone_aware": "Give the time with a time zone, e.g. 2025-05-01T09:30:00+02:00.",
}


def _field(loc: list | tuple) -> str | None:
    """`["body", "payload", "components", 0, "status"]` → `"components.0.status"`."""
    parts = list(loc[1:])  # drop the location: body, query, path
    if loc and loc[0] == "body" and parts:
        parts = parts[1:]  # drop the name of the body argument
    return ".".join(str(part) for part in parts) or None


def _respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _message(error: dict) -> str:
    if error.get("type") == "string_too_long":  # the words of docs/limits.md, as the desk says
        return limits.too_long(error["ctx"]["max_length"], len(error.get("input") or ""))
    return MESSAGES.get(error.get("type"), error.get("msg", ""))


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [(_field(error.get("loc", ())), _message(error)) for error in exc.errors]
    named = ", ".join(field for field, _ in errors if field)
    detail = f"Check these fields: {named}." if named else "The request does not fit the schema."
    return _respond(request, 422, error_body(detail, errors))


@api.exception_handler(ClearlineError)
def refused(request: HttpRequest, exc: ClearlineError) -> HttpResponse:
    errors = [(exc.field, exc.message)] if exc.field else []
    return _respond(request, exc.status, error_body(exc.message, errors))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message
    if detail == "Unauthorized":
        detail = "Send an API token: Authorization: Bearer <token>."
    response = _respond(request, 401, error_body(detail))
    response["WWW-Authenticate"] = 'Bearer realm="clearline"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ClearlineError):  # the body parser's refusal, wrapped by ninja
        return refused(request, exc.__cause__)
    return _respond(request, exc.status_code, error_body(exc.message))


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _respond(request, 413, error_body(limits.too_big(limits.API_REQUEST_BYTES)))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, error_body(str(exc) or "Not found."))


@api.exception_handler(Exception)
def failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API request failed: %s %s", request.method, request.path)
    return _respond(request, 500, error_body("Something went wrong on our side; try again."))


def urls():
    """The API's URL patterns, answering a wrong method in the error shape too."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _method_not_allowed_in_shape(pattern.callback)
    return patterns, app_name, namespace


def _method_not_allowed_in_shape(view):
    @wraps(view)
    def shaped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response["Allow"]
        shaped_response = _respond(
            request, 405, error_body(f"{request.method} is not allowed here; use {allowed}.")
        )
        shaped_response["Allow"] = allowed
        return shaped_response

    return shaped


@csrf_exempt
def unknown_address(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Addresses under /api/ that name no operation get the same error shape."""
    return _respond(request, 404, error_body(f"There is no API operation at {request.path}."))
