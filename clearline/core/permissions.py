"""Permission checks the services share; `by=None` is clearline itself (CLI, demo, import)."""

from clearline.core.errors import PermissionDenied

#: Choosing who commands an incident is an approver's call: the commander approves text.
CHOOSE_COMMANDER = "updates.approve_update"
OWN_TEXT = "You wrote this text; another approver must approve it."
# Said in the audit entry of every approval the organisation's self-approval setting allowed.
SELF_APPROVED = " (own text: self-approval is allowed for this organisation)"


def require_perm(by, perm: str) -> None:
    """People must hold `perm`; clearline itself may do anything."""
    if by is not None and not by.has_perm(perm):
        raise PermissionDenied()


def may_approve(by, incident, *, approve_perm: str, change_perm: str) -> bool:
    """Approvers approve; so does the incident's own commander while they may edit the text.

    Only approvers choose the commander, so a responder cannot make themselves one; and
    nobody approves their own words (`second_pair`), commander or not.
    """
    if by is None or by.has_perm(approve_perm):
        return True
    return by.pk is not None and by.pk == incident.commander_id and by.has_perm(change_perm)


def wrote(by, *writer_ids) -> bool:
    """Whether `by` is one of the people who wrote the text (its author or its last editor)."""
    return by is not None and by.pk is not None and by.pk in writer_ids


def second_pair(by, *writer_ids, field: str | None = None) -> bool:
    """Refuse an approval by one of the text's writers, unless the organisation lets a
    one-person team approve its own words. True means that setting was used: the caller
    says so in the approval's audit entry."""
    if not wrote(by, *writer_ids):
        return False
    from clearline.accounts.models import Organisation

    if Organisation.current().allow_self_approval:
        return True
    raise PermissionDenied(OWN_TEXT, field=field)


def self_approval_refusal(by, *writer_ids) -> str:
    """What `second_pair` would refuse with, for pages that hide a button they cannot use."""
    try:
        second_pair(by, *writer_ids)
    except PermissionDenied as refusal:
        return refusal.message
    return ""


def require_commander_choice(by, *, before, after, opening: bool = False) -> None:
    """Only approvers change who commands an incident.

    Opening one, anybody may name an approver as its commander: that gives nobody a right
    they did not hold. Naming anyone else (themselves, say) is an approver's call.
    """
    before_id = getattr(before, "pk", before)
    after_id = getattr(after, "pk", after)
    if before_id == after_id or by is None or by.has_perm(CHOOSE_COMMANDER):
        return
    if opening and after.has_perm(CHOOSE_COMMANDER):
        return
    raise PermissionDenied(
        "Only an approver chooses the incident commander: the commander approves customer text.",
        field="commander",
    )


def person(by):
    """Who to record as having acted: the person, or None when clearline itself acted."""
    return by if by is not None and by.pk else None
