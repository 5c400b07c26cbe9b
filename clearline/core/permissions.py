"""Permission checks the services share.

Every service that changes something takes `by`: the person acting, or `SYSTEM` when clearline
itself acts (the demo loader, the CLI, alert intake). `None` is refused as a programming error,
so a caller that forgot to say who acts fails loudly instead of acting with every right.
"""

from clearline.core.errors import PermissionDenied

#: Choosing who commands an incident is an approver's call: the commander approves text.
CHOOSE_COMMANDER = "updates.approve_update"
OWN_TEXT = "You wrote this text; another approver must approve it."
# Said in the audit entry of every approval the organisation's self-approval setting allowed.
SELF_APPROVED = " (own text: self-approval is allowed for this organisation)"
COMMANDER_CHOICE = (
    "Only an approver chooses the incident commander: the commander approves customer text."
)
NO_ACTOR = "pass a user or permissions.SYSTEM as `by`, not None"


class SystemActor:
    """clearline itself acting on purpose: it may do anything, and is recorded as nobody.

    Stored rows (author, created_by, approver) and audit entries keep NULL for it, which pages
    show as clearline. Only one exists: `SYSTEM`.
    """

    is_system = True
    pk = None
    id = None
    # Not a signed-in person: the audit log and `person()` record nobody for it.
    is_authenticated = False
    is_anonymous = False
    is_active = True

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def __repr__(self) -> str:
        return "permissions.SYSTEM"


SYSTEM = SystemActor()


def actor(by):
    """`by` itself, once it is known to be an actor: `None` is a caller's mistake."""
    if by is None:
        raise TypeError(NO_ACTOR)
    return by


def is_system(by) -> bool:
    return actor(by) is SYSTEM


def require_perm(by, perm: str) -> None:
    """People must hold `perm` (someone signed out holds nothing); SYSTEM may do anything."""
    if is_system(by):
        return
    if not by.is_authenticated or not by.has_perm(perm):
        raise PermissionDenied()


def may_approve(by, incident, *, approve_perm: str, change_perm: str) -> bool:
    """Approvers approve; so does the incident's own commander while they may edit the text.

    Only approvers choose the commander, so a responder cannot make themselves one; and
    nobody approves their own words (`second_pair`), commander or not.
    """
    if is_system(by) or by.has_perm(approve_perm):
        return True
    return by.pk is not None and by.pk == incident.commander_id and by.has_perm(change_perm)


def wrote(by, *writer_ids) -> bool:
    """Whether `by` is one of the people who wrote the text (its author or its last editor)."""
    return actor(by).pk is not None and by.pk in writer_ids


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


def require_commander_choice(by, *, before_id: int | None, after, opening: bool = False) -> None:
    """Only approvers change who commands an incident (from the person whose id is
    `before_id` to `after`, a person or None).

    Opening one, anybody may name an approver as its commander: that gives nobody a right
    they did not hold. Naming anyone else (themselves, say) is an approver's call.
    """
    after_id = after.pk if after is not None else None
    if is_system(by) or before_id == after_id or by.has_perm(CHOOSE_COMMANDER):
        return
    if opening and after.has_perm(CHOOSE_COMMANDER):
        return
    raise PermissionDenied(COMMANDER_CHOICE, field="commander")


def person(by):
    """Who to record as having acted: the person, or None when clearline itself (SYSTEM) acted."""
    return by if actor(by).pk else None
