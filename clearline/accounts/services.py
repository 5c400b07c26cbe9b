"""Functions that change accounts: API tokens. One transaction each."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clearline.accounts.models import ApiToken, hash_token
from clearline.core import audit
from clearline.core.errors import ClearlineError

# Writing on every request would turn each API read into a database write.
LAST_USED_EVERY = timedelta(minutes=1)


@transaction.atomic
def issue_token(*, user, name: str, by=None) -> tuple[ApiToken, str]:
    """A new token for `user`; the raw value is returned once and never stored or logged."""
    if not name.strip():
        raise ClearlineError("Name the token after where it will be used.", field="name")
    token, raw = ApiToken.issue(user=user, name=name.strip())
    audit.record(
        actor=by or user,
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
