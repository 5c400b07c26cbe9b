"""The limits an operator reads in docs/limits.md are the ones the code enforces, in one place."""

import re
from pathlib import Path

import pytest

from clearline.api import api
from clearline.brief.models import Answer, CustomerSignal
from clearline.core import limits
from clearline.core.errors import ClearlineError
from clearline.incidents.models import Incident, Maintenance, Segment
from clearline.reviews.models import Attendee

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"

# Each limit in code, and the start of its row in the documentation's table.
ROWS = {
    "TITLE": "Incident title",
    "STILL_WORKS": "What still works",
    "SEGMENT_LABEL": "Segment label",
    "UPDATE_BODY": "Update text",
    "REPORT_BODY": "Incident report text",
    "OVERRIDE_REASON": "Override reason",
    "PLAN_REASON": "Why a first-week step is not needed",
    "TIMELINE_TEXT": "Timeline entry",
    "FACT_TEXT": "Fact or question",
    "ANSWER_QUESTION": "Brief question",
    "ANSWER_TEXT": "Brief answer",
    "SIGNAL_TEXT": "Customer signal: what the customer said",
    "SIGNAL_ACCOUNT": "Customer signal: account, symptom",
    "SIGNAL_SYMPTOM": "Customer signal: account, symptom",
    "COMPOSE_FIELD": "Compose fields",
    "COMPOSE_LEAD": "Compose: who leads",
    "CHECKED_TEXT": "Text sent to `POST /api/checks`",
    "GLOSSARY": "Check settings: internal names",
    "PHRASE_LIST": "Check settings: one rule's phrase list",
    "TOKEN_NAME": "API token name",
    "REVIEW_SECTION": "Review write-up: one section",
    "REVIEW_WHY": "Review: a question or an answer",
    "REVIEW_FACTOR": "Review: a contributing factor",
    "ATTENDEE_NAME": "Review attendee's name",
    "ACTION_OUTCOME": "Action item outcome",
    "ACTION_NOTE": "Action item evidence note",
    "EVIDENCE_LINK": "Action item evidence link",
}
BYTES = {
    "API_REQUEST_BYTES": "Request body to `/api/`",
    "ALERT_REQUEST_BYTES": "Request body to an alert intake",
    "FORM_REQUEST_BYTES": "Request body to any other address",
}


def table() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 3:
            rows[cells[0]] = cells[1]
    return rows


def documented(start: str) -> str:
    matches = [limit for name, limit in table().items() if name.startswith(start)]
    assert len(matches) == 1, f"docs/limits.md has no single row for {start!r}"
    return matches[0]


def test_every_text_limit_in_code_is_in_the_documentation_with_its_value():
    in_code = {name for name, value in vars(limits).items() if isinstance(value, limits.Limit)}
    assert in_code == set(ROWS), "a limit without a row in docs/limits.md (or the other way)"
    for name, row in ROWS.items():
        limit = getattr(limits, name)
        said = documented(row)
        assert f"{limit.chars:,} characters" in said, (name, said)
        assert ("one line" in said) == (not limit.lines), (name, said)


@pytest.mark.parametrize("name", sorted(BYTES))
def test_every_request_size_is_documented(name):
    assert documented(BYTES[name]) == limits.size(getattr(limits, name))


def test_the_json_depth_and_page_bounds_are_documented():
    assert documented("JSON nesting") == f"{limits.JSON_DEPTH} levels"
    pages = documented("`limit` and `offset`")
    assert f"1–{limits.PAGE_SIZE}" in pages and f"0–{limits.PAGE_OFFSET:,}" in pages


def test_the_models_take_exactly_what_the_limits_allow():
    assert Incident._meta.get_field("title").max_length == limits.TITLE.chars
    assert Maintenance._meta.get_field("title").max_length == limits.TITLE.chars
    assert Segment._meta.get_field("label").max_length == limits.SEGMENT_LABEL.chars
    assert Answer._meta.get_field("question").max_length == limits.ANSWER_QUESTION.chars
    assert CustomerSignal._meta.get_field("account").max_length == limits.SIGNAL_ACCOUNT.chars
    assert CustomerSignal._meta.get_field("symptom").max_length == limits.SIGNAL_SYMPTOM.chars
    assert Attendee._meta.get_field("name").max_length == limits.ATTENDEE_NAME.chars


