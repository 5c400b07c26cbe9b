"""Alertmanager misbehaving, or someone holding its token: bodies no real group sends are
refused with a 4xx that says why, and no incident or audit entry is left behind."""

import json

import pytest

from clearline.core.models import AuditEntry
from clearline.incidents.models import Incident, TimelineEntry
from tests.incidents.conftest import delivery


def nothing_written():
    return (Incident.objects.count(), TimelineEntry.objects.count(), AuditEntry.objects.count())


@pytest.mark.parametrize("depth", [100_000, 1_000])
def test_a_body_nested_deeper_than_any_group_is_refused(client, alertmanager, depth):
    before = nothing_written()
    body = b'{"version": "4", "x": ' + b"[" * depth + b"]" * depth + b"}"

    response = alertmanager(client, body)

    assert response.status_code == 400, response.content[:300]
    assert "nested too deeply" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "body"
    assert nothing_written() == before


def firing_with(**annotations) -> bytes:
    group = json.loads(delivery("alertmanager_firing"))
    group["commonAnnotations"].update(annotations)
    return json.dumps(group).encode()


def test_a_nul_in_an_annotation_is_refused_naming_it(client, alertmanager):
    before = nothing_written()

    response = alertmanager(client, firing_with(summary="Checkout\u0000 requests fail"))

    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"][0]["field"] == "commonAnnotations.summary"
    assert nothing_written() == before


def test_a_multi_line_summary_with_a_bidi_override_still_opens_an_incident(client, alertmanager):
    """An alert is never lost over its wording: what no page may show is blanked out."""
    response = alertmanager(
        client, firing_with(summary="Checkout requests\nare failing \u202eliaf")
    )

    assert response.status_code == 200, response.content[:300]
    incident = Incident.objects.get()
    assert incident.title == "Checkout requests are failing  liaf"
    text = TimelineEntry.objects.get(incident=incident).text
    assert "\u202e" not in text
