"""Only the months of the page's life have history pages: a stranger asking for any other month
gets a 404, and nothing is written to the snapshot folder for it."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_component, make_incident


def files_in(folder) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def page_since_last_year(db, client):
    """A page whose first incident started about 400 days ago, with every public file rendered."""
    make_component("Checkout")
    first = make_incident(title="Login loop", started_ago=timedelta(days=400))
    make_incident(title="Checkout errors", started_ago=timedelta(days=2))
    client.get("/")
    return first


def months_outside(first) -> list[str]:
    before = (first.started_at.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return ["0001-01", "1000-01", "1999-12", before, f"{datetime.now(UTC).year + 1}-01", "9999-12"]


def test_a_stranger_asking_for_months_outside_the_pages_life_gets_404_and_writes_nothing(
    client, page_since_last_year, snapshot_dir
):
    written = files_in(snapshot_dir)

    for month in months_outside(page_since_last_year):
        assert client.get(f"/history/{month}").status_code == 404, month
        assert client.get(f"/history/{month}/").status_code == 404, month

    assert files_in(snapshot_dir) == written


def test_a_customer_still_reads_every_month_of_the_pages_life(client, page_since_last_year):
    first_month = f"{page_since_last_year.started_at:%Y-%m}"
    this_month = f"{datetime.now(UTC):%Y-%m}"

    first = client.get(f"/history/{first_month}")
    assert first.status_code == 200 and "Login loop" in first.content.decode()
    assert client.get(f"/history/{this_month}").status_code == 200


def test_a_new_page_has_only_this_months_history(client, db, snapshot_dir):
    make_component("Checkout")
    last_month = (datetime.now(UTC).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")

    assert client.get(f"/history/{datetime.now(UTC):%Y-%m}").status_code == 200
    assert client.get(f"/history/{last_month}").status_code == 404
    history = client.get("/history/").content.decode()
    assert f'href="/history/{last_month}"' not in history
    assert not (snapshot_dir / f"history/{last_month}.html").exists()
