"""The review over the API: viewers read it, responders change it, in the one error shape."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from clearline.reviews.models import Review, ReviewState
from tests.reviews.conftest import incident_for, resolve
from tests.unchanged import nothing_changes

LONDON = ZoneInfo("Europe/London")


def path(incident, rest: str = "") -> str:
    return f"/api/incidents/{incident.public_id}/review{rest}"


def test_a_viewer_reads_the_schedule_the_room_and_the_write_up(api_as, resolved):
    response = api_as("support").get(path(resolved))
    assert response.status_code == 200, response.data
    data = response.data
    review = resolved.review
    assert data["id"] == review.public_id and data["incident"] == resolved.public_id
    assert data["state"] == "proposed"
    plan = data["schedule"]
    assert plan["time_zone"] == "Europe/London"
    local = review.starts_at.astimezone(LONDON)
    assert plan["starts_at"] == local.isoformat() and plan["starts_at"][11:16] == "10:00"
    assert plan["starts_at"].endswith(("+00:00", "+01:00")) and plan["minutes"] == 60
    assert plan["label"].endswith(("10:00 GMT", "10:00 BST (09:00 UTC)"))
    assert plan["window"]["first_day"] == plan["window"]["days"][0] == local.date().isoformat()
    assert plan["in_window"] is True and plan["warnings"] == []
    assert {(a["role"], a["username"]) for a in data["attendees"]} == {
        ("commander", "dana"),
        ("customer_liaison", "sam"),
    }
    assert data["liaison_missing"] is False
    writeup = data["writeup"]
    assert writeup["version"] == 1
    assert (
        "Cause found: A certificate on the card gateway had expired."
        in (writeup["sections"]["timeline"])
    )
    assert writeup["text"].startswith("## Timeline\n\n- ")
    assert writeup["whys"] == [] and writeup["factors"] == []


def test_signed_out_and_no_role_are_refused_in_the_error_shape(api_as, resolved):
    anonymous = api_as(None).get(path(resolved))
    assert anonymous.status_code == 401
    assert set(anonymous.data) >= {"detail", "errors"}
    assert api_as("outsider").get(path(resolved)).status_code == 403


def test_an_incident_without_a_review_answers_404_saying_why(api_as, london, people):
    incident = incident_for(people)
    response = api_as("support").get(path(incident))
    assert response.status_code == 404
    assert "has no review yet" in response.data["detail"]


def test_a_viewer_changes_nothing(api_as, resolved):
    viewer = api_as("support")
    review = resolved.review
    liaison = review.attendees.get(role="customer_liaison")
    with nothing_changes():
        refused = [
            viewer.patch(path(resolved), {"version": 1, "missed": "Nothing watched the expiry."}),
            viewer.post(path(resolved, "/attendees"), {"role": "scribe", "name": "Ruth"}),
            viewer.call("DELETE", path(resolved, f"/attendees/{liaison.pk}")),
            viewer.post(path(resolved, "/held")),
            viewer.post(path(resolved)),
        ]
    assert [r.status_code for r in refused] == [403] * 5
    assert all("detail" in r.data for r in refused)


def test_a_responder_writes_the_five_whys_pointing_at_the_timeline(api_as, resolved):
    entry = resolved.timeline.get(kind="cause_found")
    response = api_as("comms").patch(
        path(resolved),
        {
            "version": 1,
            "missed": "No alert watched the certificate's expiry date.",
            "whys": [
                {
                    "question": "Why were card payments declined?",
                    "answer": "The gateway's certificate had expired.",
                    "timeline_entry": entry.pk,
                },
                {"question": "Why had it expired?", "answer": "Its renewal job failed quietly."},
            ],
            "factors": [{"kind": "detection", "text": "No alert on certificate expiry."}],
        },
    )
    assert response.status_code == 200, response.data
    writeup = response.data["writeup"]
    assert writeup["version"] == 2
    assert writeup["sections"]["missed"] == "No alert watched the certificate's expiry date."
    assert [w["timeline_entry"] for w in writeup["whys"]] == [entry.pk, None]
    assert writeup["factors"] == [
        {"kind": "detection", "text": "No alert on certificate expiry.", "timeline_entry": None}
    ]
    assert "1. Why were card payments declined?" in writeup["text"]


def test_a_stale_version_is_a_409_with_the_review_as_stored(api_as, resolved):
    comms = api_as("comms")
    assert comms.patch(path(resolved), {"version": 1, "done": "Renewed it."}).status_code == 200
    stale = comms.patch(path(resolved), {"version": 1, "done": "Renewed the certificate."})
    assert stale.status_code == 409
    assert stale.data["errors"][0]["field"] == "version"
    assert stale.data["current"]["writeup"]["sections"]["done"] == "Renewed it."


def test_a_write_up_change_without_its_version_is_refused_naming_it(api_as, resolved):
    response = api_as("comms").patch(path(resolved), {"done": "Renewed it."})
    assert response.status_code == 400
    assert response.data["errors"] == [
        {"field": "version", "message": "Send the write-up's version with a change to it."}
    ]


def test_a_why_pointing_at_no_entry_of_this_timeline_is_refused(api_as, resolved):
    response = api_as("comms").patch(
        path(resolved), {"version": 1, "whys": [{"question": "Why?", "timeline_entry": 999999}]}
    )
    assert response.status_code == 400
    assert response.data["errors"][0]["field"] == "whys.0.timeline_entry"
    assert Review.objects.get().version == 1


def test_the_liaison_flag_follows_the_room(api_as, resolved):
    comms = api_as("comms")
    liaison = resolved.review.attendees.get(role="customer_liaison")
    gone = comms.call("DELETE", path(resolved, f"/attendees/{liaison.pk}"))
    assert gone.status_code == 200
    assert gone.data["liaison_missing"] is True
    assert gone.data["warnings"][0].startswith("No customer liaison is in the room")

    back = comms.post(
        path(resolved, "/attendees"),
        {"role": "customer_liaison", "name": "Ruth Adeyemi", "email": "ruth@example.com"},
    )
    assert back.status_code == 201, back.data
    assert back.data["liaison_missing"] is False
    [ruth] = [a for a in back.data["attendees"] if a["name"] == "Ruth Adeyemi"]
    assert (ruth["role"], ruth["email"], ruth["username"]) == (
        "customer_liaison",
        "ruth@example.com",
        None,
    )


def test_a_bad_attendee_is_refused_naming_the_field(api_as, resolved):
    comms = api_as("comms")
    role = comms.post(path(resolved, "/attendees"), {"role": "bystander", "name": "Ruth"})
    assert role.status_code == 422 and role.data["errors"][0]["field"] == "role"
    nobody = comms.post(path(resolved, "/attendees"), {"role": "scribe", "username": "nobody"})
    assert nobody.status_code == 400 and nobody.data["errors"][0]["field"] == "username"
    again = comms.post(path(resolved, "/attendees"), {"role": "commander", "username": "dana"})
    assert again.status_code == 409 and again.data["errors"][0]["field"] == "role"
    email = comms.post(path(resolved, "/attendees"), {"role": "scribe", "name": "R", "email": "x@"})
    assert email.status_code == 400 and email.data["errors"][0]["field"] == "email"


def test_moving_it_outside_the_window_schedules_it_with_a_warning(api_as, resolved):
    window_end = resolved.review.starts_at + timedelta(days=14)
    response = api_as("comms").patch(path(resolved), {"starts_at": window_end.isoformat()})
    assert response.status_code == 200, response.data
    plan = response.data["schedule"]
    assert response.data["state"] == "scheduled" and plan["in_window"] is False
    assert any("after the window of business days 3–5" in w for w in plan["warnings"])
    assert plan["warnings"][-1] in response.data["warnings"]


def test_a_naive_time_is_refused_naming_the_field(api_as, resolved):
    response = api_as("comms").patch(path(resolved), {"starts_at": "2030-03-04T10:00:00"})
    assert response.status_code == 422
    assert response.data["errors"][0]["field"] == "starts_at"


def test_it_is_marked_held_once(api_as, resolved):
    comms = api_as("comms")
    held_at = (timezone.now() - timedelta(minutes=10)).replace(microsecond=0)
    response = comms.post(path(resolved, "/held"), {"held_at": held_at.isoformat()})
    assert response.status_code == 200, response.data
    assert response.data["state"] == ReviewState.HELD
    assert response.data["held_at"] == held_at.astimezone(LONDON).isoformat()
    again = comms.post(path(resolved, "/held"))
    assert again.status_code == 409


def test_a_responder_proposes_the_review_of_an_incident_resolved_before(api_as, london, people):
    incident = incident_for(people)
    resolve(incident)
    Review.objects.all().delete()  # resolved before reviews were proposed
    first = api_as("comms").post(path(incident))
    assert first.status_code == 201 and first.data["state"] == "proposed"
    assert api_as("comms").post(path(incident)).status_code == 200
    assert Review.objects.count() == 1


def test_the_openapi_document_describes_the_review_and_the_liaison_role(client, db):
    schema = json.loads(client.get("/api/openapi.json").content)
    operations = schema["paths"]["/api/incidents/{incident_id}/review"]
    assert set(operations) == {"get", "post", "patch"}
    assert operations["get"]["operationId"] == "get_review"
    for code in ("401", "403", "404"):
        ref = operations["get"]["responses"][code]["content"]["application/json"]["schema"]
        assert ref == {"$ref": "#/components/schemas/ErrorOut"}
    schemas = schema["components"]["schemas"]
    assert "liaison_missing" in schemas["ReviewOut"]["properties"]
    assert "customer_liaison" in schemas["AttendeeRole"]["enum"]
