"""A report's Markdown as HTML, and the exports: Markdown, a standalone HTML page and PDF.

The Markdown is the small subset the drafter writes — headings, paragraphs, bulleted and
numbered lists — read line by line; anything else a person types stays as the words they typed.
Every piece of text is escaped, so an edited report cannot put markup on the public page.
Renderers take values (`Document`), not models.
"""

import base64
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_CONTINUED = re.compile(r"^\s{2,}(\S.*)$")


@dataclass(frozen=True)
class Document:
    """One report as the exports show it."""

    title: str
    edition_label: str
    organisation: str
    body: str
    logo_uri: str = ""
    published_at: datetime | None = None
    published_label: str = ""
    internal: bool = False


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """(kind, lines) for each block: h1..h4, ul, ol, p."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            blocks.append(("", []))
            continue
        if heading := _HEADING.match(line):
            blocks.append((f"h{len(heading.group(1))}", [heading.group(2)]))
            continue
        for kind, pattern in (("ul", _BULLET), ("ol", _NUMBERED)):
            if item := pattern.match(line):
                if blocks and blocks[-1][0] == kind:
                    blocks[-1][1].append(item.group(1))
                else:
                    blocks.append((kind, [item.group(1)]))
                break
        else:
            if blocks and blocks[-1][0] in ("ul", "ol") and _CONTINUED.match(line):
                blocks[-1][1][-1] += "\n" + line.strip()  # an item's second line
            elif blocks and blocks[-1][0] == "p":
                blocks[-1][1].append(line.strip())
            else:
                blocks.append(("p", [line.strip()]))
    return [block for block in blocks if block[0]]


def _inline(text: str) -> str:
    return "<br>".join(escape(part) for part in text.split("\n"))


def to_html(text: str, *, shift: int = 0, untitled: bool = False) -> SafeString:
    """The Markdown as an HTML fragment; `shift` moves headings down (on a page that has its
    own h1, the report's title is an h2); `untitled` leaves out a leading title (a page whose
    own heading already names the report)."""
    out = []
    blocks = _blocks(text)
    if untitled and blocks and blocks[0][0] == "h1":
        blocks = blocks[1:]
    for kind, lines in blocks:
        if kind.startswith("h"):
            level = min(6, int(kind[1]) + shift)
            out.append(f"<h{level}>{escape(lines[0])}</h{level}>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li>{_inline(item)}</li>" for item in lines)
            out.append(f"<{kind}>{items}</{kind}>")
        else:
            out.append(f"<p>{escape(' '.join(lines))}</p>")
    return mark_safe("\n".join(out))  # noqa: S308 -- every piece above is escaped


def logo_uri(logo) -> str:
    """The organisation's logo as a data: URI, so exports carry it and fetch nothing."""
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""  # a logo file lost from disk leaves the report without one, not failing
    kind = mimetypes.guess_type(logo.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def as_markdown(document: Document) -> str:
    lines = [f"{document.organisation} · {document.edition_label}"]
    if document.published_label:
        lines.append(f"Published {document.published_label}")
    return "\n".join(lines) + "\n\n" + document.body.strip() + "\n"


def as_html(document: Document) -> str:
    """A standalone page: the organisation's name and logo, then the report."""
    return render_to_string(
        "reports/document.html", {"document": document, "content": to_html(document.body)}
    )


def as_pdf(document: Document) -> bytes:
    from weasyprint import HTML  # imported on use: it loads pango, which pages never need

    return HTML(string=as_html(document)).write_pdf()
