"""Times in an update: clock times with zones, dates, ranges and intervals, and what each is for.

Each time is classified by the words around it in its sentence:

- ``next_update``: a promise of the next message ("next update by 10:30 UTC", "in 30 minutes")
- ``recovery``: a guessed recovery time ("should be back by 15:00 UTC", "ETA 20 minutes")
- ``start`` / ``end``: when the problem began or stopped ("since 09:40 UTC", "restored at 10:15")
- ``window``: both ends at once ("between 09:40 and 10:15 UTC")
- ``duration``: how long something lasted or was watched ("for two hours")
- ``event``: any other moment ("at 09:52 UTC we rolled back")
"""

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from clearline.checks import lexicon
from clearline.checks.text import Document, Span, straighten

_NUMBER = re.compile(r"(?<![\w:.])\d")
# Where a clock time can be: "9:40", "2 pm", "11 UTC" (the digit before the marker).
_CLOCK_HINT = re.compile(
    r"\d(?=:[0-5]\d|\s?[ap]\.?m\b|\s?\(?[A-Z]{1,4}T?\b|\s?[A-Z][a-z]+ [Tt]ime)", re.I
)

ROLES = ("next_update", "recovery", "start", "end", "window", "duration", "event")


@dataclass(frozen=True, slots=True)
class TimeExpression:
    start: int
    end: int
    text: str
    form: str  # "clock", "range" or "interval"
    zoned: bool
    dated: bool
    role: str

    @property
    def concrete(self) -> bool:
        """A reader can tell the moment: an interval, or a clock time with a zone."""
        return self.form == "interval" or self.zoned

    @property
    def pinned(self) -> bool:
        """A moment in the past a reader can place: a zone, or a date with the time."""
        return self.form != "interval" and (self.zoned or self.dated)


