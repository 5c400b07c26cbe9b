"""A customer reads the 90-day uptime bars: open and recently resolved incidents, nothing older."""

from datetime import timedelta

from tests.factories import make_component, make_incident, publish


def hours_later(incident):
    return incident.started_at + timedelta(hours=3)


def test_it_marks_the_bars_for_open_and_recently_resolved_incidents_only(client, db):
    web = make_component("Web app")
    make_incident(title="Search is down", components={web: "major_outage"})
    recent = make_incident(
        title="Slow invoice pages",
        components={web: "partial_outage"},
        started_ago=timedelta(days=20),
    )
    publish(
        recent,
        "Invoice pages are fast again; we timed them.",
        status="resolved",
        now=hours_later(recent),
    )
    old = make_incident(
        title="Exports failed",
        components={web: "major_outage"},
        started_ago=timedelta(days=200),
    )
    publish(
        old, "Exports work again; we reran last week's.", status="resolved", now=hours_later(old)
    )

    page = client.get("/").content.decode()

    assert "major outage — Search is down" in page
    assert "partial outage — Slow invoice pages" in page
    assert "Exports failed" not in page
