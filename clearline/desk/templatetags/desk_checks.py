"""How the desk shows a check report: the writer's text with each finding's span marked."""

from itertools import pairwise

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from clearline.checks.report import SEVERITY_ORDER

register = template.Library()


@register.filter
def severity_count(report, severity: str) -> int:
    if report is None:
        return 0
    return sum(1 for finding in report.findings if finding.severity == severity)


@register.simple_tag
def marked(text: str, findings) -> SafeString:
    """The text, escaped, with every finding's span in a <mark>; overlapping spans are split
    at each boundary, and each piece takes the most serious severity covering it."""
    length = len(text)
    spans = [
        (max(0, f.start), min(length, f.end), f)
        for f in findings
        if f.start is not None and f.end is not None and f.start < f.end
    ]
    cuts = sorted({0, length, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for a, b in pairwise(cuts):
        covering = [f for s, e, f in spans if s <= a and b <= e]
        if not covering:
            pieces.append(escape(text[a:b]))
            continue
        worst = min(covering, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))
        names = ", ".join(f"{f.code} {f.rule}" for f in covering)
        pieces.append(
            format_html(
                '<mark class="{}" title="{}" data-codes="{}">{}</mark>',
                worst.severity,
                names,
                " ".join(f.code for f in covering),
                text[a:b],
            )
        )
    return mark_safe("".join(pieces))  # noqa: S308 — every piece is escaped above
