from datetime import timedelta

import feedparser

from tests.factories import make_incident, publish


def test_it_publishes_history_as_atom_and_rss(client, db):
    old = make_incident(
        title="Reports late", body="Reports are 2 hours late.", started_ago=timedelta(days=2)
    )
    publish(old, "Reports are current again; checked totals against invoices.", status="resolved")
    make_incident(title="Sign-in slow", body="Sign-in takes 20 seconds for some users.")
    for path, version in (("/history.atom", "atom10"), ("/history.rss", "rss20")):
        response = client.get(path)
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        assert [e.title for e in feed.entries] == ["Sign-in slow", "Reports late"]
        entry = feed.entries[1]
        assert entry.link.startswith("http://127.0.0.1:8000/incidents/")
        assert "Reports are current again" in entry.summary
        assert "Reports are 2 hours late." in entry.summary


def test_it_announces_the_feeds_on_the_page(client, db):
    html = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/history.atom"' in html
