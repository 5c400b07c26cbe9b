"""The API's one error shape and its time type, shared by every router."""

from collections.abc import Iterable, Sequence
from typing import Annotated, Any, TypeVar

from django.http import Http404
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AwareDatetime, PlainSerializer, WithJsonSchema

from clearline.core import limits

# Aware on the way in (a naive time is a 422 naming the field), ISO 8601 with offset on the way out.
Timestamp = Annotated[
    AwareDatetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class FieldError(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every failure: 400 bad input, 401 no valid token, 403 not allowed, 404 unknown id,
    409 conflict (`current` holds what is stored now), 413 a body over the size limit, 422 a
    request that does not fit the schema (a text over its limit too) or text the checks refuse.
    Refusals over the checks carry the check `findings`.
    """

    detail: str
    errors: list[FieldError]
    current: dict[str, Any] | None = None
    findings: list[dict[str, Any]] | None = None


def error_body(
    detail: str, errors: Sequence[tuple[str | None, str]] = (), **extra: Any
) -> dict[str, Any]:
    return {
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors],
        **extra,
    }


def arguments(payload: Schema, names: Iterable[str] | None = None) -> dict[str, Any]:
    """Payload fields as keyword arguments for a service (all declared fields by default; none
    when `names` is empty, as for a PATCH that changes nothing)."""
    names = type(payload).model_fields if names is None else names
    return {name: getattr(payload, name) for name in names}


class Pages(LimitOffsetPagination):
    """`?limit=&offset=` with bounds, so no number a client sends reaches the database's own
    integer limits (a 422 naming the parameter instead)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=limits.PAGE_SIZE)
        offset: int = Field(0, ge=0, le=limits.PAGE_OFFSET)


# 400 and 413 come before any operation runs too: a body that is not JSON or is too large
# (docs/limits.md), a NUL in the address.
_READ_ERRORS = (400, 401, 403, 404, 413, 422)
_WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 422)


def reads(schema: Any) -> dict[int, Any]:
    """The documented responses of an operation that only reads."""
    return {200: schema, **{code: ErrorOut for code in _READ_ERRORS}}


def writes(schema: Any, status: int = 200) -> dict[int, Any]:
    """The documented responses of an operation that changes something."""
    return {status: schema, **{code: ErrorOut for code in _WRITE_ERRORS}}


Found = TypeVar("Found")


def found(item: Found | None, what: str, key: object) -> Found:
    """`item`, or a 404 that names what was looked for."""
    if item is None:
        raise Http404(f"No {what} has the id {key!r}.")
    return item
