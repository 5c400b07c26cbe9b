"""Run every rule that applies to a kind of text and collect the report."""

from collections.abc import Sequence
from types import MappingProxyType

from clearline.checks import application, catalog, completeness, consistency, reviews, wording
from clearline.checks.boilerplate import History, as_history
from clearline.checks.catalog import Rule
from clearline.checks.config import CheckConfig
from clearline.checks.context import Context, RuleCheck
from clearline.checks.ledger import Ledger
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
    "CL124": consistency.time_without_zone,
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
    facts: Ledger | None = None,
) -> Report:
    """Check `text` as a `kind` of customer update or internal review.

    `history` holds texts published before (for CL119). `facts` is the incident's status and
    facts ledger: with it the application rules (CL121, CL122) run and CL116 and CL117 read it.
    """
    if kind not in catalog.KINDS:
        raise KindError(f"kind must be one of {', '.join(catalog.KINDS)}, not {kind!r}")
    config = config or _DEFAULT
    ctx = Context(text=text, kind=kind, config=config, history=as_history(history))
    findings: list[Finding] = []
    for rule, default, severity, rule_check, more in _plan(config, kind, facts is not None):
        if facts is not None:
            severity = config.severity(rule.code, application.severity(rule.code, default, facts))
        hits = rule_check(ctx) if rule_check is not None else ()
        if facts is not None and rule.code in application.SETTLED:
            settled = application.SETTLED[rule.code]
            hits = [hit for hit in hits if not settled(ctx, facts, hit)]
        if more is not None:
            hits = list(hits)
            hits += more(ctx, facts, hits, findings)
        for hit in hits:
            findings.append(
                Finding(
                    rule.name, rule.code, severity, hit.message, hit.start, hit.end, hit.suggestion
                )
            )
    if len(findings) > 1:
        findings.sort(
            key=lambda f: (
                f.start if f.start is not None else -1,
                SEVERITY_ORDER[f.severity],
                f.code,
            )
        )
    return Report(
        kind, tuple(findings), reader_test(ctx), _stats(ctx), MappingProxyType(ctx.elements)
    )


_DEFAULT = CheckConfig()
Step = tuple[Rule, str, str, RuleCheck | None, application.ApplicationCheck | None]


def _plan(config: CheckConfig, kind: str, with_facts: bool) -> list[Step]:
    """The rules that run for a kind of text under a configuration, in catalog order, each with
    its severity (as it is without a ledger) and its checks; worked out once per configuration."""
    plans = config.__dict__.setdefault("_engine_plans", {})
    key = (kind, with_facts)
    plan = plans.get(key)
    if plan is None:
        plan = []
        for rule in catalog.RULES:
            default = rule.severities.get(kind)
            if default is None or not config.is_enabled(rule.code):
                continue
            if rule.application_only and not with_facts:
                continue
            plan.append(
                (
                    rule,
                    default,
                    config.severity(rule.code, application.severity(rule.code, default, None)),
                    CHECKS.get(rule.code),
                    application.CHECKS.get(rule.code) if with_facts else None,
                )
            )
        plans[key] = plan
    return plan


def forget() -> None:
    """Empty what the engine remembers of texts it has checked (their sentences, blocks and
    words), keeping what it knows of the language. A draft re-checked as it is typed reuses
    those memories; `forget` makes the next check pay for a text as if it had never been seen."""
    from clearline.checks import context, lexicon, starts, text

    context._SENTENCE_MEASURES.clear()
    starts._RECENT.clear()
    starts._PIECES.clear()
    text._abbreviated.cache_clear()
    lexicon.fold.cache_clear()


def reader_test(ctx: Context) -> ReaderTest:
    what = ctx.first_sentence(ctx.lex.symptom)
    who = ctx.doc.sentence_at(ctx.scope.start()) if ctx.scope is not None else None
    promises = [t for t in ctx.times if t.role == "next_update"]
    promise = next((t for t in promises if t.concrete), promises[0] if promises else None)
    next_update = ctx.doc.sentence_at(promise.start) if promise else None
    return ReaderTest(
        what.text.strip() if what else None,
        who.text.strip() if who else None,
        next_update.text.strip() if next_update else None,
    )


def _stats(ctx: Context) -> Stats:
    return Stats(sum(ctx.sentence_lengths), len(ctx.doc.sentences), ctx.grade)
