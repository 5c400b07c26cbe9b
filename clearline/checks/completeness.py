"""Completeness rules: what a reader must be able to take away (CL101-CL109, CL130-CL133)."""

from collections.abc import Callable, Iterator

from clearline.checks.context import Context, Hit, RuleCheck
from clearline.checks.times import TimeExpression, grammar


def absent(code: str, present: Callable[[Context], object]) -> RuleCheck:
    """A rule that fires, with no span, when `present` finds nothing in the text; its message
    and suggestion come from the language's data file."""

    def rule(ctx: Context) -> Iterator[Hit]:
        if not present(ctx):
            text = ctx.lex.messages[code]
            yield Hit(None, None, text["message"], text["suggestion"])

    return rule


def phrase(section: str) -> Callable[[Context], object]:
    """Whether a phrase list of the lexicon ("scope", "owner", ...) matches anywhere."""
    return lambda ctx: ctx.first_match(getattr(ctx.lex, section))


def missing_symptom(ctx: Context) -> Iterator[Hit]:
    if ctx.first_match(ctx.lex.symptom) is None:
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
    if any(t.concrete for t in promises):
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


def _window(ctx: Context) -> tuple[bool, bool]:
    moments = [t for t in ctx.times if t.pinned and t.role in ("start", "end", "window", "event")]
    if any(t.role == "window" for t in moments):
        return True, True
    has_start = any(t.role in ("start", "event") for t in moments)
    has_end = any(t.role == "end" for t in moments)
    if len(moments) >= 2:
        return True, True
    return has_start, has_end


def missing_time_window(ctx: Context) -> Iterator[Hit]:
    has_start, has_end = _window(ctx)
    if ctx.kind == "first":
        # In a first update any pinned moment of the problem is its start.
        if not (has_start or has_end):
            yield Hit(
                None,
                None,
                "It does not say when the problem started, as a time with a zone.",
                "Add the start, e.g. 'Since 09:40 UTC, ...'.",
            )
        return
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
    promise = ctx.lex.review_promise.search(ctx.doc.plain)
    if promise is None:
        yield Hit(
            None,
            None,
            "It does not say that a full review will follow.",
            "Add 'We will publish a full review of this incident by <date>.'",
        )
        return
    sentence = ctx.doc.sentence_at(promise.start())
    scope = sentence or promise
    when = ctx.lex.review_when.search(ctx.doc.plain, scope.start, scope.end)
    if when is None:
        yield Hit(
            promise.start(),
            promise.end(),
            "The full review is promised without saying roughly when.",
            "Add a date or a delay, e.g. '... by Friday 7 March' or '... within five business "
            "days'.",
        )


def missing_timeline(ctx: Context) -> Iterator[Hit]:
    zone_stated = grammar(ctx.config.language).states_zone(ctx.doc)
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


missing_scope = absent("CL102", phrase("scope"))
missing_still_works = absent("CL103", phrase("still_works"))
missing_owner = absent("CL105", phrase("owner"))
missing_customer_action = absent("CL107", phrase("customer_action"))
missing_verification = absent("CL108", lambda ctx: ctx.verified)
missing_safety_boundary = absent("CL109", phrase("safety"))
missing_prevention = absent("CL130", phrase("prevention"))
missing_contact_path = absent("CL131", phrase("contact"))
