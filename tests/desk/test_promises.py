"""The desk tells the person who owes customers an update, and shows how each promise was kept."""

from datetime import timedelta

from django.utils import timezone

from clearline.promises.services import check_promises
from tests.factories import make_incident, publish

MINUTE = timedelta(minutes=1)


def overdue(people, title="Card payments are declined", **fields):
    incident = make_incident(title=title, comms_owner=people["comms"], **fields)
    check_promises(now=incident.updates.get().next_update_due + 3 * MINUTE)
    return incident


def test_it_shows_the_comms_owner_an_overdue_update_on_the_incident_list(desk, people):
    incident = overdue(people)
    page = desk.get("/desk/").content.decode()
    assert "Update overdue:" in page
    assert f'<a href="/desk/incidents/{incident.pk}/">Card payments are declined</a>' in page
    assert f'href="/desk/incidents/{incident.pk}/updates/new/">Write the update</a>' in page


def test_it_shows_the_same_notice_on_the_incident_page(desk, people):
    incident = overdue(people)
    assert "Update overdue:" in desk.get(f"/desk/incidents/{incident.pk}/").content.decode()


def test_it_warns_before_the_deadline_that_an_update_is_due_soon(desk, people):
    incident = make_incident(title="Exports fail", comms_owner=people["comms"])
    check_promises(now=incident.updates.get().next_update_due - 5 * MINUTE)
    assert "Update due soon:" in desk.get("/desk/").content.decode()


def test_it_does_not_show_someone_elses_reminder(client, people):
    overdue(people)
    client.force_login(people["commander"])
    assert "Update overdue" not in client.get("/desk/").content.decode()


def test_it_clears_the_notice_once_the_update_is_published(desk, people):
    incident = overdue(people)
    publish(incident, "We found the cause.", by=people["comms"])
    assert "Update overdue" not in desk.get("/desk/").content.decode()


def test_it_escapes_the_incident_title_in_the_notice(desk, people):
    overdue(people, title="<script>alert(1)</script> checkout")
    page = desk.get("/desk/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; checkout" in page


def test_it_shows_on_each_update_whether_it_came_on_time(desk):
    incident = make_incident(title="Exports fail", published=False)
    first = publish(incident, "Exports fail.", now=timezone.now() - timedelta(hours=2))
    publish(incident, "Cause found.", now=first.next_update_due - MINUTE)
    second = incident.updates.order_by("-published_at").first()
    publish(incident, "Fix deployed.", now=second.next_update_due + 7 * MINUTE)
    page = desk.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert page.count(">on time</span>") == 1
    assert page.count(">7 min late</span>") == 1
