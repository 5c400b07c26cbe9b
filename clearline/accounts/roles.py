"""The role → permission table, in one place. Roles are groups; each includes the one above."""

from django.contrib.auth.models import Group, Permission

VIEWER = "viewer"
RESPONDER = "responder"
APPROVER = "approver"
ADMIN = "admin"
ROLES = [VIEWER, RESPONDER, APPROVER, ADMIN]

_VIEW = [
    "incidents.view_incident",
    "incidents.view_component",
    "incidents.view_componentgroup",
    "incidents.view_timelineentry",
    "incidents.view_fact",
    "incidents.view_maintenance",
    "updates.view_update",
    "notify.view_subscriber",
    "brief.view_answer",
    "brief.view_questiongroup",
    "brief.view_customersignal",
    # Support logs what customers report and ask.
    "brief.add_customersignal",
    "notify.view_delivery",
    "reviews.view_review",
    "reviews.view_actionitem",
    "reviews.view_planitem",
    "loop.view_keyaccount",
    "loop.view_incidentaccount",
    "loop.view_followup",
    "loop.view_latequestion",
    # Support logs the questions customers send after the resolution, as they log the signal.
    "loop.add_latequestion",
]
_RESPOND = [
    "incidents.add_incident",
    "incidents.change_incident",
    "incidents.add_timelineentry",
    "incidents.change_timelineentry",
    "incidents.add_fact",
    "incidents.change_fact",
    "incidents.change_component",
    "updates.add_update",
    "updates.change_update",
    "updates.publish_update",
    "brief.add_answer",
    "brief.change_answer",
    # Retrying a dead letter: whoever publishes may see that every subscriber was told.
    "notify.change_delivery",
    # The blameless review: proposing one by hand, scheduling it, the write-up, the room.
    "reviews.add_review",
    "reviews.change_review",
    "reviews.add_actionitem",
    "reviews.change_actionitem",
    # Marking a first-week step not needed, with a reason.
    "reviews.change_planitem",
    # Key accounts: kept and imported, linked to incidents, their follow-ups closed.
    "loop.add_keyaccount",
    "loop.change_keyaccount",
    "loop.add_incidentaccount",
    # Taking back a link made by mistake (its open follow-up goes with it).
    "loop.delete_incidentaccount",
    "loop.change_followup",
]
_APPROVE = ["updates.approve_update", "brief.approve_answer"]
_ADMIN = [
    "incidents.add_component",
    "incidents.delete_component",
    "incidents.add_componentgroup",
    "incidents.change_componentgroup",
    "incidents.delete_componentgroup",
    "incidents.add_maintenance",
    "incidents.change_maintenance",
    "incidents.delete_maintenance",
    "incidents.view_alertsource",
    "incidents.add_alertsource",
    "incidents.change_alertsource",
    "incidents.delete_alertsource",
    "incidents.view_alertlink",
    "incidents.delete_alertlink",
    "accounts.change_organisation",
    "accounts.view_organisation",
    "accounts.add_apitoken",
    "accounts.view_apitoken",
    "accounts.change_apitoken",
    "core.view_auditentry",
    "notify.add_subscriber",
    "notify.change_subscriber",
    "notify.delete_subscriber",
    "promises.view_reminder",
    # The record of each event sent to the action-item tracker, and of each try.
    "reviews.view_actionwebhook",
    "reviews.view_actionwebhookattempt",
    # A review's room, write-up and invitations, read in the admin (changed on the review page).
    "reviews.view_attendee",
    "reviews.view_why",
    "reviews.view_contributingfactor",
    "reviews.view_invitation",
    "brief.change_customersignal",
    "brief.delete_customersignal",
    # Lifting a sign-in lockout is deleting its record of wrong passwords.
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    VIEWER: _VIEW,
    RESPONDER: _VIEW + _RESPOND,
    APPROVER: _VIEW + _RESPOND + _APPROVE,
    ADMIN: _VIEW + _RESPOND + _APPROVE + _ADMIN,
}


def ensure_roles() -> None:
    """Create or refresh the role groups so they match the table above."""
    # One query for every permission: this runs for each person a test or the demo creates.
    known = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.select_related("content_type").filter(
            codename__in={
                code.split(".")[1] for codes in ROLE_PERMISSIONS.values() for code in codes
            }
        )
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([known[code] for code in codes if code in known])


def grant(user, role: str) -> None:
    """Give a user a role (and nothing else)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    group = Group.objects.filter(name=role).first()
    if group is None:  # migrate creates the groups; refresh them only when one is missing
        ensure_roles()
        group = Group.objects.get(name=role)
    user.groups.set([group])
    if role == ADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in reversed(ROLES):
        if role in names:
            return role
    return None
