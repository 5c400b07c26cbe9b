"""The desk's insights page: charts drawn on the server, each with its numbers in a table."""

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from clearline.core.errors import ClearlineError
from clearline.desk.access import desk_view
from clearline.reviews.insights import charts, selectors
from clearline.reviews.insights.charts import Series

LISTED = 50  # incidents in the per-incident table
CHARTED = 20  # incidents in the per-incident chart, newest first


class RangeForm(forms.Form):
    by = forms.ChoiceField(
        choices=[("month", "Month"), ("week", "Week")], required=False, label="Per"
    )
    since = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))


def _pair(periods, measure) -> list[Series]:
    return [
        Series("Real incidents", [measure(p.real) for p in periods], charts.REAL),
        Series("Drills", [measure(p.drill) for p in periods], charts.DRILL),
    ]


def over_time(found: selectors.Insights) -> list[dict]:
    """One chart per measure, by week or month, real incidents beside drills."""
    periods = found.periods
    labels = [p.label for p in periods]
    span = f"per {found.by} from {found.since:%d %b %Y} to {found.until:%d %b %Y}"
    measures = [
        (
            "first-update",
            "Time to first update",
            "Median minutes from start to first update",
            lambda s: s.first_update_seconds,
            charts.minutes,
        ),
        (
            "on-time",
            "Updates on time",
            "Share of updates published by the time promised",
            lambda s: s.on_time_share,
            charts.percent,
        ),
        (
            "lateness",
            "Lateness of late updates",
            "Mean minutes late, late updates only",
            lambda s: s.mean_lateness_seconds,
            charts.minutes,
        ),
        (
            "resolve",
            "Time to resolve",
            "Median time from start to resolution",
            lambda s: s.resolve_seconds,
            charts.minutes,
        ),
    ]
    made = []
    for key, title, what, measure, fmt in measures:
        series = _pair(periods, measure)
        made.append(
            {
                "key": key,
                "title": title,
                "svg": charts.column_chart(
                    chart_id=f"chart-{key}",
                    title=f"{title}, {span}",
                    desc=f"{what}, real incidents and drills. The numbers are in the table below.",
                    categories=labels,
                    series=series,
                    fmt=fmt,
                    top=1.0 if fmt is charts.percent else None,
                ),
                "rows": [
                    (
                        p.label,
                        *(
                            fmt(v) if v is not None else "—"
                            for v in (measure(p.real), measure(p.drill))
                        ),
                    )
                    for p in periods
                ],
            }
        )
    return made


def actions_chart(found: selectors.Insights) -> dict:
    periods = found.periods
    series = [
        Series("Open", [p.real.actions_open + p.drill.actions_open for p in periods], charts.OPEN),
        Series(
            "Overdue",
            [p.real.actions_overdue + p.drill.actions_overdue for p in periods],
            charts.OVERDUE,
        ),
        Series(
            "Closed",
            [p.real.actions_closed + p.drill.actions_closed for p in periods],
            charts.CLOSED,
        ),
    ]
    return {
        "svg": charts.column_chart(
            chart_id="chart-actions",
            title=f"Action items by when their incident started, per {found.by}",
            desc="Open (overdue included), overdue and closed action items. The numbers are in "
            "the table below.",
            categories=[p.label for p in periods],
            series=series,
            fmt=charts.count,
        ),
        "rows": [
            (p.label, *(int(s.values[index]) for s in series)) for index, p in enumerate(periods)
        ],
    }


def _shown(value, fmt) -> str:
    return "—" if value is None else fmt(value)


def overall_rows(found: selectors.Insights) -> list[tuple[str, str, str]]:
    """Measure, real incidents, drills: the comparison the drill chart draws, as text."""
    real, drill = found.overall["real"], found.overall["drill"]
    measures = [
        ("Incidents", "incidents", charts.count),
        ("Time to first update (median)", "first_update_seconds", charts.minutes),
        ("Time between updates (median)", "cadence_seconds", charts.minutes),
        ("Time to resolve (median)", "resolve_seconds", charts.minutes),
        ("Updates on time", "on_time_share", charts.percent),
        ("Late updates", "late", charts.count),
        ("Lateness of late updates (mean)", "mean_lateness_seconds", charts.minutes),
        ("Latest update", "worst_lateness_seconds", charts.minutes),
        ("Action items open", "actions_open", charts.count),
        ("Action items overdue", "actions_overdue", charts.count),
        ("Action items closed", "actions_closed", charts.count),
    ]
    return [
        (label, _shown(getattr(real, name), fmt), _shown(getattr(drill, name), fmt))
        for label, name, fmt in measures
    ]


def incident_rows(found: selectors.Insights) -> list[dict]:
    return [
        {
            "incident": row,
            "first_update": _shown(row.first_update_seconds, charts.minutes),
            "cadence": _shown(row.cadence_seconds, charts.minutes),
            "resolve": _shown(row.resolve_seconds, charts.minutes),
            "worst": _shown(row.worst_lateness_seconds, charts.minutes),
        }
        for row in found.incidents
    ]


def drill_vs_real(found: selectors.Insights) -> str:
    real, drill = found.overall["real"], found.overall["drill"]
    measures = [
        ("Time to first update", "first_update_seconds"),
        ("Time between updates", "cadence_seconds"),
        ("Time to resolve", "resolve_seconds"),
    ]
    return charts.bar_chart(
        chart_id="chart-drill-vs-real",
        title="Drills against real incidents: median response times",
        desc="Time to first update, time between updates and time to resolve, real incidents "
        "beside drills. The numbers are in the table above.",
        categories=[label for label, _ in measures],
        series=[
            Series("Real incidents", [getattr(real, name) for _, name in measures], charts.REAL),
            Series("Drills", [getattr(drill, name) for _, name in measures], charts.DRILL),
        ],
        fmt=charts.minutes,
    )


def per_incident(found: selectors.Insights) -> str:
    shown = found.incidents[:CHARTED]
    return charts.bar_chart(
        chart_id="chart-incidents",
        title=f"Time to first update and to resolve, the {len(shown)} newest incidents",
        desc="One row per incident, newest first; drills are marked. The numbers are in the "
        "table below.",
        categories=[f"{'Drill: ' if i.is_drill else ''}{i.title}" for i in shown],
        series=[
            Series("First update", [i.first_update_seconds for i in shown], charts.REAL),
            Series("Resolved", [i.resolve_seconds for i in shown], charts.CLOSED),
        ],
        fmt=charts.minutes,
    )


@desk_view("incidents.view_incident")
@require_safe
def insights_page(request: HttpRequest) -> HttpResponse:
    form = RangeForm(request.GET or None)
    chosen: dict[str, str | date | None] = {}
    if form.is_bound and form.is_valid():
        chosen = {key: value for key, value in form.cleaned_data.items() if value}
    try:
        found = selectors.insights(limit=LISTED, **chosen)
    except ClearlineError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        found = selectors.insights(limit=LISTED)
    context = {
        "form": form,
        "found": found,
        "charts": over_time(found),
        "actions": actions_chart(found),
        "drill_vs_real": drill_vs_real(found),
        "per_incident": per_incident(found) if found.incidents else None,
        "overall": overall_rows(found),
        "incidents": incident_rows(found),
    }
    status = 400 if form.errors else 200
    return render(request, "reviews/insights/page.html", context, status=status)
