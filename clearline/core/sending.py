"""The claim that lets exactly one worker send a message kept as a row.

A row (a reminder, an invitation) has `claimed_at`, `sent_at` and `attempts`. The conditional
UPDATE takes it only when it is unsent, has tries left, and nobody holds it, or the one who did
let the lease lapse (a worker killed mid-send), so several workers can share a database.
"""

from datetime import datetime, timedelta

from django.db.models import F, Model, Q


def claim_to_send(
    model: type[Model], pk: int, *, now: datetime, lease: timedelta, max_attempts: int
) -> bool:
    """True when this call took the row `pk` of `model` for sending (one more attempt)."""
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease)
    claimed = model.objects.filter(
        claimable, pk=pk, sent_at__isnull=True, attempts__lt=max_attempts
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1