class TimeGrammar:
    def __init__(self, data: Mapping[str, Any]):
        zone = "(?-i:" + "|".join(data["zones"]) + ")"
        months, weekdays = data["months"], data["weekdays"]
        date = (
            rf"(?:(?:{weekdays})\.?,?\s+(?:the\s+)?)?"
            rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{months})(?:\.(?=\s*\d))?(?:,?\s+\d{{4}})?"
            rf"|(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
            rf"|\d{{4}}-\d\d-\d\d"
            rf"|(?:{weekdays})\b|(?:{data['relative_days']}))"
        )
        clock = (
            r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[ap]\.?m\b\.?)?"
            r"|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?"
            rf"|(?:[01]?\d|2[0-3])(?=\s?{zone}\b)"
        )
        self.absolute = re.compile(
            rf"(?<![\w:.])(?:(?P<date1>{date})(?:,?\s+at\s+|,?\s+|T))?"
            rf"(?P<clock1>{clock})"
            rf"(?:(?P<zulu1>Z)|\s?\(?(?P<zone1>{zone})\)?)?"
            rf"(?:\s*(?:-|\u2013|\u2014|to|until|till|and)\s*(?P<clock2>{clock})"
            rf"(?:(?P<zulu2>Z)|\s?\(?(?P<zone2>{zone})\)?)?)?"
            rf"(?:,?\s+(?:on\s+)?(?P<date2>{date}))?(?![\w:])",
            re.IGNORECASE,
        )
        numbers, units = data["numbers"], data["units"]
        self.interval = re.compile(
            r"(?<![\w])(?:in|within|for|every|after|over|under|next|"
            r"eta(?:\s+for\s+(?:the\s+)?\w+)?(?::|\s+of)?)\s+"
            r"(?:(?:the|another)\s+)?(?:(?:next|coming|following|first|last|past)\s+)?"
            r"(?:(?:about|around|roughly|approximately|approx\.?|another|at most|up to|"
            r"less than|no more than|no later than)\s+)?"
            rf"(?:(?:{numbers})(?:\s*(?:-|\u2013|to|or)\s*(?:{numbers}))?\s*-?\s*(?:{units})"
            r"|hour)(?![\w])"
        )
        cues = data["cues"]
        self.cue_roles = [(role, lexicon.Phrases(cues[role], prefilter=False)) for role in cues]
        # Every cue in one pattern: one scan finds where cues start, then each role that may
        # have a cue there is asked (by the numbers of its patterns in the whole list).
        self.cues = lexicon.Phrases([p for role in cues for p in cues[role]], prefilter=False)
        self._role_numbers: list[range] = []
        for role in cues:
            start = self._role_numbers[-1].stop if self._role_numbers else 0
            self._role_numbers.append(range(start, start + len(cues[role])))
        self.zone_statement = lexicon.Phrases([data["zone_statement"]])
        self.adjacent = re.compile(
            r"(?P<start>since|from|starting(?: at| from)?|started at|began at|beginning at|"
            r"begun at)\s*$|(?P<end>until|till|through|up to|ended at|ending at)\s*$",
            re.IGNORECASE,
        )

    def find(self, doc: Document) -> list[TimeExpression]:
        """Times in the whole text at once; cues are read only in sentences that hold a time."""
        plain, found = doc.plain, []
        cues: dict[int, list[tuple[int, int, str]]] = {}

        def sentence_cues(sentence: Span) -> list[tuple[int, int, str]]:
            # Read only in sentences that hold a time; a cue of each role at each place.
            if sentence.start not in cues:
                found = []
                for hit in self.cues.finditer(
                    plain, sentence.start, sentence.end, overlapping=True
                ):
                    may = self.cues.candidates(plain, hit.start())
                    for (role, phrases), numbers in zip(
                        self.cue_roles, self._role_numbers, strict=True
                    ):
                        if (
                            not may.isdisjoint(numbers)
                            and (match := phrases.match_at(plain, hit.start())) is not None
                        ):
                            found.append((match.start(), match.end(), role))
                cues[sentence.start] = found
            return cues[sentence.start]

        taken: list[tuple[int, int]] = []
        matches: list[re.Match[str]] = []
        # A clock time starts with a digit: the full pattern is tried only around each one.
        clocks = [m.start() for m in _CLOCK_HINT.finditer(plain)]
        for digit in _NUMBER.finditer(plain):
            if matches and digit.start() < matches[-1].end():
                continue
            nearest = bisect_left(clocks, digit.start())
            if nearest == len(clocks) or clocks[nearest] > digit.start() + 60:
                continue  # no clock-like digits ahead: not the start of a time
            sentence = doc.sentence_at(digit.start())
            if sentence is None:
                continue
            window = max(sentence.start, digit.start() - 40, matches[-1].end() if matches else 0)
            # A clock time with its date and zone is short: the search never runs far.
            match = self.absolute.search(plain, window, min(sentence.end, digit.start() + 80))
            if match is not None and match.start() <= digit.start() < match.end():
                matches.append(match)
        for match in matches:
            sentence = doc.sentence_at(match.start())
            if sentence is None:
                continue
            two = match.group("clock2") is not None
            zoned = any(match.group(g) for g in ("zone1", "zone2", "zulu1", "zulu2"))
            dated = bool(match.group("date1") or match.group("date2"))
            role = "window" if two else self._role(plain, sentence, match, sentence_cues(sentence))
            taken.append(match.span())
            found.append(
                TimeExpression(
                    match.start(),
                    match.end(),
                    doc.text[match.start() : match.end()],
                    "range" if two else "clock",
                    zoned,
                    dated,
                    role,
                )
            )
        for match in self.interval.finditer(lexicon.fold(plain)):
            sentence = doc.sentence_at(match.start())
            if sentence is None or any(s < match.end() and match.start() < e for s, e in taken):
                continue
            prep = match.group().split(None, 1)[0].rstrip(":")  # the opening word
            role = self._role(plain, sentence, match, sentence_cues(sentence), interval=prep)
            found.append(
                TimeExpression(
                    match.start(),
                    match.end(),
                    doc.text[match.start() : match.end()],
                    "interval",
                    False,
                    False,
                    role,
                )
            )
        return sorted(found, key=lambda t: t.start)

    def _role(
        self,
        plain: str,
        sentence: Span,
        match: re.Match[str],
        cues: list[tuple[int, int, str]],
        *,
        interval: str | None = None,
    ) -> str:
        window = max(sentence.start, match.start() - 30)
        adjacent = self.adjacent.search(plain, window, match.start())
        if interval is None and adjacent:
            return "start" if adjacent.group("start") else "end"
        before = [c for c in cues if c[0] < match.start() and c[1] <= match.end()]
        after = [c for c in cues if c[0] >= match.end()]
        role = "event"
        if before:
            # The nearest cue wins; of two ending together, the longer ("expect this to be
            # resolved" over "resolved").
            role = max(before, key=lambda c: (c[1], -c[0]))[2]
        elif after:
            role = min(after, key=lambda c: c[0])[2]
        if interval is not None and interval.startswith("eta"):
            return "recovery"
        if interval in ("for", "over", "after", "under") and role != "next_update":
            return "duration"
        if interval is not None and role in ("start", "end"):
            return "duration"
        return role

    def states_zone(self, doc: Document) -> bool:
        return self.zone_statement.search(doc.plain) is not None


def grammar(language: str = "en") -> TimeGrammar:
    return _grammar(language)


@cache
def _grammar(language: str) -> TimeGrammar:
    return TimeGrammar(lexicon.load(language).data["time"])


def find_times(text: str, *, language: str = "en") -> list[TimeExpression]:
    """Every time expression in `text`, classified (see the module docstring)."""
    doc = Document(text, lexicon.load(language).abbreviations)
    return grammar(language).find(doc)


__all__ = ["ROLES", "TimeExpression", "TimeGrammar", "find_times", "grammar", "straighten"]
