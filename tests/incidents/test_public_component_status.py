"""A component's public status comes only from what the public may read."""

from clearline.incidents.models import Incident
from clearline.incidents.services import public_component_status
from clearline.updates.models import Update
from tests.factories import make_component, make_incident, publish


def test_an_incident_with_only_an_internal_update_does_not_mark_a_component(db):
    web = make_component("Web app")
    quiet = make_incident(
        title="Database failover", components={web: "major_outage"}, published=False
    )
    publish(quiet, "Failing over the primary; customers should not notice.", audience="internal")

    make_incident(title="Slow pages", components={web: "degraded_performance"})

    web.refresh_from_db()
    assert web.status == "degraded_performance"
    assert public_component_status(web) == "degraded_performance"


def test_public_means_one_thing_for_incidents_and_updates(db):
    make_incident(title="Exports failing", body="Exports fail.")
    make_incident(title="A drill", body="Practice text.", is_drill=True)
    make_incident(title="Internal only", body="Team text.", visibility="internal")
    internal_note = make_incident(title="Quiet", published=False)
    publish(internal_note, "Only for the team.", audience="internal")

    assert [i.title for i in Incident.objects.public()] == ["Exports failing"]
    assert [u.body for u in Update.objects.public()] == ["Exports fail."]
