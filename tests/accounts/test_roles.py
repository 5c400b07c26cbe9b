"""Each role holds exactly the permissions of the role table, and a person gets one role."""

from django.contrib.auth.models import Group

from clearline.accounts.roles import ROLE_PERMISSIONS, ensure_roles


def test_it_gives_each_role_exactly_the_table_permissions(db):
    Group.objects.all().delete()
    ensure_roles()
    for role, codes in ROLE_PERMISSIONS.items():
        held = {
            f"{perm.content_type.app_label}.{perm.codename}"
            for perm in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        assert held == set(codes), role


def test_it_lets_a_viewer_read_but_not_write(people):
    support = people["support"]
    assert support.has_perm("incidents.view_incident")
    assert not support.has_perm("incidents.change_incident")
