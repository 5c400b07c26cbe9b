"""Late questions: what customers ask once the incident is resolved, answered in public as dated
addenda. The answer is an update of kind addendum, so it is checked, approved by a second pair
of eyes and published through the one publish path like every customer text."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clearline.core import audit, clock, limits, permissions
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.models import Incident
from clearline.loop import accounts
from clearline.loop.models import LateQuestion
from clearline.updates import services as updates
from clearline.updates.models import Update, UpdateKind

STILL_OPEN = (
    "This incident is not resolved: log what customers ask in the customer signal, where the "
    "brief answers it while the incident runs."
)


@transaction.atomic
def log_late_question(
    *,
    incident: Incident,
    by,
    text: str,
    account: str = "",
    asked_at: datetime | None = None,
) -> LateQuestion:
    """Record a question asked after the resolution; a key account it names is linked."""
    permissions.require_perm(by, "loop.add_latequestion")
    text, account = (text or "").replace("\r\n", "\n").strip(), " ".join((account or "").split())
    if not text:
        raise ClearlineError("Write the customer's question.", field="text")
    limits.accept(text, limits.SIGNAL_TEXT, field="text")
    limits.accept(account, limits.SIGNAL_ACCOUNT, field="account")
    asked_at = asked_at or timezone.now()
    clock.require_plausible(asked_at, "asked_at")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_resolved:
        raise Conflict(STILL_OPEN, code="not_resolved")
    question = LateQuestion.objects.create(
        incident=incident,
        text=text,
        account=account,
        asked_at=asked_at,
        logged_by=permissions.person(by),
    )
    audit.record(
        actor=by,
        action="late_question.logged",
        obj=question,
        summary=f"Logged a question after the resolution of “{incident.title}”",
        changes={"text": text, "account": account},
    )
    if account:
        accounts.link_named_account(incident=incident, name=account, by=permissions.SYSTEM)
    return question


@transaction.atomic
def draft_answer(*, question: LateQuestion, by, body: str) -> Update:
    """Draft the public answer as an addendum; it goes through approval like any update."""
    question = LateQuestion.objects.select_for_update().get(pk=question.pk)
    if question.addendum_id is not None:
        raise Conflict(
            "This question already has an answer; edit that draft instead.", code="answered"
        )
    addendum = updates.draft_update(
        incident=question.incident,
        by=by,
        body=body,
        status=question.incident.status,
        kind=UpdateKind.ADDENDUM,
    )
    question.addendum = addendum
    question.save(update_fields=["addendum"])
    return addendum
