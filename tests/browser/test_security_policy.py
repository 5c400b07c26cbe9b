"""Under the Content-Security-Policy every page still works in a real browser, without a refusal.

Customers read the status page, the team signs in, works the desk (whose live checks are htmx)
and the brief, admins use the Django admin and developers read the API docs: Chromium reports
any script, style or image the policy refuses on its console; there must be none.
"""

from datetime import timedelta

import pytest

from clearline.statuspage.snapshot import render_everything
from tests.browser.test_editor import STOCK, finding, sign_in
from tests.factories import PASSWORD, make_component, make_incident


@pytest.fixture
def incident(transactional_db, people):
    # Arranged before the browser starts: Playwright's event loop forbids database calls.
    web = make_component("Web app", group="Product")
    incident = make_incident(
        title="Card payments fail",
        components={web: "partial_outage"},
        started_ago=timedelta(hours=1),
        commander=people["commander"],
    )
    render_everything()
    return incident


def watch(page) -> list[str]:
    """Every refusal by the policy and every script error the page reports."""
    problems = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and problems.append(f"{page.url}: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


@pytest.mark.browser
def test_public_pages_show_everything_without_a_refusal(live_server, incident, browser):
    page = browser.new_page(timezone_id="Asia/Tokyo")  # the page's script adds local times
    problems = watch(page)
    for path in ("/", "/history/", f"/incidents/{incident.public_id}"):
        response = page.goto(live_server.url + path)

        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        # The inline style applied (the banner's colour) and the inline script ran.
        banner = page.locator(".banner").first if path == "/" else page.locator("header .name")
        assert banner.evaluate("e => getComputedStyle(e).fontWeight") in {"650", "700"}
        assert "your time" in page.locator("footer").inner_text()

    assert problems == []
    # The watch hears a refusal: an image from elsewhere is one.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', "
            "'<img src=\"https://images.example.com/pixel.png\">')"
        )
    assert len(problems) == 1 and "images.example.com" in problems[0]


@pytest.mark.browser
def test_the_desk_brief_admin_and_api_docs_work_without_a_refusal(
    live_server, people, incident, browser
):
    page = sign_in(
        browser, f"{live_server.url}/desk/incidents/{incident.pk}/updates/new/", people["comms"]
    )
    problems = watch(page)
    page.reload()
    # The live check (htmx) still answers as the writer types.
    page.fill("#id_body", STOCK)
    finding(page, "stock-apology").wait_for(timeout=10_000)
    page.goto(f"{live_server.url}/desk/incidents/{incident.pk}/brief/")
    page.get_by_role("heading", level=1).wait_for()

    admin = browser.new_context().new_page()
    problems += watch(admin)
    admin.goto(f"{live_server.url}/admin/")
    admin.fill("#id_username", people["admin"].username)
    admin.fill("#id_password", PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="Incidents").first.click()
    admin.wait_for_load_state("networkidle")
    admin.goto(f"{live_server.url}/api/docs")
    admin.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    admin.locator(".opblock").first.wait_for(timeout=15_000)

    assert problems == []
