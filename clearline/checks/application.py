"""Rules that need what only the application knows: the incident's status and facts ledger.

CL121, CL122 and CL123 run only with a ledger. With one, CL116 also fires on a claim while an open
question on its subject is still open, and CL117 is an error until the cause is confirmed.
CL122 also fires where CL116 does not run (the preliminary report, the incident report): a
confirmed fact on a subject supports claims about it, but not one that states the subject's
open question as settled.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache

from clearline.checks import consistency, lexicon, stored, wording
from clearline.checks.boilerplate import History
from clearline.checks.config import CheckConfig
from clearline.checks.context import Context, Hit
from clearline.checks.ledger import SUBJECT_LABELS, Entry, Ledger
from clearline.checks.lexicon import Phrases
from clearline.checks.record import Record
from clearline.checks.report import Finding

# What CL122 asks a confirmed fact for; CL116 also looks at claims about who is affected.
NEEDS_A_FACT = ("data_safety", "cause", "vendor", "recovery")


class StatusPhrases(Record):
    __slots__ = _fields = (
        "stated",
        "contradicts",
        "conditional",
        "claims",
        "claim_ignore",
        "labels",
        "partial_before",
        "partial_after",
    )
    stated: dict[str, Phrases]
    contradicts: dict[str, tuple[str, ...]]
    conditional: re.Pattern[str]
    claims: dict[str, Phrases]
    claim_ignore: frozenset[str]
    labels: re.Pattern[str]
    partial_before: re.Pattern[str]
    partial_after: re.Pattern[str]


@cache
def _phrases(language: str) -> StatusPhrases:
    data = lexicon.load(language).data
    mixed = data["mixed_status"]
    statuses = ("resolved", "monitoring", "identified", "investigating")
    labels = "|".join(f"(?P<{status}>{mixed['labels'][status]})" for status in statuses)
    return StatusPhrases(
        stated={status: Phrases(mixed[status]) for status in statuses},
        contradicts={k: tuple(v) for k, v in mixed["contradicts"].items()},
        conditional=stored.compile(lexicon.prepare(mixed["conditional"]["before"], folded=True)),
        claims={subject: Phrases(p) for subject, p in data["unsupported_claim"].items()},
        claim_ignore=frozenset(data["claim_words"]["ignore"]),
        # "Resolved - ..." opening a line: the label, then a dash or colon.
        labels=stored.compile(
            rf"^(?:{labels})(?=[ \t]*(?:[:\u2013\u2014]|-\s))", re.IGNORECASE | re.MULTILINE
        ),
        partial_before=stored.compile(mixed["partial"]["before"], re.IGNORECASE),
        partial_after=stored.compile(mixed["partial"]["after"], re.IGNORECASE),
    )


class Claim(Record):
    __slots__ = _fields = ("subject", "start", "end")
    subject: str
    start: int
    end: int


def _sentence_before(ctx: Context, position: int) -> str:
    sentence = ctx.doc.sentence_at(position)
    start = sentence.start if sentence else max(0, position - 200)
    return lexicon.fold(ctx.doc.plain[start:position])


def stated_statuses(ctx: Context) -> Iterator[tuple[str, re.Match[str]]]:
    """The statuses the text itself states about the whole incident, as statements: not as
    conditions, plans, questions, denials or quotes, nor for part of the customers."""
    phrases = _phrases(ctx.config.language)
    plain = ctx.doc.plain
    for label in phrases.labels.finditer(plain):
        status = next(name for name, value in label.groupdict().items() if value)
        yield status, label
    for status, stated in phrases.stated.items():
        for match in stated.finditer(plain):
            if ctx.doc.is_quoted(match.start(), match.end()):
                continue
            before = _sentence_before(ctx, match.start())
            if phrases.conditional.search(before) or phrases.partial_before.search(before):
                continue
            sentence = ctx.doc.sentence_at(match.start())
            rest = plain[match.end() : sentence.end if sentence else len(plain)]
            if phrases.partial_after.match(rest) or rest.rstrip().endswith("?"):
                continue
            yield status, match


def _stated_in(text: str, language: str) -> set[str]:
    phrases = _phrases(language)
    return {status for status, stated in phrases.stated.items() if stated.search(text)}


def mixed_status(
    ctx: Context, ledger: Ledger, _: Sequence[Hit], __: Sequence[Finding]
) -> Iterator[Hit]:
    contradicting = set(_phrases(ctx.config.language).contradicts.get(ledger.status, ()))
    elsewhere = (
        _stated_in(ledger.approved_text, ctx.config.language) if ledger.approved_text else set()
    )
    said: set[tuple[str, int]] = set()
    for status, match in stated_statuses(ctx):
        sentence = ctx.doc.sentence_at(match.start())
        place = (status, sentence.start if sentence else match.start())
        if place in said:
            continue  # one finding per status and sentence
        said.add(place)
        written = ctx.written(match)
        if status in contradicting:
            yield Hit(
                match.start(),
                match.end(),
                f'"{written}" states the status {status}, but this update publishes the '
                f"incident as {ledger.status}.",
                f"Make the words and the status agree: change the status to {status}, or say "
                f"what is true while it is {ledger.status}.",
            )
        elif elsewhere and status not in elsewhere:
            yield Hit(
                match.start(),
                match.end(),
                f'"{written}" states the status {status}, but the approved text on another '
                f"channel states {', '.join(sorted(elsewhere))}.",
                "Every channel should say the same: bring this text in line with the approved "
                "one, or have the change approved for all channels.",
            )


def claims(ctx: Context) -> list[Claim]:
    """Statements about data safety, cause, a supplier, recovery time or who is affected."""
    found: list[Claim] = []
    for subject, phrases in _phrases(ctx.config.language).claims.items():
        found += [Claim(subject, m.start(), m.end()) for m in phrases.finditer(ctx.doc.plain)]
    found += [Claim("vendor", m.start(), m.end()) for m in ctx.found(ctx.phrases.vendor_blame)]
    found += [Claim("recovery", t.start, t.end) for t in ctx.times if t.role == "recovery"]
    exceptions = ctx.lex.speculation_exceptions
    return sorted(
        (
            claim
            for claim in found
            if not ctx.doc.is_quoted(claim.start, claim.end)
            # "We are checking whether any data was lost" asks; it does not claim.
            and not exceptions.search(_sentence_before(ctx, claim.start))
        ),
        key=lambda claim: (claim.start, claim.subject),
    )


def claimed_subjects(text: str, *, config: CheckConfig | None = None) -> frozenset[str]:
    """What `text` states as settled: the subjects of its claims ("data_safety", "cause",
    "vendor", "recovery", "scope"). What it says is still being checked is no claim."""
    ctx = Context(text=text, kind="update", config=config or CheckConfig(), history=History(()))
    return frozenset(claim.subject for claim in claims(ctx))


def statuses_stated(text: str, *, config: CheckConfig | None = None) -> frozenset[str]:
    """The statuses `text` states about the incident ("resolved", "monitoring", "identified",
    "investigating"), as CL121 reads them: not as plans, conditions, questions or denials."""
    ctx = Context(text=text, kind="update", config=config or CheckConfig(), history=History(()))
    return frozenset(status for status, _ in stated_statuses(ctx))


def contradicting(status: str, *, language: str = "en") -> frozenset[str]:
    """The statuses that contradict `status` when a text states them (as CL121 reads them):
    "investigating" is contradicted by a cause found, a fix in place or a resolution."""
    return frozenset(_phrases(language).contradicts.get(status, ()))


def _flagged_already(claim: Claim, ledger: Ledger, earlier: Sequence[Finding]) -> bool:
    """One finding per place: CL116 already blocks a claim whose question is still open, and
    CL117 as an error already says a supplier was named before the cause was confirmed."""
    for finding in earlier:
        if finding.start is None or finding.end is None:
            continue
        if not (finding.start < claim.end and claim.start < finding.end):
            continue
        if finding.code == "CL116" and ledger.open_questions(claim.subject):
            return True
        if finding.code == "CL117" and finding.severity == "error":
            return True
    return False


_WORD = stored.Expression(r"[a-z0-9][a-z0-9:'-]*")
_ENDINGS = ("ing", "ed", "es", "s", "e")


def _said(text: str, ignore: frozenset[str]) -> frozenset[str]:
    """The words of `text` that tell one statement from another, each cut to a rough stem so
    "change", "changed" and "changes" meet."""
    said = set()
    for word in _WORD.findall(lexicon.fold(text)):
        word = word.strip("'-")
        if len(word) < 3 or word in ignore:
            continue
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        said.add(word)
    return frozenset(said)


def stated_question(ctx: Context, ledger: Ledger, claim: Claim) -> Entry | None:
    """The open question a claim states as settled, when its subject also has a confirmed
    fact: the claim's sentence shares more words with the question than with any fact. A tie
    goes to the fact (it is what the team confirmed)."""
    questions = ledger.open_questions(claim.subject)
    facts = ledger.settled(claim.subject)
    if not questions or not facts:
        return None
    ignore = _phrases(ctx.config.language).claim_ignore
    sentence = ctx.doc.sentence_at(claim.start)
    said = _said(sentence.text if sentence else ctx.text[claim.start : claim.end], ignore)
    backed = max(len(said & _said(fact.text, ignore)) for fact in facts)
    overlap = [len(said & _said(question.text, ignore)) for question in questions]
    shared = max(overlap)
    return questions[overlap.index(shared)] if shared > backed else None


def unsupported_claim(
    ctx: Context, ledger: Ledger, _: Sequence[Hit], earlier: Sequence[Finding]
) -> Iterator[Hit]:
    unsupported: list[Claim] = []
    for claim in claims(ctx):
        if claim.subject not in NEEDS_A_FACT or _flagged_already(claim, ledger, earlier):
            continue
        if not ledger.confirmed(claim.subject):
            unsupported.append(claim)
        elif (question := stated_question(ctx, ledger, claim)) is not None:
            yield Hit(
                claim.start,
                claim.end,
                f'"{ctx.text[claim.start : claim.end]}" states as settled what the facts ledger '
                f'still has open: "{question.text}"',
                "Settle the question in the facts ledger first, or say it is still being "
                "checked, e.g. 'We are still checking whether ...'.",
            )
    # One finding per stretch of text: "caused by an outage at our provider" claims a cause
    # and a supplier's part at once.
    groups: list[tuple[int, int, list[str]]] = []
    for claim in unsupported:
        if groups and claim.start < groups[-1][1]:
            start, end, subjects = groups[-1]
            if claim.subject not in subjects:
                subjects.append(claim.subject)
            groups[-1] = (start, max(end, claim.end), subjects)
        else:
            groups.append((claim.start, claim.end, [claim.subject]))
    for start, end, subjects in groups:
        about = " and ".join(SUBJECT_LABELS[s] for s in subjects)
        yield Hit(
            start,
            end,
            f'"{ctx.text[start:end]}" is a claim about {about} with no confirmed fact behind it '
            "in the facts ledger.",
            f"Confirm the fact about {about} in the ledger first, or remove the claim or say "
            "what you are still checking, e.g. 'We are checking whether ...'.",
        )


def open_question_all_clear(
    ctx: Context, ledger: Ledger, found: Sequence[Hit], _: Sequence[Finding]
) -> Iterator[Hit]:
    """CL116 in the application: a claim while a question on its subject is still open."""
    taken = [(h.start, h.end) for h in found if h.start is not None and h.end is not None]
    for claim in claims(ctx):
        questions = ledger.open_questions(claim.subject)
        if not questions or any(s < claim.end and claim.start < e for s, e in taken):
            continue
        taken.append((claim.start, claim.end))
        yield Hit(
            claim.start,
            claim.end,
            f'"{ctx.text[claim.start : claim.end]}" answers a question the ledger still has '
            f'open: "{questions[0].text}"',
            "Settle the question in the facts ledger first, or say it is still being checked.",
        )


def verified_safety(ctx: Context, ledger: Ledger, hit: Hit) -> bool:
    """CL116 in the application: a word on what stayed safe ("no card was charged twice") is
    verified, not premature, once the ledger holds a confirmed fact on data safety and no open
    question on it. A victory claim ("all clear", "fully resolved") is never settled this way."""
    if hit.start is None or not ledger.confirmed("data_safety"):
        return False
    return not ledger.open_questions("data_safety") and wording.says_what_stayed_safe(
        ctx, hit.start
    )


ApplicationCheck = Callable[[Context, Ledger, Sequence[Hit], Sequence[Finding]], Iterator[Hit]]

# Run after the catalog's own check for the code (if any), with its hits and the findings of
# the rules before it.
CHECKS: dict[str, ApplicationCheck] = {
    "CL116": open_question_all_clear,
    "CL121": mixed_status,
    "CL122": unsupported_claim,
    "CL123": consistency.next_update_mismatch,
}

# Hits of the catalog's own check that the ledger settles: dropped when the application runs.
SETTLED: dict[str, Callable[[Context, Ledger, Hit], bool]] = {"CL116": verified_safety}


def severity(code: str, default: str, ledger: Ledger | None) -> str:
    """CL117 in the application: naming a supplier as the cause blocks until it is confirmed."""
    if code == "CL117" and ledger is not None and not ledger.confirmed("cause"):
        return "error"
    return default
