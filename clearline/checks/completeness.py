"""Completeness rules: what a reader must be able to take away (CL101-CL109, CL130-CL133)."""

import re
from collections.abc import Callable, Iterator

from clearline.checks import actions
from clearline.checks.context import Context, Hit, RuleCheck
from clearline.checks.times import TimeExpression, grammar

Found = re.Match[str] | tuple[int, int] | None


def absent(code: str, element: str, find: Callable[[Context], Found]) -> RuleCheck:
    """A rule that fires, with no span, when `find` finds nothing in the text to take as the
    element (a match, or a span); what it finds is recorded as the element. Its message and
    suggestion come from the language's data file."""

    def rule(ctx: Context) -> Iterator[Hit]:
        found = find(ctx)
        if not ctx.take(element, found.span() if isinstance(found, re.Match) else found):
            text = ctx.lex.messages[code]
            yield Hit(None, None, text["message"], text["suggestion"])

    return rule


def phrase(section: str) -> Callable[[Context], re.Match[str] | None]:
    """Whether a phrase list of the lexicon ("scope", "owner", ...) matches anywhere."""
    return lambda ctx: ctx.first_match(getattr(ctx.lex, section))


def missing_symptom(ctx: Context) -> Iterator[Hit]:
    if not ctx.take("symptom", ctx.symptom_span):
        jargon = next(ctx.unquoted(ctx.phrases.jargon), None)
        label = f' "{ctx.written(jargon[0])}" is a label, not a symptom.' if jargon else ""
        yield Hit(
            None,
            None,
            "No sentence says what customers experienced: an action they could not do or an "
            f"effect they saw.{label}",
            "Add what customers saw, e.g. 'Customers could not sign in to the web app' or "
            "'Card payments failed at checkout'.",
        )


def next_update_times(ctx: Context) -> list[TimeExpression]:
    return [t for t in ctx.times if t.role == "next_update"]


def missing_next_update(ctx: Context) -> Iterator[Hit]:
    promises = next_update_times(ctx)
    concrete = next((t for t in promises if t.concrete), None)
    if ctx.take("next_update", (concrete.start, concrete.end) if concrete else None):
        return
    if promises:
        loose = promises[0]
        yield Hit(
            loose.start,
            loose.end,
            f'The next update time "{loose.text}" has no time zone.',
            f"Add the zone, e.g. '{loose.text.rstrip('.')} UTC'.",
        )
        return
    yield Hit(
        None,
        None,
        "No concrete time for the next update: give a time with its zone or an interval "
        '("soon" and "as we learn more" do not count).',
        "Add a line such as 'We will post the next update by 10:30 UTC, or sooner if anything "
        "changes.'",
    )


def _window(ctx: Context) -> tuple[TimeExpression | None, TimeExpression | None]:
    """The times taken as the start and the end of the problem."""
    moments = [t for t in ctx.times if t.pinned and t.role in ("start", "end", "window", "event")]
    window = next((t for t in moments if t.role == "window"), None)
    if window is not None:
        return window, window
    start = next((t for t in moments if t.role in ("start", "event")), None)
    end = next((t for t in moments if t.role == "end"), None)
    if len(moments) >= 2:
        # Two moments of the problem are its start and its end.
        start = start or next(t for t in moments if t is not end)
        end = end or next(t for t in reversed(moments) if t is not start)
    return start, end


def missing_time_window(ctx: Context) -> Iterator[Hit]:
    start, end = _window(ctx)
    if ctx.kind == "first":
        # In a first update any pinned moment of the problem is its start.
        moment = start or end
        if not ctx.take("start", (moment.start, moment.end) if moment else None):
            yield Hit(
                None,
                None,
                "It does not say when the problem started, as a time with a zone.",
                "Add the start, e.g. 'Since 09:40 UTC, ...'.",
            )
        return
    has_start = ctx.take("start", (start.start, start.end) if start else None)
    has_end = ctx.take("end", (end.start, end.end) if end else None)
    if not (has_start and has_end):
        missing = "when it started and when it ended" if not has_start else "when it ended"
        if has_start is False and has_end:
            missing = "when it started"
        yield Hit(
            None,
            None,
            f"It does not say {missing}, as times with a zone (or a date and time).",
            "Add the window, e.g. 'From 09:40 to 10:25 UTC on 3 March, ...'.",
        )


def missing_review_promise(ctx: Context) -> Iterator[Hit]:
    plain = ctx.doc.plain
    promises = ctx.lex.review_promise.finditer(plain)
    if not promises:
        yield Hit(
            None,
            None,
            "It does not say that a full review will follow.",
            "Add 'We will publish a full review of this incident by <date>.'",
        )
        return
    # Any sentence that names the review and says roughly when ("Our root cause analysis found
    # ... A full write-up follows by Friday." holds the promise in its second sentence).
    for found in promises:
        sentence = ctx.doc.sentence_at(found.start())
        start, end = (sentence.start, sentence.end) if sentence else found.span()
        if ctx.lex.review_when.search(plain, start, end) is not None:
            ctx.take("review_promise", (start, end))
            return
    yield Hit(
        promises[0].start(),
        promises[0].end(),
        "The full review is promised without saying roughly when.",
        "Add a date or a delay, e.g. '... by Friday 7 March' or '... within five business days'.",
    )


def missing_timeline(ctx: Context) -> Iterator[Hit]:
    # A zone stated once, or given with a time elsewhere in the text ("From 16:22 to 17:20 PST"),
    # holds for the bare clock times of a timeline that follows.
    zone_stated = grammar(ctx.config.language).states_zone(ctx.doc) or any(
        t.pinned for t in ctx.times
    )
    moments = {
        t.text.strip() for t in ctx.times if t.form != "interval" and (t.pinned or zone_stated)
    }
    if len(moments) < ctx.lex.timeline_minimum:
        yield Hit(
            None,
            None,
            "No timeline of the key moments with real times (noticed, cause found, change made, "
            "service restored).",
            "Add a short timeline, e.g. '09:12 UTC failed checkouts noticed; 09:18 UTC last "
            "release rolled back; 09:31 UTC checkouts back to normal'.",
        )


missing_scope = absent("CL102", "scope", lambda ctx: ctx.scope)
missing_still_works = absent(
    "CL103", "still_works", lambda ctx: ctx.first_outside(ctx.lex.still_works, ctx.lex.symptom)
)
missing_owner = absent("CL105", "owner", phrase("owner"))


missing_customer_action = absent("CL107", "customer_action", actions.customer_action)

missing_verification = absent("CL108", "verification", phrase("verification"))
missing_safety_boundary = absent("CL109", "safety", phrase("safety"))
missing_prevention = absent("CL130", "prevention", phrase("prevention"))
missing_contact_path = absent("CL131", "contact", phrase("contact"))
