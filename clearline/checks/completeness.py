"""Completeness rules: what a reader must be able to take away (CL101-CL109, CL130-CL133)."""

from collections.abc import Iterator

from clearline.checks.context import Context, Hit
from clearline.checks.times import TimeExpression, grammar


def missing_symptom(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.symptom.search(ctx.doc.plain) is None:
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


def missing_scope(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.scope.search(ctx.doc.plain) is None:
        yield Hit(
            None,
            None,
            "It does not say who is affected, nor that the scope is still being confirmed.",
            "Add who is affected, e.g. 'Customers on the EU region are affected' or 'We are "
            "still confirming which accounts are affected'.",
        )


def missing_still_works(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.still_works.search(ctx.doc.plain) is None:
        yield Hit(
            None,
            None,
            "It does not say what still works (or that the whole product is down).",
            "Add what customers can still rely on, e.g. 'Existing sessions and payments still "
            "work'.",
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


def missing_owner(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.owner.search(ctx.doc.plain) is None:
        yield Hit(
            None,
            None,
            "Nobody is named as leading the response.",
            "Name a team, role or person, e.g. 'Our payments team is leading the response' or "
            "'led by the on-call engineering lead'.",
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


def missing_customer_action(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.customer_action.search(ctx.doc.plain) is None:
        yield Hit(
            None,
            None,
            "Customers are not told what to do meanwhile.",
            "Add a workaround or say 'No action is needed on your side.'",
        )


def missing_verification(ctx: Context) -> Iterator[Hit]:
    if not ctx.verified:
        yield Hit(
            None,
            None,
            "It says the problem is fixed but not how the fix was checked.",
            "Add how you checked, e.g. 'We repeated the failed payments and watched error rates "
            "stay at normal levels for two hours.'",
        )


def missing_safety_boundary(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.safety.search(ctx.doc.plain) is None:
        yield Hit(
            None,
            None,
            "It does not say what stayed safe or unaffected, nor what is still being checked.",
            "Add the boundary, e.g. 'No payment data was exposed; stored files were not "
            "affected.' or 'We are still checking whether any emails were sent twice.'",
        )


def missing_prevention(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.prevention.search(ctx.doc.plain) is None:
        yield Hit(
            None,
            None,
            "No concrete change that makes a repeat less likely.",
            "Name the change, e.g. 'We added an alert on failed checkouts and a release check "
            "that blocks this configuration.'",
        )


def missing_contact_path(ctx: Context) -> Iterator[Hit]:
    if ctx.lex.contact.search(ctx.doc.plain) is None:
        yield Hit(
            None,
            None,
            "Readers are not told how to ask questions or reach a person.",
            "Add a path, e.g. 'Questions? Reply to this email or write to support@example.com.'",
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
