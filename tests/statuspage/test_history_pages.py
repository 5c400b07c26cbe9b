"""A customer reading the incident history steps to the nearest months that had incidents."""

from datetime import timedelta

from tests.factories import make_incident


def month(incident):
    return f"{incident.started_at:%Y-%m}"


def test_it_links_a_month_to_the_nearest_older_and_newer_months_with_incidents(client, db):
    newest = make_incident(title="Checkout errors", started_ago=timedelta(days=1))
    middle = make_incident(title="Slow exports", started_ago=timedelta(days=150))
    oldest = make_incident(title="Login loop", started_ago=timedelta(days=300))

    page = client.get(f"/history/{month(middle)}").content.decode()

    assert "Slow exports" in page
    assert f'href="/history/{month(oldest)}" rel="next"' in page
    assert f'href="/history/{month(newest)}" rel="prev"' in page


def test_it_offers_no_older_month_after_the_first_incident(client, db):
    only = make_incident(title="Checkout errors", started_ago=timedelta(days=100))

    page = client.get(f"/history/{month(only)}").content.decode()

    assert "Checkout errors" in page
    assert 'rel="next"' not in page and 'rel="prev"' not in page


def test_it_points_the_history_page_past_quiet_months_to_older_incidents(client, db):
    make_incident(title="Checkout errors", started_ago=timedelta(hours=2))
    old = make_incident(title="Login loop", started_ago=timedelta(days=200))

    page = client.get("/history/").content.decode()

    assert "Checkout errors" in page and "Login loop" not in page
    assert f'href="/history/{month(old)}" rel="next"' in page
