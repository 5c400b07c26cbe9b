"""A report exported as Markdown, HTML or PDF, with the organisation's name and logo."""

from dataclasses import dataclass

from clearline.accounts.models import Organisation
from clearline.core.clock import time_label
from clearline.core.errors import ClearlineError
from clearline.reviews.reports import rendering
from clearline.reviews.reports.models import Edition, Report
from clearline.updates.models import Update

FORMATS = {
    "md": ("text/markdown; charset=utf-8", rendering.as_markdown),
    "html": ("text/html; charset=utf-8", rendering.as_html),
    "pdf": ("application/pdf", rendering.as_pdf),
}


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def document(update: Update, edition: str) -> rendering.Document:
    org = Organisation.current()
    title = update.body.lstrip().split("\n", 1)[0].lstrip("# ").strip()
    return rendering.Document(
        title=title or update.incident.title,
        edition_label=Edition(edition).label,
        organisation=org.name,
        body=update.body,
        logo_uri=rendering.logo_uri(org.logo),
        published_at=update.published_at,
        published_label=time_label(update.published_at, org.zone) if update.published_at else "",
        internal=edition == Edition.INTERNAL,
    )


def export(update: Update, edition: str, fmt: str) -> Export:
    if fmt not in FORMATS:
        raise ClearlineError(
            f"{fmt!r} is not an export format: use {', '.join(FORMATS)}.", field="format"
        )
    content_type, render = FORMATS[fmt]
    content = render(document(update, edition))
    data = content if isinstance(content, bytes) else content.encode()
    name = f"incident-{update.incident.public_id}-{edition}-report.{fmt}"
    return Export(data, content_type, name)


def export_report(report: Report, fmt: str) -> Export:
    return export(report.update, report.edition, fmt)
