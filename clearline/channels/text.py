"""The plain text for copy and paste: support replies, chat messages, the email's text part."""

from django.template.loader import render_to_string

from clearline.channels.source import Notice


def plain_text(
    source: Notice, *, unsubscribe_url: str | None = None, manage_url: str | None = None
) -> str:
    context = {**source.context(), "unsubscribe_url": unsubscribe_url, "manage_url": manage_url}
    text = render_to_string("channels/update.txt", context)
    # render_to_string marks its result safe for HTML. This is plain text holding people's
    # words unescaped, so hand back a plain str: any page that shows it must escape it.
    return str.__str__(text).rstrip() + "\n"
