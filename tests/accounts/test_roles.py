"""Each role holds exactly the permissions written out below, and a person gets one role.

The lists are written out here on purpose, not read from clearline.accounts.roles: a right
added to or taken from a role by a change to that table fails here until this file agrees.
"""

from django.contrib.auth.models import Group

from clearline.accounts.roles import ensure_roles

VIEWER = {
    "brief.add_customersignal",
    "brief.view_answer",
    "brief.view_customersignal",
    "brief.view_questiongroup",
    "incidents.view_component",
    "incidents.view_componentgroup",
    "incidents.view_fact",
    "incidents.view_incident",
    "incidents.view_maintenance",
    "incidents.view_timelineentry",
    "loop.add_latequestion",
    "loop.view_followup",
    "loop.view_incidentaccount",
    "loop.view_keyaccount",
    "loop.view_latequestion",
    "notify.view_subscriber",
    "notify.view_delivery",
    "reviews.view_actionitem",
    "reviews.view_planitem",
    "reviews.view_review",
    "updates.view_update",
}
RESPONDER = VIEWER | {
    "brief.add_answer",
    "brief.change_answer",
    "incidents.add_fact",
    "incidents.add_incident",
    "incidents.add_timelineentry",
    "incidents.change_component",
    "incidents.change_fact",
    "incidents.change_incident",
    "incidents.change_timelineentry",
    "loop.add_incidentaccount",
    "loop.add_keyaccount",
    "loop.change_followup",
    "loop.change_keyaccount",
    "loop.delete_incidentaccount",
    "notify.change_delivery",
    "reviews.add_actionitem",
    "reviews.add_review",
    "reviews.change_actionitem",
    "reviews.change_planitem",
    "reviews.change_review",
    "updates.add_update",
    "updates.change_update",
    "updates.publish_update",
}
APPROVER = RESPONDER | {"brief.approve_answer", "updates.approve_update"}
ADMIN = APPROVER | {
    "accounts.add_apitoken",
    "accounts.change_apitoken",
    "accounts.change_organisation",
    "accounts.view_apitoken",
    "accounts.view_organisation",
    "axes.delete_accessattempt",
    "axes.view_accessattempt",
    "brief.change_customersignal",
    "brief.delete_customersignal",
    "core.view_auditentry",
    "reviews.view_actionwebhook",
    "reviews.view_actionwebhookattempt",
    "reviews.view_attendee",
    "reviews.view_why",
    "reviews.view_contributingfactor",
    "reviews.view_invitation",
    "incidents.add_alertsource",
    "incidents.add_component",
    "incidents.add_componentgroup",
    "incidents.add_maintenance",
    "incidents.change_alertsource",
    "incidents.change_componentgroup",
    "incidents.change_maintenance",
    "incidents.delete_alertlink",
    "incidents.delete_alertsource",
    "incidents.delete_component",
    "incidents.delete_componentgroup",
    "incidents.delete_maintenance",
    "incidents.view_alertlink",
    "incidents.view_alertsource",
    "notify.add_subscriber",
    "notify.change_subscriber",
    "notify.delete_subscriber",
    "promises.view_reminder",
}


def held(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{perm.content_type.app_label}.{perm.codename}"
        for perm in group.permissions.select_related("content_type")
    }


def test_it_gives_each_role_exactly_its_permissions(db):
    Group.objects.all().delete()
    ensure_roles()
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "admin",
        "approver",
        "responder",
        "viewer",
    ]
    assert held("viewer") == VIEWER
    assert held("responder") == RESPONDER
    assert held("approver") == APPROVER
    assert held("admin") == ADMIN
    assert (len(VIEWER), len(RESPONDER), len(APPROVER), len(ADMIN)) == (21, 44, 46, 80)


def test_it_lets_a_viewer_read_but_not_write(people):
    support = people["support"]
    assert support.has_perm("incidents.view_incident")
    assert not support.has_perm("incidents.change_incident")
