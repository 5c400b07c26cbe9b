"""Run every rule that applies to a kind of text and collect the report."""

from collections.abc import Sequence

from clearline.checks import catalog, completeness, reviews, wording
from clearline.checks.boilerplate import History, as_history
from clearline.checks.config import CheckConfig
from clearline.checks.context import Context, RuleCheck
from clearline.checks.report import SEVERITY_ORDER, Finding, ReaderTest, Report, Stats

CHECKS: dict[str, RuleCheck] = {
    "CL101": completeness.missing_symptom,
    "CL102": completeness.missing_scope,
    "CL103": completeness.missing_still_works,
    "CL104": completeness.missing_next_update,
    "CL105": completeness.missing_owner,
    "CL106": completeness.missing_time_window,
    "CL107": completeness.missing_customer_action,
    "CL108": completeness.missing_verification,
    "CL109": completeness.missing_safety_boundary,
    "CL110": wording.jargon,
    "CL111": wording.empty_reassurance,
    "CL112": wording.stock_apology,
    "CL113": wording.apology_overuse,
    "CL114": wording.vague_time,
    "CL115": wording.speculation,
    "CL116": wording.premature_all_clear,
    "CL117": wording.vendor_blame,
    "CL118": wording.guessed_deadline,
    "CL119": wording.boilerplate,
    "CL120": wording.hard_to_read,
    "CL130": completeness.missing_prevention,
    "CL131": completeness.missing_contact_path,
    "CL132": completeness.missing_review_promise,
    "CL133": completeness.missing_timeline,
    "CL150": reviews.blame_language,
    "CL151": reviews.incomplete_action_item,
    "CL152": reviews.missing_customer_signal,
    "CL153": reviews.vague_action,
}


class KindError(ValueError):
    """An unknown kind of text."""


def check(
    text: str,
    *,
    kind: str = "update",
    config: CheckConfig | None = None,
    history: Sequence[str] | History = (),
    facts: object | None = None,
) -> Report:
    """Check `text` as a `kind` of customer update or internal review.

    `history` holds texts published before (for CL119). `facts` is reserved for the facts
    ledger that the application rules (CL121, CL122) will read; the engine does not use it.
    """
    if kind not in catalog.KINDS:
        raise KindError(f"kind must be one of {', '.join(catalog.KINDS)}, not {kind!r}")
    config = config or CheckConfig()
    ctx = Context(text=text, kind=kind, config=config, history=as_history(history))
    findings: list[Finding] = []
    for code, rule_check in CHECKS.items():
        rule = catalog.BY_CODE[code]
        default = rule.severities.get(kind)
        if default is None or not config.is_enabled(code):
            continue
        severity = config.severity(code, default)
        for hit in rule_check(ctx):
            findings.append(
                Finding(rule.name, code, severity, hit.message, hit.start, hit.end, hit.suggestion)
            )
    findings.sort(
        key=lambda f: (
            f.start if f.start is not None else -1,
            SEVERITY_ORDER[f.severity],
            f.code,
        )
    )
    return Report(kind, tuple(findings), reader_test(ctx), _stats(ctx))


def reader_test(ctx: Context) -> ReaderTest:
    what = ctx.first_sentence(ctx.lex.symptom)
    who = ctx.first_sentence(ctx.lex.scope)
    promises = [t for t in ctx.times if t.role == "next_update"]
    promise = next((t for t in promises if t.concrete), promises[0] if promises else None)
    next_update = ctx.doc.sentence_at(promise.start) if promise else None
    return ReaderTest(
        what.text.strip() if what else None,
        who.text.strip() if who else None,
        next_update.text.strip() if next_update else None,
    )


def _stats(ctx: Context) -> Stats:
    return Stats(sum(map(len, ctx.sentence_words)), len(ctx.doc.sentences), ctx.grade)
