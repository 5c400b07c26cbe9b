"""The insights page in a real browser, scripts off: the charts are there as drawn on the
server and a screen reader gets each one's name; and axe-core finds nothing to fix."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_desk import sign_in
from tests.reviews.insights.conftest import SINCE, UNTIL, history  # noqa: F401 -- the fixture

PAGE = f"/desk/insights/?since={SINCE}&until={UNTIL}"


@pytest.fixture
def known(transactional_db, history):  # noqa: F811 -- the imported fixture, used here
    return history


@pytest.mark.browser
def test_a_viewer_reads_the_insights_without_scripts_and_axe_finds_nothing(
    live_server, people, known, browser
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url + PAGE, people["support"])
    page.wait_for_url(f"**{PAGE}")

    charts = page.get_by_role("img")
    names = [charts.nth(i).get_attribute("id") for i in range(charts.count())]
    assert names == [
        "chart-drill-vs-real",
        "chart-first-update",
        "chart-on-time",
        "chart-lateness",
        "chart-resolve",
        "chart-actions",
        "chart-incidents",
    ]
    first_update = page.get_by_role("img", name="Time to first update, per month")
    assert first_update.is_visible()
    assert first_update.bounding_box()["height"] > 100
    cell = page.locator("#table-overall tr", has_text="Time to first update").locator("td")
    assert cell.all_inner_texts() == ["15 min", "5 min"]

    # axe-core runs as a script, so it reads the same page in a browser that runs them.
    page = browser.new_page()
    sign_in(page, live_server.url + PAGE, people["support"])
    page.wait_for_url(f"**{PAGE}")
    results = Axe().run(page)
    problems = [f"{v['id']}: {v['help']}" for v in results.response["violations"]]
    assert problems == []