def test_the_api_schema_states_each_limit_to_clients():
    schemas = api.get_openapi_schema()["components"]["schemas"]

    def most(schema: str, field: str) -> int:
        prop = schemas[schema]["properties"][field]
        options = prop.get("anyOf", [prop])
        return next(option["maxLength"] for option in options if "maxLength" in option)

    assert most("IncidentIn", "title") == limits.TITLE.chars
    assert most("IncidentPatch", "still_works") == limits.STILL_WORKS.chars
    assert most("SegmentIn", "label") == limits.SEGMENT_LABEL.chars
    assert most("UpdateIn", "body") == limits.UPDATE_BODY.chars
    assert most("UpdatePatch", "body") == limits.UPDATE_BODY.chars
    assert most("TimelineIn", "text") == limits.TIMELINE_TEXT.chars
    assert most("FactIn", "text") == limits.FACT_TEXT.chars
    assert most("CheckIn", "text") == limits.CHECKED_TEXT.chars
    assert most("ComposeIn", "symptom") == limits.COMPOSE_FIELD.chars
    assert most("ComposeIn", "lead") == limits.COMPOSE_LEAD.chars


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Card payments fail in the EU.", None),
        ("Zahlungen schlagen fehl — 支付失败 — الدفع فشل", None),
        ("Right-to-left \u200f marks are fine", None),
        ("two\nlines", "one line"),
        ("a\ttab", "one line"),
        ("nul\x00", "U+0000"),
        ("bell\x07", "U+0007"),
        ("del\x7f", "U+007F"),
        ("over\u202eride", "U+202E"),
        ("embed\u202a", "U+202A"),
        ("isolate\u2066x\u2069", "U+2066"),
        ("half \ud800", "lone surrogate"),
        ("x" * 201, "200 characters"),
    ],
)
def test_a_title_takes_text_in_any_language_and_refuses_what_no_page_may_show(text, refused):
    if refused is None:
        assert limits.accept(text, limits.TITLE, field="title") == text
        return
    with pytest.raises(ClearlineError) as caught:
        limits.accept(text, limits.TITLE, field="title")
    assert caught.value.field == "title"
    assert refused in caught.value.message


def test_prose_keeps_its_line_breaks_and_tabs():
    text = "First line.\r\n\tIndented second line."
    assert limits.accept(text, limits.UPDATE_BODY, field="body") == text


def test_machine_written_text_is_made_to_fit_rather_than_refused():
    fitted = limits.fit("Checkout\nfails \u202e" + "x" * 300, limits.TITLE)
    assert len(fitted) == limits.TITLE.chars and fitted.endswith("…")
    assert limits.problem(fitted, limits.TITLE) is None


def test_json_nested_past_the_limit_is_refused_without_recursing():
    deep = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(ClearlineError, match="nested too deeply"):
        limits.read_json(deep)
    shallow = b'{"a": ' * limits.JSON_DEPTH + b"1" + b"}" * limits.JSON_DEPTH
    assert limits.read_json(shallow)
    with pytest.raises(ClearlineError, match="nested too deeply"):
        limits.read_json(
            b'{"a": ' * (limits.JSON_DEPTH + 1) + b"1" + b"}" * (limits.JSON_DEPTH + 1)
        )


def test_a_bad_string_is_named_by_its_path_in_the_json():
    with pytest.raises(ClearlineError) as caught:
        limits.read_json(b'{"alerts": [{"labels": {"team": "pay\\u0000ments"}}]}')
    assert caught.value.field == "alerts.0.labels.team"
    assert caught.value.status == 422
    with pytest.raises(ClearlineError) as caught:
        limits.read_json(b'{"alerts": [{"\\ud800": "x"}]}')
    assert caught.value.field == "alerts.0"


def test_the_documented_characters_match_the_code():
    doc = DOC.read_text()
    assert re.search(r"U\+202A–U\+202E, U\+2066–U\+2069", doc)
