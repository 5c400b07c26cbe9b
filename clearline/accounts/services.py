"""Functions that change accounts: API tokens, the organisation's check settings. One
transaction each."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clearline.accounts.models import ApiToken, Organisation, hash_token
from clearline.core import audit, limits, permissions
from clearline.core.errors import ClearlineError

# Writing on every request would turn each API read into a database write.
LAST_USED_EVERY = timedelta(minutes=1)


@transaction.atomic
def issue_token(*, user, name: str, by) -> tuple[ApiToken, str]:
    """A new token for `user`, issued `by` an admin (or SYSTEM); the raw value is returned once
    and never stored or logged."""
    permissions.require_perm(by, "accounts.add_apitoken")
    if not name.strip():
        raise ClearlineError("Name the token after where it will be used.", field="name")
    limits.accept(name.strip(), limits.TOKEN_NAME, field="name")
    token, raw = ApiToken.issue(user=user, name=name.strip())
    audit.record(
        actor=by,
        action="token.issued",
        obj=token,
        summary=f"Issued API token “{token.name}” ({token.prefix}…) for {user.get_username()}",
    )
    return token, raw


def use_token(*, raw: str, now: datetime | None = None):
    """The active user behind a raw token, or None when it is unknown or revoked.

    Records the use at most once a minute per token, with one conditional UPDATE.
    """
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
    ).update(last_used_at=now)
    return token.user


CHECK_SETTINGS = [
    "check_glossary",
    "check_grade_target",
    "check_max_sentence_words",
    "check_phrases",
    "check_severities",
    "check_disabled",
]


@transaction.atomic
def change_check_settings(*, org: Organisation, by, **settings) -> Organisation:
    """Change how the checks run for the organisation; a setting that does not fit is refused
    with the field it concerns, and nothing is saved."""
    permissions.require_perm(by, "accounts.change_organisation")
    unknown = sorted(set(settings) - set(CHECK_SETTINGS))
    if unknown:
        raise ClearlineError(f"{unknown[0]} is not a check setting.", field=unknown[0])
    if "check_glossary" in settings:
        limits.accept(settings["check_glossary"], limits.GLOSSARY, field="check_glossary")
    for phrases in (settings.get("check_phrases") or {}).values():
        if isinstance(phrases, list) and all(isinstance(p, str) for p in phrases):
            limits.accept("\n".join(phrases), limits.PHRASE_LIST, field="check_phrases")
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before = audit.snapshot_fields(org, CHECK_SETTINGS)
    for name, value in settings.items():
        setattr(org, name, value)
    try:
        org.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ClearlineError(messages[0], field=field) from None
    changes = audit.diff(org, before, CHECK_SETTINGS)
    if changes:
        org.save()
        audit.record(
            actor=by,
            action="organisation.checks_changed",
            obj=org,
            summary="Changed the check settings: "
            + ", ".join(Organisation._meta.get_field(name).verbose_name for name in changes),
            changes=changes,
        )
    return org
