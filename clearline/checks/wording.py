"""Wording rules: what costs trust (CL110-CL120)."""

import re
from collections.abc import Callable, Iterator

from clearline.checks.context import Context, Hit, clause_end
from clearline.checks.lexicon import Phrases

NAME_THE_IMPACT = "Name the symptom customers saw instead."


def _phrase_hits(
    ctx: Context,
    phrase_set: Phrases,
    message: str,
    suggestion: str,
    skip: Callable[[re.Match[str]], bool] = lambda match: False,
) -> Iterator[Hit]:
    for match, own_suggestion in ctx.unquoted(phrase_set):
        if skip(match):
            continue
        yield Hit(
            match.start(),
            match.end(),
            message.format(phrase=ctx.written(match)),
            own_suggestion or suggestion,
        )


def jargon(ctx: Context) -> Iterator[Hit]:
    def home(match: re.Match[str]) -> bool:
        # "customers on the EU cluster": where their accounts live, not an internal part.
        if not ctx.lex.jargon_home_labels.match(match.group()):
            return False
        before = ctx.doc.plain[max(0, match.start() - 60) : match.start()]
        return ctx.lex.jargon_home.search(before) is not None

    yield from _phrase_hits(
        ctx,
        ctx.phrases.jargon,
        '"{phrase}" is an internal or soft label, not what customers saw.',
        NAME_THE_IMPACT,
        home,
    )


def empty_reassurance(ctx: Context) -> Iterator[Hit]:
    yield from _phrase_hits(
        ctx,
        ctx.phrases.empty_reassurance,
        '"{phrase}" is comfort with no fact in it.',
        "Replace it with a fact: what you did, what changed, or when you will update next.",
    )


def stock_apology(ctx: Context) -> Iterator[Hit]:
    yield from _phrase_hits(
        ctx,
        ctx.phrases.stock_apology,
        '"{phrase}" is the stock apology.',
        "Name the real impact, e.g. 'We are sorry that you could not take payments for two "
        "hours this morning.'",
    )


def apology_overuse(ctx: Context) -> Iterator[Hit]:
    apologies = [
        m for m in ctx.found(ctx.phrases.apology_words) if not ctx.doc.is_quoted(m.start(), m.end())
    ]
    if len(apologies) > 1:
        second = apologies[1]
        yield Hit(
            second.start(),
            second.end(),
            f"{len(apologies)} apologies in one text; repeating it makes each one weaker.",
            "Keep one specific apology that names the impact; cut the others.",
        )


def _starts_sentence(ctx: Context, match: re.Match[str]) -> bool:
    sentence = ctx.doc.sentence_at(match.start())
    return sentence is None or sentence.start == match.start()


def vague_time(ctx: Context) -> Iterator[Hit]:
    def skip(match: re.Match[str]) -> bool:
        if ctx.lex.vague_time_exceptions.match(ctx.doc.plain, match.start()):
            return True  # "shortly after 09:40 UTC" tells of the past
        word = ctx.written(match)
        # A capitalised word inside a sentence is a name: "the Coming Soon page builder".
        return word[0].isupper() and not word.isupper() and not _starts_sentence(ctx, match)

    yield from _phrase_hits(
        ctx,
        ctx.phrases.vague_time,
        '"{phrase}" promises no time.',
        "Give a time with its zone, e.g. 'by 10:30 UTC', or promise the next update instead.",
        skip,
    )


def speculation(ctx: Context) -> Iterator[Hit]:
    # "any inconvenience this may have caused" is the stock apology's, not a guess.
    apologies = [m.span() for m in ctx.found(ctx.phrases.stock_apology)]

    def skip(match: re.Match[str]) -> bool:
        if any(s <= match.start() and match.end() <= e for s, e in apologies):
            return True
        if ctx.kind in ("first", "update") and ctx.lex.speculation_live.match(
            ctx.doc.plain, match.start()
        ):
            return True  # impact hedged while it goes on
        sentence = ctx.doc.sentence_at(match.start())
        window = max(sentence.start if sentence else 0, match.start() - 200)
        # Saying what is being checked is fine: "checking whether this might be related"; so is
        # the stock apology's tail, read to the end of the hedge ("any disruption that this may
        # have caused").
        return bool(ctx.lex.speculation_exceptions.search(ctx.doc.plain, window, match.end()))

    yield from _phrase_hits(
        ctx,
        ctx.phrases.speculation,
        '"{phrase}" states a guess about the cause or impact.',
        "Say what is confirmed, or what you are checking: 'We are checking whether ...'.",
        skip,
    )


def _put_under_check(ctx: Context, match: re.Match[str]) -> bool:
    """Whether the sentence puts the claim under check or hedges it rather than making it:
    "we are checking whether no data was lost" claims nothing (a hedge is CL115's)."""
    sentence = ctx.doc.sentence_at(match.start())
    window = max(sentence.start if sentence else 0, match.start() - 80)
    exceptions = ctx.lex.premature_all_clear_exceptions
    return bool(exceptions.search(ctx.doc.plain, window, match.start()))


