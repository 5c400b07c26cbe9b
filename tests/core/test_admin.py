"""The admin is for back-office corrections: every change is audited and reaches the snapshot."""

from pathlib import Path

from clearline.core.models import AuditEntry
from clearline.updates.models import Update
from clearline.updates.services import draft_update
from tests.factories import PASSWORD, approve, make_component, make_incident, run_jobs


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_it_audits_an_admin_edit_and_refreshes_the_page(client, people, snapshot_dir):
    component = make_component("Web app")
    login(client, people["admin"])
    response = client.post(
        f"/admin/incidents/component/{component.pk}/change/",
        {
            "name": "Web and mobile apps",
            "description": "",
            "position": 1,
            "status": "operational",
            "showcase": "on",
        },
    )
    run_jobs()
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.edited")
    assert entry.actor == people["admin"] and entry.changes["name"] == "Web and mobile apps"
    assert "Web and mobile apps" in Path(snapshot_dir, "index.html").read_text()


def test_it_keeps_the_admin_closed_to_responders(client, people):
    login(client, people["comms"])
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/incidents/component/").status_code == 302


def test_it_never_rewrites_a_published_update_in_the_admin(client, people):
    incident = make_incident(title="Slow search", body="Search takes 15 seconds.")
    published = Update.objects.get(incident=incident)
    login(client, people["admin"])
    client.post(f"/admin/updates/update/{published.pk}/change/", {"body": "Rewritten."})
    published.refresh_from_db()
    assert published.body == "Search takes 15 seconds."


def test_it_publishes_drafts_only_through_the_publish_path(client, people):
    incident = make_incident(title="Slow search", body="Search takes 15 seconds.")
    draft = draft_update(
        incident=incident, by=people["comms"], body="Search is fast again.", status="resolved"
    )
    approve(draft, by=people["commander"])
    login(client, people["admin"])
    client.post(
        "/admin/updates/update/", {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.state == "published"
    assert AuditEntry.objects.filter(action="update.published", object_id=str(draft.pk)).exists()


def test_it_refuses_to_publish_an_unapproved_draft_from_the_admin(client, people):
    incident = make_incident(title="Slow search", body="Search takes 15 seconds.")
    draft = draft_update(incident=incident, by=people["comms"], body="Search is fast again.")
    login(client, people["admin"])
    response = client.post(
        "/admin/updates/update/",
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert "This update is not approved yet." in response.content.decode()
