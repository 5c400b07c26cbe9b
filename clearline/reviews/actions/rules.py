"""CL151 and CL153 for one action item, as the checking engine reads them in a review.

CL151 incomplete-action-item: an item needs one owner, a due date and a clear outcome (as many
words as the engine asks of an item in a review's list). CL153 vague-action: the engine itself
reads the outcome as kind `review`, with the organisation's settings, and its CL153 finding is
taken as it stands, so the desk, the API and a review's text agree on what is vague.

A vague outcome is refused unless the writer gives a reason to keep it (`override_reason`): the
catalog ranks CL153 a warning, because a phrase list can misread a concrete change ("improve
monitoring of the payout queue with an alert at 500 waiting"); a reason on record keeps the team
moving on such a misreading while a plain "be more careful" cannot slip through unnoticed. The
reason is kept on the item, in its audit entry and in the export.
"""

from datetime import date

from clearline.checks import Finding, check
from clearline.checks.catalog import RULES
from clearline.checks.reviews import OUTCOME_WORDS, has_clear_outcome
from clearline.core.errors import ClearlineError
from clearline.updates import checking

INCOMPLETE, VAGUE = "CL151", "CL153"
_NAMES = {rule.code: rule.name for rule in RULES}


class ActionRefused(ClearlineError):
    """An action item the rules refuse; `finding` says which rule and what to write instead."""

    status = 422

    def __init__(self, finding: Finding, *, field: str):
        super().__init__(
            f"{finding.code} {finding.rule}: {finding.message}", field=field, code=finding.code
        )
        self.finding = finding


def _incomplete(field: str, message: str, suggestion: str) -> ActionRefused:
    finding = Finding(_NAMES[INCOMPLETE], INCOMPLETE, "error", message, None, None, suggestion)
    return ActionRefused(finding, field=field)


def require_complete(*, outcome: str, owner, due_date: date | None) -> None:
    """CL151: refused naming the first of outcome, owner and due date that is missing."""
    if not outcome:
        raise _incomplete(
            "outcome",
            "The action item has no outcome.",
            "Write the one change it delivers, e.g. 'Alert the on-call engineer when invoice "
            "emails wait more than 10 minutes'.",
        )
    if owner is None:
        raise _incomplete(
            "owner",
            "The action item has no owner.",
            "Name the one person who sees it through; a team owns nothing.",
        )
    if due_date is None:
        raise _incomplete(
            "due_date",
            "The action item has no due date.",
            "Give the date it will be done by; a later date is better than none.",
        )


def vague_finding(outcome: str) -> Finding | None:
    """The engine's CL153 finding on the outcome, or None when it names a concrete change."""
    report = check(outcome, kind="review", config=checking.config())
    return next((f for f in report.findings if f.code == VAGUE), None)


def require_clear(outcome: str, override_reason: str) -> str:
    """CL153, then CL151 on the words: the reason kept with the item ("" when the outcome is
    concrete). A vague outcome without a reason is refused, and so is one too short to say
    what changes (a reason does not make "Monitoring better" an outcome)."""
    finding = vague_finding(outcome)
    if finding is not None and not override_reason:
        raise ActionRefused(finding, field="outcome")
    if not has_clear_outcome(outcome):
        raise _incomplete(
            "outcome",
            f"“{outcome}” is not a clear outcome (fewer than {OUTCOME_WORDS} words).",
            "Say what will exist or be true when it is done, e.g. 'Time a restore of the "
            "invoices database from last night's backup'.",
        )
    return override_reason if finding is not None else ""
