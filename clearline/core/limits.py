"""How much text each input takes, and which characters no input takes: the one table the
services, the API schemas, the desk forms and docs/limits.md share.

Every limit sits far above what a real writer needs (the longest update in the checks' examples
and the demo is under 1,000 characters) and far below what makes the checks or a page slow.
Limits are enforced before any work: the request size before the body is read, a text's length
and characters before it is checked, stored or rendered.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from clearline.core.errors import ClearlineError


@dataclass(frozen=True)
class Limit:
    """One kind of text input: at most `chars` characters; `lines` says whether it may hold line
    breaks and tabs (prose may, a title or a label is one line)."""

    chars: int
    lines: bool = True


# Characters. docs/limits.md lists each; tests/core/test_limits.py keeps the two in step.
TITLE = Limit(200, lines=False)
STILL_WORKS = Limit(1_000)
SEGMENT_LABEL = Limit(120, lines=False)
UPDATE_BODY = Limit(10_000)  # the chat channels split anything over 3,000 into sections
REPORT_BODY = Limit(200_000)  # an incident report: its internal edition lists the whole timeline
OVERRIDE_REASON = Limit(1_000)
PLAN_REASON = Limit(1_000)
TIMELINE_TEXT = Limit(10_000)  # an alert group's first entry lists up to 20 alerts
FACT_TEXT = Limit(1_000)
ANSWER_QUESTION = Limit(300, lines=False)
ANSWER_TEXT = Limit(5_000)
SIGNAL_TEXT = Limit(2_000)
SIGNAL_ACCOUNT = Limit(200, lines=False)
SIGNAL_SYMPTOM = Limit(200, lines=False)
COMPOSE_FIELD = Limit(1_000)
COMPOSE_LEAD = Limit(200, lines=False)
CHECKED_TEXT = Limit(20_000)  # POST /api/checks also checks reports and reviews
GLOSSARY = Limit(10_000)
PHRASE_LIST = Limit(5_000)
TOKEN_NAME = Limit(100, lines=False)
REVIEW_SECTION = Limit(5_000)  # each section of a review's write-up
REVIEW_WHY = Limit(1_000)  # a question or an answer of the Five Whys
REVIEW_FACTOR = Limit(1_000)
ATTENDEE_NAME = Limit(120, lines=False)
ACTION_OUTCOME = Limit(300, lines=False)  # one clear outcome: a sentence, not a plan
ACTION_NOTE = Limit(2_000)  # evidence, and why an item will not be done
EVIDENCE_LINK = Limit(500, lines=False)

# Bytes of a whole request, refused from its Content-Length before the body is read.
API_REQUEST_BYTES = 256 * 1024
ALERT_REQUEST_BYTES = 1024 * 1024  # PagerDuty caps an event at 256 KB; Alertmanager groups grow
# A desk form: room for a pasted megabyte, so the desk can say the text is too long and keep it.
FORM_REQUEST_BYTES = 2 * 1024 * 1024
# Django's own ceiling on a body it reads (settings.DATA_UPLOAD_MAX_MEMORY_SIZE): the largest above.
LARGEST_REQUEST_BYTES = max(API_REQUEST_BYTES, ALERT_REQUEST_BYTES, FORM_REQUEST_BYTES)
# A JSON body nested deeper than this is no real request (Alertmanager's nests 4 deep).
JSON_DEPTH = 32

# Pages of API lists.
PAGE_SIZE = 500
PAGE_OFFSET = 1_000_000

# No input takes NUL or other C0 controls (PostgreSQL refuses NUL; the others draw nothing) nor
# the bidirectional override, embedding and isolate controls, which make a status page show text
# in another order than it was written. Halves of a surrogate pair cannot be stored as UTF-8.
_UNSTORABLE = "\x00\ud800-\udfff"
_NEVER = f"{_UNSTORABLE}\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069"
_IN_PROSE = re.compile(f"[{_NEVER}]")
_IN_A_LINE = re.compile(f"[{_NEVER}\t\n\r]")
_UNSTORABLE_CHARS = re.compile(f"[{_UNSTORABLE}]")


def size(count: int) -> str:
    """A byte count as people read it: 256 KiB, 1 MiB."""
    if count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MiB"
    return f"{count // 1024} KiB"


def too_big(limit_bytes: int) -> str:
    return f"The request is larger than {size(limit_bytes)}; send less."


def request_bytes(path: str) -> int:
    """The largest body a request to `path` may carry."""
    if path.startswith("/api/"):
        return API_REQUEST_BYTES
    if path.startswith("/hooks/"):
        return ALERT_REQUEST_BYTES
    return FORM_REQUEST_BYTES


def too_long(most: int, length: int) -> str:
    return f"Keep this to {most:,} characters; it has {length:,}."


def problem(value: str, limit: Limit) -> str | None:
    """What is wrong with `value` as this kind of input, in words for its writer, or None."""
    if len(value) > limit.chars:
        return too_long(limit.chars, len(value))
    found = (_IN_PROSE if limit.lines else _IN_A_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    if char in "\n\r\t":
        return "Keep this on one line."
    if "\ud800" <= char <= "\udfff":
        return "This holds half of a character (a lone surrogate); send the whole character."
    return f"This holds a control character (U+{ord(char):04X}) that cannot be shown; remove it."


def accept(value: str, limit: Limit, *, field: str) -> str:
    """`value` if it fits; otherwise the refusal naming `field`. Services call this before work."""
    message = problem(value, limit)
    if message:
        raise ClearlineError(message, field=field)
    return value


def fit(value: str, limit: Limit) -> str:
    """Text written by a machine (an alert), made to fit: refused characters become spaces and
    it is cut at the limit, so an alert is never lost over its wording."""
    value = (_IN_PROSE if limit.lines else _IN_A_LINE).sub(" ", value)
    return value if len(value) <= limit.chars else value[: limit.chars - 1].rstrip() + "…"


def _validator(limit: Limit):
    def valid(value: str) -> str:
        message = problem(value, limit)
        if message:
            raise ValueError(message)
        return value

    return valid


def text(limit: Limit) -> Any:
    """The API schema type of a text input of this kind; its JSON schema carries maxLength."""
    return Annotated[str, Field(max_length=limit.chars), AfterValidator(_validator(limit))]


def form_validator(limit: Limit):
    """The same rule for a desk form field (Django's max_length states the length)."""
    from django.core.exceptions import ValidationError

    def valid(value: str) -> None:
        message = problem(value, limit)
        if message:
            raise ValidationError(message, code="limit")

    return valid


def read_json(body: bytes) -> Any:
    """A request body as JSON, refused (ClearlineError, 422 or 400) when it is not JSON, nests
    deeper than any real request, or holds a string no database can store."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise ClearlineError(
            f"The JSON is nested too deeply (more than {JSON_DEPTH} levels).", field="body"
        ) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ClearlineError(f"The body is not valid JSON: {error}.", field="body") from None
    for path, depth, value in _walk(data):
        if depth > JSON_DEPTH:
            raise ClearlineError(
                f"The JSON is nested too deeply (more than {JSON_DEPTH} levels).", field="body"
            )
        if isinstance(value, str) and _UNSTORABLE_CHARS.search(value):
            error = ClearlineError(
                "This holds a NUL character or half of a character (a lone surrogate), which "
                "cannot be stored; remove it.",
                field=path or "body",
            )
            error.status = 422
            raise error
    return data


def _walk(data: Any) -> Iterator[tuple[str, int, Any]]:
    """Every value in decoded JSON with its dotted path and depth; keys count as values."""
    stack = [("", 0, data)]
    while stack:
        path, depth, value = stack.pop()
        yield path, depth, value
        if isinstance(value, dict):
            for key, item in value.items():
                yield path, depth + 1, key  # a bad key is refused at its object's path
                inner = f"{path}.{key}" if path else str(key)
                stack.append((inner, depth + 1, item))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((f"{path}.{index}" if path else str(index), depth + 1, item))
