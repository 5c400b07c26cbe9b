from typing import Any

from django.db import models

from clearline.core import permissions
from clearline.core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write the audit entry for a change; call inside the change's own transaction.

    `actor` is a person or `permissions.SYSTEM` (recorded as nobody: clearline itself)."""
    return AuditEntry.objects.create(
        actor=permissions.person(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:300],
        changes=changes or {},
    )


def diff(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The fields that changed, as {field: [old, new]} in JSON-safe form."""
    changed = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            changed[name] = [_plain(old), _plain(new)]
    return changed


def snapshot_fields(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
