"""Properties of the public surfaces: whatever text and times the services accept, every public
page, JSON document and feed answers, and shows the text as text.

Each example builds a small world through the services people use (a value they refuse is
skipped), then reads every public address through a fresh snapshot folder.
"""

import json
import tempfile
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.test import Client, override_settings
from django.utils.html import escape
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clearline.accounts.models import Organisation
from clearline.brief import services as brief
from clearline.core.clock import EARLIEST, PLAN_AHEAD
from clearline.core.errors import ClearlineError
from clearline.core.permissions import SYSTEM
from clearline.incidents import services as incidents
from clearline.incidents.models import Component, ComponentGroup, Maintenance
from clearline.statuspage import serving, snapshot
from clearline.statuspage.feeds import xml_text
from clearline.updates.services import draft_update, publish_update

pytestmark = pytest.mark.slow  # see README, Testing: pytest -m "not slow"

ATOM = "{http://www.w3.org/2005/Atom}"
# Bounded so each property takes seconds per database, not minutes.
PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The ends of the offsets in use (UTC-11 to UTC+14), a half and a three-quarter hour, and DST.
ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "America/St_Johns"]

# Any text, plus pieces that mean something to HTML, XML, JSON, templates or a bidi reader.
# NUL is left out: the input checks refuse it at the door and PostgreSQL cannot store it.
# Control characters and the bidi controls are refused at the door (tests/core/test_limits.py);
# generating them here would only throw examples away.
characters = st.characters(
    exclude_categories=["Cs", "Cc"],
    exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
pieces = st.one_of(
    st.text(characters, min_size=1, max_size=40),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "]]>",
            "&amp;",
            "&#x3C;",
            "\"'",
            "{{ org.name }}",
            "{% now 'Y' %}",
            "\ufffe",
            " ",
        ]
    ),
)
# Line breaks only where the input keeps lines (descriptions, bodies, answers).
prose_pieces = st.one_of(pieces, st.sampled_from(["\r\n", "\n\n"]))


def texts(max_size: int, *, lines: bool = False):
    # Not blank: the services refuse an empty name, title or body, so such examples are wasted.
    joined = st.lists(prose_pieces if lines else pieces, min_size=1, max_size=4).map(
        lambda parts: "".join(parts)[:max_size]
    )
    return joined.filter(str.strip)


def times(earliest: datetime, latest: datetime):
    """Aware times in any of the zones, from `earliest` to `latest` (both UTC)."""
    return st.datetimes(
        min_value=earliest.replace(tzinfo=None),
        max_value=latest.replace(tzinfo=None),
        timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
    )


NOW = datetime.now(UTC)
DAY = timedelta(days=1)
# Times at and just past the ends of what is accepted, down to the calendar's own ends.
EDGES = [
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(1, 1, 1, 12, tzinfo=ZoneInfo("Pacific/Kiritimati")),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    datetime(9999, 12, 31, 1, tzinfo=ZoneInfo("Pacific/Pago_Pago")),
    EARLIEST - timedelta(microseconds=1),
    EARLIEST,
    NOW + timedelta(minutes=6),
    NOW + PLAN_AHEAD + timedelta(minutes=1),
]


def or_edges(strategy):
    """Mostly `strategy`, one time in ten an edge, so refusals and the ends are tried too."""
    return st.integers(0, 9).flatmap(lambda n: st.sampled_from(EDGES) if n == 0 else strategy)


@contextmanager
def rolled_back_world():
    """One example's rows and snapshot files, gone afterwards."""
    with tempfile.TemporaryDirectory() as folder, override_settings(CLEARLINE_SNAPSHOT_DIR=folder):
        serving._cache.clear()
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    serving._cache.clear()


def accepted(make):
    """What a service makes of a value, or skip the example when it refuses the value."""
    try:
        return make()
    except (ClearlineError, ValidationError):
        assume(False)


def saved(record):
    """A record as the admin saves it: only after full_clean accepts it."""
    accepted(record.full_clean)
    record.save()
    return record


