"""What a refused write must leave as it was: every row clearline keeps and the public snapshot.

    with nothing_changes():
        response = client.post(...)
    assert response.status_code == 403

The state is every row of every clearline model (the audit log and the timeline among them),
the people with their roles and tokens, the task queue, and the files of the snapshot folder,
each as plain values, so a changed field, a row added or a file written shows in the failure
with what it was and what it became.
"""

import hashlib
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

# Noted by reading, not by changing anything: using a token records when.
NOT_A_CHANGE = {"accounts.ApiToken": {"last_used_at"}}


def _models():
    user = get_user_model()
    yield from (m for m in apps.get_models() if m.__module__.startswith("clearline."))
    yield user
    yield user.groups.through
    yield user.user_permissions.through
    yield apps.get_model("django_tasks_database", "DBTaskResult")


def _files() -> dict[str, str]:
    folder = Path(settings.CLEARLINE_SNAPSHOT_DIR)
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def state() -> dict[str, dict]:
    """Every row that matters, by model and primary key, and the snapshot folder's files."""
    rows = {}
    for model in _models():
        ignored = NOT_A_CHANGE.get(model._meta.label, set())
        rows[model._meta.label] = {
            row["pk"]: {k: v for k, v in row.items() if k not in ignored and k != "pk"}
            for row in model._default_manager.order_by("pk").values("pk", *_fields(model))
        }
    rows["snapshot folder"] = _files()
    return rows


def _fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def differences(before: dict, after: dict) -> list[str]:
    """What changed between two states, one readable line per row or file."""
    lines = []
    for label in before:
        old, new = before[label], after[label]
        if old == new:
            continue
        for key in sorted(new.keys() - old.keys(), key=str):
            lines.append(f"{label} {key} added: {new[key]}")
        for key in sorted(old.keys() - new.keys(), key=str):
            lines.append(f"{label} {key} removed: {old[key]}")
        for key in sorted(old.keys() & new.keys(), key=str):
            if old[key] != new[key]:
                if isinstance(old[key], dict):
                    changed = {
                        name: f"{old[key][name]!r} -> {new[key][name]!r}"
                        for name in old[key]
                        if old[key][name] != new[key][name]
                    }
                else:
                    changed = f"{old[key]} -> {new[key]}"
                lines.append(f"{label} {key} changed: {changed}")
    return lines


@contextmanager
def nothing_changes():
    """Fail, naming each difference, if the block changed a row or a snapshot file."""
    from clearline.accounts.models import Organisation

    Organisation.current()  # made on first read by any page: not a change a request makes
    before = state()
    yield
    changed = differences(before, state())
    assert not changed, "A refused request changed:\n" + "\n".join(changed)


@contextmanager
def audited():
    """The audit entries the block wrote, oldest first, as (action, actor, object type, id):

    with audited() as entries:
        response = client.post(...)
    assert entries == [("incident.opened", "sam", "incidents.incident", str(incident.pk))]
    """
    from clearline.core.models import AuditEntry

    seen = set(AuditEntry.objects.values_list("pk", flat=True))
    entries: list[tuple] = []
    yield entries
    written = AuditEntry.objects.exclude(pk__in=seen).select_related("actor").order_by("id")
    entries.extend(
        (e.action, e.actor.get_username() if e.actor else None, e.object_type, e.object_id)
        for e in written
    )
