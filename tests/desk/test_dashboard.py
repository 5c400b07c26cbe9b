"""The incident list: what is burning, who owns it, and when customers hear next."""

from datetime import timedelta

from django.utils import timezone

from clearline.core.permissions import SYSTEM
from clearline.desk.views.incidents import RESOLVED_PER_PAGE
from clearline.incidents.models import Incident
from clearline.reviews.models import PlanItem
from clearline.reviews.plan import create_plan
from tests.factories import make_incident, publish


def test_it_lists_active_incidents_before_resolved_ones(desk):
    make_incident(title="Old outage", status="resolved", started_ago=timedelta(hours=1))
    make_incident(title="Current outage", started_ago=timedelta(days=3))
    page = desk.get("/desk/").content.decode()
    assert page.index("Current outage") < page.index("Old outage")


def test_it_names_the_commander_and_the_comms_owner(desk, people):
    make_incident(title="Slow reports", commander=people["commander"], comms_owner=people["comms"])
    row = desk.get("/desk/").context["active"][0]
    assert (row.commander, row.comms_owner) == (people["commander"], people["comms"])


def test_it_shows_when_the_next_update_is_due_with_its_zone(desk):
    incident = make_incident(title="Slow reports", published=False)
    due = timezone.now() + timedelta(minutes=25)
    update = publish(incident, "Looking into it.")
    update.next_update_due = due
    update.save()
    page = desk.get("/desk/").content.decode()
    assert f"{due:%d %b %Y, %H:%M} UTC" in page
    assert "in 24\xa0minutes" in page or "in 25\xa0minutes" in page


def test_it_flags_an_update_that_is_overdue(desk):
    incident = make_incident(published=False)
    publish(incident, "Looking into it.", now=timezone.now() - timedelta(hours=2))
    assert "overdue by 1\xa0hour" in desk.get("/desk/").content.decode()


def test_it_flags_an_incident_with_no_public_update_yet(desk):
    make_incident(title="Fresh outage", published=False)
    assert "No public update yet" in desk.get("/desk/").content.decode()


def test_it_pages_through_resolved_incidents(desk):
    for number in range(RESOLVED_PER_PAGE + 1):
        make_incident(title=f"Outage {number}", status="resolved")
    second = desk.get("/desk/?page=2").context["resolved"]
    assert len(second) == 1
    assert second.number == 2


def test_it_shows_an_internal_incident_in_the_desk_but_never_on_the_status_page(
    desk, client, committed
):
    with committed():
        make_incident(title="Backup job is slow", visibility="internal")
    assert "Backup job is slow" in desk.get("/desk/").content.decode()
    assert "Backup job is slow" not in client.get("/").content.decode()


def test_it_shows_who_is_signed_in_and_their_role(desk):
    page = desk.get("/desk/").content.decode()
    assert "sam · Responder" in page


def test_it_signs_out_by_post_only(desk):
    page = desk.get("/desk/").content.decode()
    assert '<form method="post" action="/logout/">' in page
    assert desk.post("/logout/").status_code == 302
    assert desk.get("/desk/").status_code == 302


def test_it_reads_the_list_in_a_fixed_number_of_queries(desk, django_assert_max_num_queries):
    for number in range(8):
        make_incident(title=f"Outage {number}", status="resolved" if number % 2 else "identified")
    # The first-week plans of the resolved ones, every step overdue: still one query for them,
    # and one for the overdue action items of every incident.
    for incident in Incident.objects.filter(status="resolved"):
        create_plan(incident=incident, by=SYSTEM, now=timezone.now() - timedelta(days=9))
    PlanItem.objects.update(due_at=timezone.now() - timedelta(days=1))
    with django_assert_max_num_queries(12):
        page = desk.get("/desk/").content.decode()
    assert page.count('class="is-overdue"') == 4 * 5
