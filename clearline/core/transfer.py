"""Export everything to one JSON document and restore it exactly into an empty database."""

import base64
import binascii
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.db import DatabaseError, models, transaction

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
    # Uploaded files (the organisation's logo) travel inside the export, so a restore on
    # another machine has them too; optional, so older exports still import.
    document = {"format": FORMAT, "version": VERSION, "objects": objects, "files": _files(objects)}
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False, default=_exact) + "\n"


def _file_fields() -> dict[str, list[models.FileField]]:
    """The file fields of each exported model, by its label."""
    found: dict[str, list[models.FileField]] = {}
    for label in MODELS:
        for field in apps.get_model(label)._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.setdefault(label, []).append(field)
    return found


def _files(objects: list[dict[str, Any]]) -> dict[str, str]:
    """Each uploaded file an exported row names, by its name, base64-encoded. A file lost
    from disk is left out: its row keeps the name, as the database does."""
    fields = _file_fields()
    found: dict[str, str] = {}
    for item in objects:
        for field in fields.get(item["model"], ()):
            name = item["fields"].get(field.name)
            if not name or name in found:
                continue
            try:
                with field.storage.open(name, "rb") as handle:
                    found[name] = base64.b64encode(handle.read()).decode("ascii")
            except OSError:
                continue
    return found


def _restore_files(files: Any, saved: list[models.Model]) -> list[tuple[Any, str]]:
    """Write the export's files where the imported rows expect them; the files written, for
    the caller to remove if the import fails after all. A name no row uses, or content that is
    not base64, means the export was altered: nothing is written."""
    if not isinstance(files, dict):
        raise ClearlineError("The export is damaged: its files are not a name → content map.")
    wanted: dict[str, list[tuple[models.Model, models.FileField]]] = {}
    fields = _file_fields()
    for obj in saved:
        for field in fields.get(obj._meta.label_lower, ()):
            name = getattr(obj, field.attname).name
            if name:
                wanted.setdefault(name, []).append((obj, field))
    contents = {}
    for name, encoded in files.items():
        if name not in wanted:
            raise ClearlineError(f"The export is damaged: no row uses the file {name!r}.")
        try:
            contents[name] = base64.b64decode(encoded, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise ClearlineError(
                f"The export is damaged: the file {name!r} is unreadable."
            ) from None
    written: list[tuple[Any, str]] = []
    try:
        for name, data in contents.items():
            users = wanted[name]
            storage = users[0][1].storage
            # A file of that name already on disk is kept; the rows then point at the copy.
            stored = storage.save(name, ContentFile(data))
            written.append((storage, stored))
            if stored != name:
                for obj, field in users:
                    type(obj).objects.filter(pk=obj.pk).update(**{field.attname: stored})
    except Exception:
        _remove(written)
        raise
    return written


def _remove(written: list[tuple[Any, str]]) -> None:
    for storage, name in written:
        storage.delete(name)


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
    written: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            if not _is_empty():
                raise ClearlineError("The database already holds data; import into an empty one.")
            apps.get_model("accounts.organisation").objects.all().delete()
            apps.get_model("core.auditentry").objects.all().delete()
            saved = []
            try:
                for obj in serializers.deserialize(
                    "json", json.dumps(document["objects"]), handle_forward_references=True
                ):
                    obj.save()
                    saved.append(obj.object)
            except (
                serializers.base.DeserializationError,
                DatabaseError,
                TypeError,
                KeyError,
            ) as error:
                raise ClearlineError(f"The export is damaged: {error}") from None
            _reset_sequences()
            # The page is behind until a render shows the import; `clearline import` renders
            # it all at once, the worker's catch-up does otherwise.
            outbox.publish(EventKind.PAGE_CHANGED)
            # The files last: only the commit can fail after them.
            written = _restore_files(document.get("files", {}), saved)
    except BaseException:
        _remove(written)  # the rows were rolled back: their files go too
        raise
    return len(saved)


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    models = [apps.get_model(label) for label in MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
