"""Small factories: build the world a test needs through the same services people use."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from clearline.accounts.roles import grant
from clearline.core.permissions import SYSTEM
from clearline.incidents import services as incidents
from clearline.incidents.models import Component, ComponentGroup
from clearline.updates.services import (
    approval_refusal,
    approve_update,
    content_hash_of,
    draft_update,
    needs_approval,
    publish_update,
)

PASSWORD = "a-long-test-password-1"


def make_user(username: str, role: str | None):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.com"
    )
    if role:
        grant(user, role)
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def make_component(name: str = "Web app", *, group: str | None = None, **fields) -> Component:
    group_obj = ComponentGroup.objects.get_or_create(name=group)[0] if group else None
    return Component.objects.create(name=name, group=group_obj, **fields)


def make_incident(
    *,
    title: str = "Sign-in fails for some users",
    body: str | None = None,
    status: str = "investigating",
    by=SYSTEM,
    components=None,
    published=True,
    started_ago=timedelta(minutes=30),
    **fields,
):
    incident = incidents.open_incident(
        by=by,
        title=title,
        started_at=timezone.now() - started_ago,
        components=components or {},
        **fields,
    )
    if published:
        publish(incident, body or f"Update on {title}.", status=status, by=by)
    return incident


def publish(
    incident,
    body: str,
    *,
    status: str = "investigating",
    by=SYSTEM,
    audience: str = "public",
    now=None,
):
    """Publish as `by`. A person publishes approved text: they approve it themselves when they
    may (never their own words), otherwise clearline (SYSTEM) does, overriding whatever the
    checks find in a test's short text."""
    update = draft_update(incident=incident, by=by, body=body, status=status, audience=audience)
    if by is not SYSTEM and needs_approval(update):
        may = not approval_refusal(by, incident, update)
        approve(update, by=by if may else SYSTEM)
    return publish_update(update=update, by=by, now=now)


def approve(update, *, by=SYSTEM, reason: str = "Short text written for a test."):
    """Approve the update's current text; `reason` is kept only if the checks find errors."""
    return approve_update(
        update=update, by=by, content_hash=content_hash_of(update), override_reason=reason
    )


def make_alert_source(kind: str = "alertmanager", *, name: str | None = None, **fields):
    """An alert source and the secret its tool would send (a token, or a signing secret)."""
    from clearline.incidents.alerts.auth import new_token, set_secret
    from clearline.incidents.models import AlertSource

    source = AlertSource(kind=kind, name=name or f"Production {kind}", **fields)
    secret = new_token()
    set_secret(source, secret)
    source.save()
    return source, secret


def run_jobs() -> None:
    """Run every queued job as a worker would, without the periodic ones: what a publish or an
    edit queued (the status-page render among them) is then done."""
    run_worker(periodic=False)


def run_worker(*, periodic: bool = True) -> None:
    """`clearline worker --batch`, in this process and on this test's connection."""
    from django.db import connection
    from django_tasks_db.management.commands import db_worker

    from clearline import worker

    keep = db_worker.close_old_connections
    if connection.in_atomic_block:
        # Inside the test's transaction the worker must not close the connection that holds it
        # (it closes one outside autocommit); Django's test client leaves it open likewise.
        db_worker.close_old_connections = lambda: None
    try:
        worker.run(batch=True, periodic=periodic)
    finally:
        db_worker.close_old_connections = keep


def organisation_admin_form(org, *, leave_out: tuple[str, ...] = ()) -> dict:
    """The organisation's admin form as the page holds it: every field as saved, the JSON
    settings as typed, and no logo uploaded (the file box is left empty)."""
    from django.forms.models import model_to_dict

    data = {
        k: v
        for k, v in model_to_dict(org).items()
        if v is not None and k != "logo" and k not in leave_out
    }
    return data | {"check_phrases": "{}", "check_severities": "{}", "check_disabled": "[]"}
