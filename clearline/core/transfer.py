"""Export everything to one JSON document and restore it exactly into an empty database."""

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import DatabaseError, transaction

from clearline.core import outbox
from clearline.core.errors import ClearlineError
from clearline.core.models import EventKind

FORMAT = "clearline-export"
VERSION = 1
# Parents before children, so a restore never points at a row that is not there yet.
MODELS = [
    "auth.user",
    "accounts.organisation",
    "accounts.apitoken",
    "incidents.componentgroup",
    "incidents.component",
    "incidents.incident",
    "incidents.affectedcomponent",
    "incidents.segment",
    "incidents.timelineentry",
    "incidents.fact",
    "incidents.maintenance",
    "incidents.alertsource",
    "incidents.alertlink",
    "notify.subscriber",
    "updates.update",
    "reports.report",
    "brief.questiongroup",
    "brief.customersignal",
    "brief.answer",
    "reviews.actionitem",
    "loop.keyaccount",
    "loop.incidentaccount",
    "loop.followup",
    "loop.latequestion",
    "promises.reminder",
    "reviews.review",
    "reviews.attendee",
    "reviews.why",
    "reviews.contributingfactor",
    "reviews.planitem",
    "core.auditentry",
]


def _querysets():
    for label in MODELS:
        model = apps.get_model(label)
        yield model.objects.order_by("pk")


def _exact(value: Any) -> Any:
    # Full microseconds: Django's JSON encoder keeps only milliseconds, which is not exact.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def export_json() -> str:
    objects = []
    for queryset in _querysets():
        for item in serializers.serialize("python", queryset, use_natural_foreign_keys=True):
            if item["model"] == "auth.user":
                # Roles travel as group names; per-user permissions are not used by clearline.
                item["fields"]["user_permissions"] = []
            objects.append(item)
    document = {"format": FORMAT, "version": VERSION, "objects": objects}
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False, default=_exact) + "\n"


def _is_empty() -> bool:
    return (
        not any(
            apps.get_model(label).objects.exists()
            for label in MODELS
            if label not in {"accounts.organisation", "core.auditentry"}
        )
        and not get_user_model().objects.exists()
    )


def import_json(text: str) -> int:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ClearlineError(f"Not a JSON file: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ClearlineError("Not a clearline export (the format field is missing or wrong).")
    if document.get("version") != VERSION:
        raise ClearlineError(f"Export version {document.get('version')} is not supported.")
    from clearline.accounts.roles import ensure_roles

    ensure_roles()
    with transaction.atomic():
        if not _is_empty():
            raise ClearlineError("The database already holds data; import into an empty one.")
        apps.get_model("accounts.organisation").objects.all().delete()
        apps.get_model("core.auditentry").objects.all().delete()
        count = 0
        try:
            for obj in serializers.deserialize(
                "json", json.dumps(document["objects"]), handle_forward_references=True
            ):
                obj.save()
                count += 1
        except (serializers.base.DeserializationError, DatabaseError, TypeError, KeyError) as error:
            raise ClearlineError(f"The export is damaged: {error}") from None
        _reset_sequences()
        # The page is behind until a render shows the import; `clearline import` renders it
        # all at once, the worker's catch-up does otherwise.
        outbox.publish(EventKind.PAGE_CHANGED)
    return count


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    models = [apps.get_model(label) for label in MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
