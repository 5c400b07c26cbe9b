"""Bar charts drawn on the server as SVG: they show without JavaScript, and a screen reader
reads each chart's title and description (the same numbers are in a table beside it).

Values in, markup out: nothing here reads the database.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

Format = Callable[[float], str]

INK, MUTED, GRID = "#1f2328", "#59636e", "#d1d9e0"
REAL, DRILL = "#0969da", "#bc4c00"
OPEN, OVERDUE, CLOSED = "#9a6700", "#cf222e", "#1a7f37"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str


def minutes(seconds: float) -> str:
    """12 min, 3 h 05 min, 2 d 4 h: the scale a reader compares response times on."""
    total = round(seconds / 60)
    if total < 60:
        return f"{total} min"
    hours, mins = divmod(total, 60)
    if hours < 48:
        return f"{hours} h {mins:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def count(value: float) -> str:
    return f"{value:.0f}"


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _nice_top(largest: float) -> float:
    """A round number at or above the largest value, for the axis to end on."""
    if largest <= 0:
        return 1.0
    step = 10 ** len(str(int(largest))) / 10 or 1
    for factor in (1, 2, 2.5, 5, 10):
        if largest <= step * factor:
            return step * factor
    return largest


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]):
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{0}" role="img" '
        'viewBox="0 0 {1} {2}" width="{1}" height="{2}" aria-labelledby="{0}-title {0}-desc">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
        chart_id,
        width,
        height,
        title,
        desc,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 -- every part escaped above


def _legend(series: Sequence[Series], x: int, y: int) -> list[str]:
    parts = []
    for series_item in series:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}" font-size="12">{}</text>',
                x,
                y,
                series_item.colour,
                x + 16,
                y + 10,
                INK,
                series_item.name,
            )
        )
        x += 24 + 7 * len(series_item.name)
    return parts


def column_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Format,
    top: float | None = None,
) -> SafeString:
    """Columns grouped by category (a week or month), one colour per series."""
    left, right, upper, lower = 70, 10, 30, 40
    group = max(28, 14 * len(series) + 10)
    width = max(360, left + right + group * len(categories))
    height = 240
    plot = height - upper - lower
    values = [v for s in series for v in s.values if v is not None]
    top = top or _nice_top(max(values, default=0))
    body = _legend(series, left, 6)
    for step in range(5):
        share = step / 4
        y = upper + plot - plot * share
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" fill="{}" font-size="11" text-anchor="end">{}</text>',
                left,
                width - right,
                y,
                y,
                GRID,
                left - 6,
                y + 4,
                MUTED,
                fmt(top * share),
            )
        )
    bar = (group - 10) / max(1, len(series))
    every = max(1, len(categories) // 12)  # labels for at most a dozen columns stay legible
    for index, category in enumerate(categories):
        x0 = left + index * group + 5
        for number, series_item in enumerate(series):
            value = series_item.values[index]
            if value is None:
                continue
            tall = plot * min(value, top) / top
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}, {}: {}</title></rect>",
                    _n(x0 + number * bar),
                    _n(upper + plot - tall),
                    _n(max(bar - 2, 1)),
                    _n(tall),
                    series_item.colour,
                    category,
                    series_item.name,
                    fmt(value),
                )
            )
        if index % every == 0:
            body.append(
                format_html(
                    '<text x="{}" y="{}" fill="{}" font-size="11" text-anchor="middle">{}</text>',
                    _n(x0 + (group - 10) / 2),
                    height - lower + 16,
                    INK,
                    category,
                )
            )
    return _frame(chart_id, title, desc, width, height, body)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Format,
) -> SafeString:
    """Horizontal bars, one row per category (an incident, a measure): long labels fit."""
    label_width, right, upper, row_gap = 250, 90, 28, 6
    bar = 12
    row = bar * len(series) + row_gap
    width = 720
    height = upper + row * len(categories) + 10
    plot = width - label_width - right
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_top(max(values, default=0))
    body = _legend(series, label_width, 6)
    for index, category in enumerate(categories):
        y0 = upper + index * row
        short = category if len(category) <= 38 else category[:37] + "…"
        body.append(
            format_html(
                '<text x="{}" y="{}" fill="{}" font-size="12" text-anchor="end">{}</text>',
                label_width - 8,
                y0 + bar * len(series) / 2 + 4,
                INK,
                short,
            )
        )
        for number, series_item in enumerate(series):
            value = series_item.values[index]
            y = y0 + number * bar
            if value is None:
                shown, long = "no data", 0.0
            else:
                shown, long = fmt(value), plot * min(value, top) / top
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}, {}: {}</title></rect>"
                    '<text x="{}" y="{}" fill="{}" font-size="11">{}</text>',
                    label_width,
                    _n(y),
                    _n(long),
                    bar - 2,
                    series_item.colour,
                    category,
                    series_item.name,
                    shown,
                    _n(label_width + long + 4),
                    y + bar - 3,
                    MUTED,
                    shown,
                )
            )
    return _frame(chart_id, title, desc, width, height, body)