def after(start: datetime, length: timedelta) -> datetime:
    """`start` + `length`, or `start` itself where that would pass the year 9999."""
    return start + length if start.year < 9999 else start


def build(people, *, text: dict, time: dict):
    org = Organisation.current()
    org.name, org.time_zone = text["org"], time["zone"]
    saved(org)
    group = saved(ComponentGroup(name=text["group"]))
    component = saved(
        Component(name=text["component"], description=text["component_description"], group=group)
    )
    ongoing = accepted(
        lambda: incidents.open_incident(
            by=SYSTEM,
            title=text["title"],
            still_works=text["still_works"],
            started_at=time["started"],
            components={component: "major_outage"},
            segments=[("region", text["segment"])],
        )
    )
    update = accepted(
        lambda: draft_update(
            incident=ongoing, by=SYSTEM, body=text["body"], next_update_due=time["next_update"]
        )
    )
    publish_update(update=update, by=SYSTEM, now=time["published"])
    resolved = accepted(
        lambda: incidents.open_incident(
            by=SYSTEM, title="Slow search", started_at=time["resolved_started"]
        )
    )
    done = draft_update(
        incident=resolved, by=SYSTEM, body="Search is fast again.", status="resolved"
    )
    publish_update(update=done, by=SYSTEM, now=time["resolved"])
    maintenance = saved(
        Maintenance(
            title=text["maintenance"],
            description=text["maintenance_description"],
            scheduled_for=time["window"],
            scheduled_until=after(time["window"], time["window_length"]),
        )
    )
    maintenance.components.add(component)
    signal = brief.log_signal(
        incident=ongoing, by=people["support"], kind="question", text="charged twice?"
    )
    answer = accepted(
        lambda: brief.write_group_answer(
            group=signal.group,
            by=people["comms"],
            version=0,
            question=text["faq_question"],
            text=text["faq_answer"],
        )
    )
    brief.approve_answer(
        answer=answer,
        by=people["commander"],
        content_hash=answer.content_hash,
        show_on_status_page=True,
    )
    return ongoing, resolved


def read_everything(ongoing, resolved) -> dict[str, str]:
    """Every public address, each answering 200 with a body of its kind.

    One full render first (as `clearline snapshot` does), so the addresses are served from it.
    """
    assert "index.html" in snapshot.render_everything()
    client = Client()
    org = Organisation.current()
    this_month = NOW.astimezone(org.zone).strftime("%Y-%m")
    paths = [
        "/",
        "/history/",
        f"/history/{this_month}",
        f"/incidents/{ongoing.public_id}",
        f"/incidents/{resolved.public_id}",
        "/history.atom",
        "/history.rss",
        *(f"/api/v2/{name}" for name in snapshot.V2_DOCUMENTS),
    ]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
        if path.endswith(".json"):
            json.loads(pages[path])
        elif path.startswith("/history."):
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            assert len(parsed.entries) == 2, path
    for incident in (ongoing, resolved):
        started = incident.started_at.astimezone(org.zone)
        month = client.get(f"/history/{started:%Y-%m}")
        assert month.status_code == (200 if f"{started:%Y-%m}" <= this_month else 404)
    return pages


def in_feed_xml(text: str) -> str:
    """The text as an XML reader gets it back: XML-invalid characters dropped, line ends as LF."""
    return xml_text(text).replace("\r\n", "\n").replace("\r", "\n")


SANE_TIMES = {
    "zone": "UTC",
    "started": NOW - timedelta(hours=2),
    "next_update": NOW + timedelta(hours=1),
    "published": NOW - timedelta(hours=1),
    "resolved_started": NOW - timedelta(hours=5),
    "resolved": NOW - timedelta(hours=4),
    "window": NOW + DAY,
    "window_length": timedelta(hours=2),
}
SANE_TEXT = {
    "org": "Example Co",
    "group": "Payments",
    "component": "Checkout",
    "component_description": "Paying for orders",
    "title": "Checkout fails",
    "still_works": "Browsing",
    "segment": "Europe",
    "body": "Checkout fails for some cards.",
    "maintenance": "Database upgrade",
    "maintenance_description": "Checkout pauses.",
    "faq_question": "Was I charged twice?",
    "faq_answer": "No.",
}


