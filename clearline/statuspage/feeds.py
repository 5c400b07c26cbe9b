"""Atom and RSS history feeds, built with Django's syndication framework from public selectors."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from clearline.accounts.models import Organisation
from clearline.incidents.models import Incident
from clearline.statuspage import selectors

FEED_LENGTH = 50
# Characters XML 1.0 cannot carry at all, not even escaped. Text with them is accepted elsewhere
# (a page or JSON shows it), so the feeds leave them out rather than fail or be unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class HistoryFeed(Feed):
    feed_type = Rss201rev2Feed
    link = "/"

    def __init__(self, org: Organisation):
        super().__init__()
        self.org = org

    def title(self) -> str:
        return xml_text(f"{self.org.name} status history")

    def description(self) -> str:
        return xml_text(f"Incidents and updates published on the {self.org.name} status page.")

    def items(self):
        return selectors.public_incidents()[:FEED_LENGTH]

    def item_title(self, item: Incident) -> str:
        return xml_text(item.title)

    def item_link(self, item: Incident) -> str:
        return f"/incidents/{item.public_id}"

    def item_guid(self, item: Incident) -> str:
        return f"{settings.SITE_URL}/incidents/{item.public_id}"

    def item_description(self, item: Incident) -> str:
        # Rendered by the autoescaping template engine: user text cannot inject markup.
        return xml_text(
            render_to_string(
                "statuspage/feed_item.html",
                {"incident": item, "org": self.org, "zone": self.org.zone},
            )
        )

    def item_pubdate(self, item: Incident):
        return item.public_updates[-1].published_at

    def item_updateddate(self, item: Incident):
        return item.public_updates[0].published_at


class HistoryAtomFeed(HistoryFeed):
    feed_type = Atom1Feed
    subtitle = HistoryFeed.description


class _SiteRequest(HttpRequest):
    """A request for the page's own address, so feed links are absolute and correct."""

    def __init__(self) -> None:
        super().__init__()
        self._site_scheme, _, rest = settings.SITE_URL.partition("://")
        host = rest.split("/", 1)[0]
        self.META = {
            "HTTP_HOST": host,
            "SERVER_NAME": host.split(":")[0],
            "SERVER_PORT": host.split(":")[1] if ":" in host else "80",
        }

    def _get_scheme(self) -> str:
        return self._site_scheme


def render_feed(feed_class: type[HistoryFeed], org: Organisation) -> bytes:
    feed = feed_class(org).get_feed(None, _SiteRequest())
    return feed.writeString("utf-8").encode()
