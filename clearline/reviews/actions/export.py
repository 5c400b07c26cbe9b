"""Action items as one document each: the API's answer, the JSON and CSV export, and the data
of a tracker's webhook are this same document, so they never disagree.

Times are ISO 8601 in the organisation's zone, dates YYYY-MM-DD. In CSV a cell that a
spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, so an outcome typed as "=HYPERLINK(…)" stays text.
"""

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.core.clock import in_zone
from clearline.reviews.actions.selectors import is_overdue
from clearline.reviews.models import ActionItem

COLUMNS = [
    "id",
    "incident",
    "incident_title",
    "outcome",
    "category",
    "owner",
    "owner_name",
    "due_date",
    "status",
    "overdue",
    "override_reason",
    "evidence_url",
    "evidence_note",
    "wont_do_reason",
    "created_by",
    "created_at",
    "closed_by",
    "closed_at",
    "desk_url",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def today_for(now: datetime) -> date:
    return timezone.localdate(now, Organisation.current().zone)


def org_time(value: datetime) -> str:
    return in_zone(value, Organisation.current().zone).isoformat()


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def desk_url(item: ActionItem) -> str:
    return f"{settings.SITE_URL}{reverse('desk:incident', args=[item.incident_id])}#actions"


def document(item: ActionItem, *, on: date) -> dict[str, Any]:
    """The item as plain values (times in the organisation's zone), overdue as of the date `on`."""
    zone = Organisation.current().zone
    return {
        "id": item.public_id,
        "incident": item.incident.public_id,
        "incident_title": item.incident.title,
        "outcome": item.outcome,
        "category": item.category,
        "owner": item.owner.get_username(),
        "owner_name": item.owner.get_full_name() or item.owner.get_username(),
        "due_date": item.due_date,
        "status": item.status,
        "overdue": is_overdue(item, on=on),
        "override_reason": item.override_reason,
        "evidence_url": item.evidence_url,
        "evidence_note": item.evidence_note,
        "wont_do_reason": item.wont_do_reason,
        "created_by": _username(item.created_by),
        "created_at": in_zone(item.created_at, zone),
        "closed_by": _username(item.closed_by),
        "closed_at": in_zone(item.closed_at, zone) if item.closed_at else None,
        "desk_url": desk_url(item),
    }


def documents(items: Iterable[ActionItem], *, now: datetime | None = None) -> list[dict]:
    on = today_for(now or timezone.now())
    return [document(item, on=on) for item in items]


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__}")


def as_json_value(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as JSON types only (for a stored payload)."""
    return json.loads(json.dumps(doc, default=_plain))


def to_json(items: Iterable[ActionItem], *, now: datetime | None = None) -> str:
    return json.dumps(documents(items, now=now), default=_plain, ensure_ascii=False, indent=2)


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text, never runs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = _plain(value) if isinstance(value, date | datetime) else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def to_csv(items: Iterable[ActionItem], *, now: datetime | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for doc in documents(items, now=now):
        writer.writerow([safe_cell(doc[column]) for column in COLUMNS])
    return out.getvalue()
