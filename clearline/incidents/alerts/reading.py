"""Careful reading of a webhook body: every refusal names the field at fault."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from clearline.core import clock
from clearline.core.errors import ClearlineError

# Alertmanager writes Go's zero time for "no end yet".
ZERO_TIME_YEAR = 1


def mapping(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ClearlineError(f"{field} must be a JSON object.", field=field)
    return value


def optional_mapping(value: Any, field: str) -> dict[str, Any]:
    return {} if value is None else mapping(value, field)


def text(value: Any, field: str, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ClearlineError(f"{field} must be a non-empty string.", field=field)
    return value.strip()


def labels(value: Any, field: str) -> dict[str, str]:
    """A label or annotation set: string keys to string values."""
    result = {}
    for key, item in optional_mapping(value, field).items():
        if not isinstance(item, str):
            raise ClearlineError(f"{field}.{key} must be a string.", field=field)
        result[key] = item
    return result


def moment(value: Any, field: str, *, required: bool = True) -> datetime | None:
    """An RFC 3339 time; Go's zero time and absent values read as None when allowed."""
    if value in (None, "") and not required:
        return None
    if not isinstance(value, str):
        raise ClearlineError(f"{field} must be an RFC 3339 time.", field=field)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        message = f"{field} is not an RFC 3339 time: {value[:40]!r}."
        raise ClearlineError(message, field=field) from None
    if timezone.is_naive(parsed):
        raise ClearlineError(f"{field} must carry a time zone.", field=field)
    if parsed.year == ZERO_TIME_YEAR:
        if required:
            raise ClearlineError(f"{field} must be a real time.", field=field)
        return None
    return parsed


def doubtful(value: datetime | None) -> bool:
    """A sender's time no clock could have meant: before clearline's earliest date, or years
    ahead. The alert still counts; only its time is set aside."""
    return value is not None and bool(
        clock.implausible(value, now=timezone.now(), ahead=clock.PLAN_AHEAD)
    )


def not_after_now(value: datetime | None) -> datetime:
    """The time to record for a sender's time: its own, but never in the future (another
    machine's clock may run ahead), and the time of arrival for none or a doubtful one."""
    now = timezone.now()
    return now if value is None or value > now or doubtful(value) else value


def clip(value: str, length: int) -> str:
    return value if len(value) <= length else value[: length - 1].rstrip() + "…"
