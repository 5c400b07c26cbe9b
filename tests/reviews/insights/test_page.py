"""The insights page: each chart drawn on the server with a title and a description a screen
reader reads, and its numbers in a table beside it; for members only."""

import re

from tests.reviews.insights.conftest import SINCE, UNTIL

PAGE = f"/desk/insights/?since={SINCE}&until={UNTIL}"


def page_as(client, person) -> str:
    client.force_login(person)
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def table(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_a_viewer_sees_every_chart_as_svg_with_its_title_and_description(history, client, people):
    html = page_as(client, people["support"])
    for key in (
        "drill-vs-real",
        "first-update",
        "on-time",
        "lateness",
        "resolve",
        "actions",
        "incidents",
    ):
        svg = re.search(rf'<svg[^>]*id="chart-{key}"[^>]*>(.*?)</svg>', html, re.S)
        assert svg, key
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in svg.group(0)
        assert f'<title id="chart-{key}-title">' in svg.group(1)
        assert f'<desc id="chart-{key}-desc">' in svg.group(1)
        assert "<rect" in svg.group(1)
    assert "<script" not in html.split("</head>", 1)[1]  # nothing drawn by a script


def test_the_numbers_are_in_tables_beside_the_charts(history, client, people):
    html = page_as(client, people["support"])
    overall = {row[0]: row[1:] for row in table(html, "table-overall")}
    assert overall["Incidents"] == ["4", "1"]
    assert overall["Time to first update (median)"] == ["15 min", "5 min"]
    assert overall["Time to resolve (median)"] == ["1 h 20 min", "50 min"]
    assert overall["Updates on time"] == ["50%", "100%"]
    assert overall["Action items overdue"] == ["1", "1"]
    assert table(html, "table-first-update")[1:] == [
        ["Mar 2026", "15 min", "5 min"],
        ["Apr 2026", "18 min", "—"],
    ]
    assert table(html, "table-actions")[1:] == [
        ["Mar 2026", "3", "2", "1"],
        ["Apr 2026", "0", "0", "1"],
    ]
    incidents = table(html, "table-incidents")
    assert incidents[3][0] == "Drill: payouts delayed Drill"
    assert incidents[3][2:5] == ["5 min", "22 min", "50 min"]


def test_the_chart_bars_carry_their_values(history, client, people):
    html = page_as(client, people["support"])
    assert "<title>Mar 2026, Real incidents: 15 min</title>" in html
    assert "<title>Mar 2026, Drills: 5 min</title>" in html


def test_an_incident_title_is_escaped_in_the_charts_and_tables(history, client, people):
    history["e"].title = '<script>alert("x")</script> & more'
    history["e"].save()
    html = page_as(client, people["support"])
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html


def test_someone_signed_out_is_sent_to_sign_in(history, client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_person_without_a_role_is_refused(history, client, people):
    client.force_login(people["outsider"])
    assert client.get(PAGE).status_code == 403


def test_a_range_that_ends_before_it_begins_says_so(history, client, people):
    client.force_login(people["support"])
    response = client.get(f"/desk/insights/?since={UNTIL}&until={SINCE}")
    assert response.status_code == 400
    assert "The range ends before it begins" in response.content.decode()
