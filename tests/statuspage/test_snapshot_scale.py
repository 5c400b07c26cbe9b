"""A publish re-renders the public page at the same cost whether the history is short or long."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearline.statuspage.snapshot import render_after_change
from tests.factories import make_component, make_incident


def past_incidents(count, *, components, offset=0):
    for n in range(count):
        make_incident(
            title=f"Exports delayed ({offset + n})",
            body="Exports run on time again; we checked a day of them.",
            status="resolved",
            components={components[n % len(components)]: "degraded_performance"},
            started_ago=timedelta(days=2 + 9 * (offset + n)),
        )


def queries_for_render(incident):
    render_after_change([incident.pk])  # the first render may set up what later ones reuse
    with CaptureQueriesContext(connection) as queries:
        render_after_change([incident.pk])
    return len(queries)


@pytest.mark.slow
def test_it_renders_a_publish_with_the_same_queries_for_ten_or_two_hundred_incidents(db):
    components = [
        make_component("Public API", group="Integrations"),
        make_component("Webhooks", group="Integrations"),
        make_component("Web app"),
    ]
    live = make_incident(title="Sign-in slow", components={components[2]: "partial_outage"})
    past_incidents(10, components=components)
    with_ten = queries_for_render(live)

    past_incidents(190, components=components, offset=10)
    with_two_hundred = queries_for_render(live)

    assert with_two_hundred == with_ten
