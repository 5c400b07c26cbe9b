"""A careless or hostile integration sends input no person would type. Each gets a 4xx naming
what is wrong, and nothing it sent is half-kept."""

import json

import pytest

from clearline.core.models import AuditEntry
from clearline.incidents.models import Fact, Incident, Segment, TimelineEntry
from clearline.updates.models import Update
from tests.factories import make_incident


@pytest.fixture
def comms(api_as):
    return api_as("comms")


@pytest.fixture
def incident(people):
    return make_incident(title="Checkout fails for card payments", by=people["comms"])


def stored(incident):
    """Everything a refused write must leave as it was."""
    fresh = Incident.objects.get(pk=incident.pk)
    return {
        "incident": (fresh.title, fresh.still_works, fresh.updated_at),
        "segments": list(Segment.objects.filter(incident=incident).values_list("kind", "label")),
        "timeline": TimelineEntry.objects.count(),
        "facts": Fact.objects.count(),
        "updates": Update.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def raw(client, method, path, body: bytes | str, token):
    return client.generic(
        method,
        path,
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def refused(response, status, field=None):
    """A refusal in the API's error shape, naming `field` when one is given."""
    assert response.status_code == status, response.content[:500]
    body = json.loads(response.content)
    assert body["detail"]
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
    return body


@pytest.mark.parametrize("body", ["[]", "{}", "null", '"title"', "3"])
def test_a_patch_that_is_not_an_object_of_changes_is_refused(client, comms, incident, body):
    before = stored(incident)
    response = raw(client, "PATCH", f"/api/incidents/{incident.public_id}", body, comms.token)
    if body == "{}":
        # No change asked for: the incident as it is, and nothing written, not even to the log.
        assert response.status_code == 200, response.content
        assert json.loads(response.content)["title"] == "Checkout fails for card payments"
    else:
        refused(response, 422)
    assert stored(incident) == before


@pytest.mark.parametrize(
    ("method", "path", "payload", "field", "limit"),
    [
        ("PATCH", "", {"title": "T" * 201}, "title", "200 characters"),
        ("POST", "/updates", {"body": "a " * 25_000}, "body", "10,000 characters"),
    ],
)
def test_text_over_its_limit_is_refused_naming_field_and_limit(
    comms, incident, method, path, payload, field, limit
):
    before = stored(incident)
    response = comms.call(method, f"/api/incidents/{incident.public_id}{path}", payload)
    body = refused(response, 422, field)
    assert limit in json.dumps(body)
    assert stored(incident) == before


def test_a_50_mb_body_is_refused_before_it_is_read(client, comms, incident):
    before = stored(incident)
    huge = b'{"title": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    response = raw(client, "PATCH", f"/api/incidents/{incident.public_id}", huge, comms.token)
    body = refused(response, 413)
    assert "KiB" in body["detail"] or "bytes" in body["detail"]
    assert len(response.content) < 2_000
    assert stored(incident) == before


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", "Checkout \\ud800 fails"),
        ("title", "Checkout \\u0000 fails"),
        ("still_works", "Invoices work\\u0000"),
        ("title", "Checkout fails \\u202e gnirts"),
        ("still_works", "Exports \\u2066work\\u2069"),
        ("title", "Checkout\\u0007fails"),
    ],
)
def test_characters_no_page_can_show_safely_are_refused_naming_the_field(
    client, comms, incident, field, text
):
    before = stored(incident)
    body = '{"' + field + '": "' + text + '"}'
    response = raw(client, "PATCH", f"/api/incidents/{incident.public_id}", body, comms.token)
    refused(response, 422, field)
    assert stored(incident) == before


def test_a_lone_surrogate_anywhere_in_the_body_is_refused(client, comms, incident):
    before = stored(incident)
    body = '{"commander": "\\udfff"}'
    response = raw(client, "PATCH", f"/api/incidents/{incident.public_id}", body, comms.token)
    refused(response, 422, "commander")
    assert stored(incident) == before


def test_a_121_character_segment_label_is_refused_and_the_old_segments_stay(comms, incident):
    comms.patch(
        f"/api/incidents/{incident.public_id}", {"segments": [{"kind": "region", "label": "EU"}]}
    )
    before = stored(incident)
    response = comms.patch(
        f"/api/incidents/{incident.public_id}",
        {"segments": [{"kind": "region", "label": "US"}, {"kind": "plan", "label": "P" * 121}]},
    )
    refused(response, 422, "segments.1.label")
    assert stored(incident) == before
    assert before["segments"] == [("region", "EU")]


def test_line_breaks_and_tabs_stay_in_prose_but_not_in_a_title(comms, incident):
    response = comms.patch(
        f"/api/incidents/{incident.public_id}", {"still_works": "Invoices work.\n\tExports too."}
    )
    assert response.status_code == 200, response.data
    assert response.data["still_works"] == "Invoices work.\n\tExports too."
    before = stored(incident)
    refused(comms.patch(f"/api/incidents/{incident.public_id}", {"title": "Two\nlines"}), 422)
    assert stored(incident) == before


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("timeline", {"text": "x" * 10_001}, "text"),
        ("timeline", {"text": "Rolled back\u0000"}, "text"),
        ("facts", {"text": "x" * 3000}, "text"),
        ("facts", {"text": "\u202eWere cards charged twice?"}, "text"),
    ],
)
def test_timeline_and_facts_keep_their_limits(comms, incident, path, payload, field):
    before = stored(incident)
    response = comms.post(f"/api/incidents/{incident.public_id}/{path}", payload)
    refused(response, 422, field)
    assert stored(incident) == before


@pytest.mark.parametrize(
    "limit", ["1e20", "100000000000000000000", "99999999999999999999999", "-1", "0", "x"]
)
def test_an_impossible_page_size_is_a_422_not_a_crash(comms, incident, limit):
    response = comms.get(f"/api/incidents?limit={limit}")
    refused(response, 422, "limit")


@pytest.mark.parametrize("offset", ["1e20", "99999999999999999999999", "-1"])
def test_an_impossible_offset_is_a_422_not_a_crash(comms, incident, offset):
    response = comms.get(f"/api/incidents?offset={offset}")
    refused(response, 422, "offset")


def test_a_nul_in_an_address_is_a_4xx(comms, incident):
    response = comms.get("/api/incidents/abc%00def")
    assert response.status_code in (400, 404), response.content
    response = comms.get("/api/incidents?status=%00")
    assert response.status_code in (400, 422), response.content


def test_a_checked_text_too_long_is_refused_before_any_checking(comms):
    response = comms.post("/api/checks", {"text": "Payments fail. " * 2_000})
    body = refused(response, 422, "text")
    assert "20000" in json.dumps(body) or "20,000" in json.dumps(body)
    assert len(response.content) < 2_000