@pytest.mark.django_db
@PROPERTY
@given(
    text=st.fixed_dictionaries(
        {
            "org": texts(120),
            "group": texts(100),
            "component": texts(100),
            "component_description": texts(300, lines=True),
            "title": texts(200),
            "still_works": texts(500, lines=True),
            "segment": texts(120),
            "body": texts(2000, lines=True),
            "maintenance": texts(200),
            "maintenance_description": texts(500, lines=True),
            "faq_question": texts(300),
            "faq_answer": texts(500, lines=True),
        }
    )
)
def test_any_accepted_text_shows_as_text_on_every_public_surface(people, text):
    with rolled_back_world():
        ongoing, resolved = build(people, text=text, time=SANE_TIMES)
        ongoing.refresh_from_db()
        pages = read_everything(ongoing, resolved)
        org = Organisation.current()
        home, page = pages["/"], pages[f"/incidents/{ongoing.public_id}"]
        component = Component.objects.get()
        maintenance = Maintenance.objects.get()
        answer = ongoing.answers.get()
        update = ongoing.updates.get()

        for html in (home, page):
            assert escape(org.name) in html
            assert escape(ongoing.title) in html and escape(component.name) in html
        assert escape(ComponentGroup.objects.get().name) in home
        assert escape(maintenance.title) in home and escape(maintenance.description) in home
        if ongoing.still_works:
            assert escape(ongoing.still_works) in page
        assert escape(str(ongoing.segments.get())) in page
        assert escape(update.body) in page
        assert escape(answer.question) in page and linebreaksbr(answer.text) in page
        assert "<script>alert" not in home + page

        summary = json.loads(pages["/api/v2/summary.json"])
        assert summary["page"]["name"] == org.name
        (shown,) = summary["incidents"]
        assert shown["name"] == ongoing.title
        assert shown["incident_updates"][0]["body"] == update.body
        assert shown["components"][0]["name"] == component.name
        assert summary["scheduled_maintenances"][0]["name"] == maintenance.title

        for path in ("/history.atom", "/history.rss"):
            root = ET.fromstring(pages[path].encode())
            titles = [e.text or "" for e in root.iter() if e.tag in {"title", f"{ATOM}title"}]
            assert in_feed_xml(ongoing.title) in titles, path


@pytest.mark.django_db
@PROPERTY
@given(
    time=st.fixed_dictionaries(
        {
            "zone": st.sampled_from(ZONES),
            "started": or_edges(times(EARLIEST, NOW)),
            "next_update": st.one_of(st.none(), or_edges(times(EARLIEST, NOW + PLAN_AHEAD))),
            # Set by clearline's clock at publishing, never typed: any time it can hold.
            "published": times(EARLIEST, NOW),
            "resolved_started": times(EARLIEST, NOW),
            "resolved": times(EARLIEST, NOW),
            "window": or_edges(times(EARLIEST, NOW + PLAN_AHEAD)),
            "window_length": st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
        }
    )
)
def test_any_accepted_time_renders_on_every_public_surface(people, time):
    with rolled_back_world():
        ongoing, resolved = build(people, text=SANE_TEXT, time=time)
        pages = read_everything(ongoing, resolved)

        summary = json.loads(pages["/api/v2/summary.json"])
        (shown,) = summary["incidents"]
        # Statuspage's documents give times to the millisecond.
        given = datetime.fromisoformat(shown["started_at"])
        assert timedelta(0) <= ongoing.started_at - given < timedelta(milliseconds=1)
        assert 'datetime="' in pages[f"/incidents/{ongoing.public_id}"]