def premature_all_clear(ctx: Context) -> Iterator[Hit]:
    if ctx.kind == "resolved" and ctx.verified:
        return
    yield from _phrase_hits(
        ctx,
        ctx.phrases.premature_all_clear,
        '"{phrase}" declares victory before it is verified.',
        "Say what you checked instead, e.g. 'Sign-ins have worked normally since 10:15 UTC "
        "and we are watching closely.'",
        lambda match: _put_under_check(ctx, match) or _safety_boundary(ctx, match),
    )


def _safety_boundary(ctx: Context, match: re.Match[str]) -> bool:
    """A resolution's word on what stayed safe is its safety boundary, not a victory claim."""
    return ctx.kind not in ("first", "update") and says_what_stayed_safe(ctx, match.start())


def says_what_stayed_safe(ctx: Context, start: int) -> bool:
    """Whether the all-clear claim at `start` is a word on what stayed safe ("no payments were
    lost") rather than victory declared ("all clear", "fully resolved")."""
    plain = ctx.doc.plain
    return bool(ctx.lex.safety_claim.match(plain, start)) and not ctx.lex.victory_claim.match(
        plain, start
    )


# How far before a cause word a denial is read, and how far after it its clause is read for a
# third party (characters).
_NEAR = 30
_CLAUSE_REACH = 240


def vendor_blame(ctx: Context) -> Iterator[Hit]:
    message = (
        '"{phrase}" names a third party as the cause; before the cause is confirmed this reads '
        "as deflection."
    )
    suggestion = (
        "Describe the effect on your customers and what you are doing; name a supplier only "
        "once the cause is confirmed."
    )

    def denied(match: re.Match[str]) -> bool:
        # "This was not caused by our provider" clears the third party.
        before = ctx.doc.plain[max(0, match.start() - 30) : match.start()]
        return ctx.lex.vendor_negation.search(before) is not None or loose(match, before)

    def loose(match: re.Match[str], before: str) -> bool:
        # "Reports related to our partners" names a topic; "this is related to" lays a cause.
        tied = ctx.lex.vendor_tied.match(ctx.doc.plain, match.start()) is not None
        return tied and ctx.lex.vendor_tied_by.search(before) is None

    hits = list(_phrase_hits(ctx, ctx.phrases.vendor_blame, message, suggestion, denied))
    yield from hits
    if hits:
        return
    # However the clause is built, a cause word and a third party after it in one clause lay
    # the fault with the third party: "the drops are down to a routing change by our carrier".
    plain, lex = ctx.doc.plain, ctx.lex
    for cause in lex.vendor_cause.finditer(plain):
        sentence = ctx.doc.sentence_at(cause.start())
        if sentence is None:
            continue
        # Only the words just before the cause can deny it, and a clause names its third party
        # within a few lines: each look is bounded, so a long run of cause words costs no more
        # than a short one.
        before = max(sentence.start, cause.start() - _NEAR)
        if lex.vendor_cause_negation.search(plain, before, cause.start()):
            continue
        if loose(cause, plain[before : cause.start()]):
            continue
        end = clause_end(plain, cause.end(), min(sentence.end, cause.end() + _CLAUSE_REACH))
        party = lex.third_party.search(plain, cause.end(), end)
        if party is None or ctx.doc.is_quoted(party.start(), party.end()):
            continue
        if lex.vendor_own_side.search(plain, cause.end(), party.start()) or (
            lex.vendor_own_part.match(plain, party.end(), end)
        ):
            continue  # "a bug in our own integration with Shopify", "our Stripe integration"
        yield Hit(
            cause.start(),
            party.end(),
            message.format(phrase=ctx.text[cause.start() : party.end()]),
            suggestion,
        )
        return


def guessed_deadline(ctx: Context) -> Iterator[Hit]:
    for time in ctx.times:
        if time.role != "recovery":
            continue
        sentence = ctx.doc.sentence_at(time.start)
        start, end = (sentence.start, sentence.end) if sentence else (time.start, time.end)
        yield Hit(
            start,
            end,
            f'"{time.text}" promises a recovery time you cannot know yet.',
            "Promise the next update instead, e.g. 'We will post the next update by 10:30 UTC.'",
        )


def boilerplate(ctx: Context) -> Iterator[Hit]:
    if not len(ctx.history):
        return
    for paragraph in ctx.doc.paragraphs:
        repeat = ctx.history.repeat_of(paragraph.text)
        if repeat is not None:
            yield Hit(
                paragraph.start,
                paragraph.end,
                f"This paragraph repeats {repeat.share:.0%} of a text published before.",
                "Rewrite it for this incident: its own symptom, scope, times and checks.",
            )


def hard_to_read(ctx: Context) -> Iterator[Hit]:
    limit = ctx.config.max_sentence_words
    grade = ctx.grade
    target = ctx.config.grade_limit(ctx.kind)
    for sentence, count in zip(ctx.doc.sentences, ctx.sentence_lengths, strict=True):
        if count > limit:
            yield Hit(
                sentence.start,
                sentence.end,
                f"This sentence has {count} words (limit {limit}); the text reads at grade "
                f"{grade:g}.",
                "Split it into sentences of one fact each.",
            )
    if grade > target:
        yield Hit(
            None,
            None,
            f"The text reads at grade {grade:g} (Flesch-Kincaid); the target is {target:g}.",
            "Use shorter sentences and everyday words: 'could not sign in', not "
            "'experienced authentication failures'.",
        )
