"""Permission checks the services share; `by=None` is clearline itself (CLI, demo, import)."""

from clearline.core.errors import PermissionDenied


def require_perm(by, perm: str) -> None:
    """People must hold `perm`; clearline itself may do anything."""
    if by is not None and not by.has_perm(perm):
        raise PermissionDenied()


def may_approve(by, incident, *, approve_perm: str, change_perm: str) -> bool:
    """Approvers approve; so does the incident's own commander while they may edit the text."""
    if by is None or by.has_perm(approve_perm):
        return True
    return by.pk is not None and by.pk == incident.commander_id and by.has_perm(change_perm)


def person(by):
    """Who to record as having acted: the person, or None when clearline itself acted."""
    return by if by is not None and by.pk else None
