"""What customers can do meanwhile (CL107): a workaround, an instruction, or that nothing is needed.

The phrase list finds the said forms ("no other action is needed on your side", "you can export
the file instead"). An instruction is found by its shape: a sentence, or the clause after a
leading "Meanwhile," or "If you are stuck,", that opens with a verb and its object ("Open the
invoice in the browser and print it to PDF"). The verb is recognised without a list of verbs: it
is the clause's first word when that word is none of the closed classes (prepositions, pronouns,
determiners, conjunctions, adverbs of time), does not read as a plural noun, a participle or an
adverb, and an object or a particle follows it, or the clause ends by saying it is for
meanwhile ("Attach files from the mobile app for now"), and no verb of its own follows the phrase
after it ("Access to the admin portal is back"). A clause that gives the team work to do
("Roll back the release", or one naming internal parts) is not for the reader.
"""

import re
from functools import cache

from clearline.checks import lexicon, stored
from clearline.checks.context import Context
from clearline.checks.record import Record

_WORD = stored.Expression(r"(?:please\s+)?([A-Za-z][A-Za-z'-]*)\s+", re.IGNORECASE)
# A clause may also start after a colon or semicolon, or after ", so" ("Bank transfers keep working,
# so offer them to buyers").
_CLAUSE_STARTS = stored.Expression(r"[:;]\s+|,\s+so\s+")


class Imperative(Record):
    __slots__ = _fields = (
        "openers",
        "not_verbs",
        "after",
        "meanwhile",
        "subject_verb",
        "noun_subject",
        "team",
    )
    openers: re.Pattern[str]
    not_verbs: frozenset[str]
    after: re.Pattern[str]
    meanwhile: re.Pattern[str]
    subject_verb: re.Pattern[str]
    noun_subject: re.Pattern[str]
    team: re.Pattern[str]


@cache
def _imperative(language: str) -> Imperative:
    data = lexicon.load(language).data["customer_action"]["imperative"]
    return Imperative(
        openers=stored.compile(data["openers"], re.IGNORECASE),
        not_verbs=frozenset(data["not_verbs"]),
        after=stored.compile(data["after"], re.IGNORECASE),
        meanwhile=stored.compile(data["meanwhile"], re.IGNORECASE),
        subject_verb=stored.compile(data["subject_verb"], re.IGNORECASE),
        noun_subject=stored.compile(data["noun_subject"], re.IGNORECASE),
        team=stored.compile(data["team"], re.IGNORECASE),
    )


def _looks_like_a_verb(word: str, grammar: Imperative) -> bool:
    lowered = word.lower()
    if lowered in grammar.not_verbs or len(lowered) < 2 or not word[1:].islower():
        return False
    if lowered.endswith(("ing", "ed", "ly")):
        return False
    # A plural noun ("Payments", "Exports"), not a verb's base form ("Access", "Press").
    return not (lowered.endswith("s") and not lowered.endswith("ss"))


def _clause_starts(plain: str, start: int, end: int, grammar: Imperative) -> list[int]:
    starts = [start]
    opener = grammar.openers.match(plain, start, end)
    if opener is not None:
        starts.append(opener.end())
    starts += [m.end() for m in _CLAUSE_STARTS.finditer(plain, start, end)]
    return starts


def _for_meanwhile(plain: str, start: int, end: int, grammar: Imperative) -> bool:
    """The rest of a clause opened by a verb ends by saying it is for meanwhile, and the verb
    is no subject followed by its own verb."""
    return (
        grammar.subject_verb.match(plain, start, end) is None
        and grammar.meanwhile.search(plain, start, end) is not None
    )


def instruction(ctx: Context) -> tuple[int, int] | None:
    """The first clause that tells the reader what to do, as a span."""
    grammar = _imperative(ctx.config.language)
    plain = ctx.doc.plain
    jargon = [m.span() for m in ctx.found(ctx.phrases.jargon)]
    for sentence in ctx.doc.sentences:
        if plain[sentence.start : sentence.end].rstrip().endswith("?"):
            continue
        for start in _clause_starts(plain, sentence.start, sentence.end, grammar):
            word = _WORD.match(plain, start, sentence.end)
            if word is None or not _looks_like_a_verb(word.group(1), grammar):
                continue
            if grammar.after.match(plain, word.end(), sentence.end) is None and not _for_meanwhile(
                plain, word.end(), sentence.end, grammar
            ):
                continue
            if grammar.noun_subject.match(plain, word.end(), sentence.end) is not None:
                continue  # a noun and its phrase, then their verb: no instruction
            if ctx.doc.is_quoted(start, sentence.end):
                continue
            clause = plain[start : sentence.end]
            if grammar.team.search(clause) or any(start <= s < sentence.end for s, _ in jargon):
                continue  # work for the team, or a step through internal parts
            return start, sentence.end
    return None


def customer_action(ctx: Context) -> re.Match[str] | tuple[int, int] | None:
    """What the text tells customers to do meanwhile (or that they need do nothing)."""
    return ctx.first_match(ctx.lex.customer_action) or instruction(ctx)
