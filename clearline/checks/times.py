"""Times in an update: clock times with zones, dates, ranges and intervals, and what each is for.

Each time is classified by the words around it in its sentence:

- ``next_update``: a promise of the next message ("next update by 10:30 UTC", "in 30 minutes")
- ``recovery``: a guessed recovery time ("should be back by 15:00 UTC", "ETA 20 minutes"),
  also when the estimate has no preposition or is a day ("the rollout will take about an hour",
  "we expect it fixed by end of day")
- ``start`` / ``end``: when the problem began or stopped ("since 09:40 UTC", "restored at 10:15")
- ``window``: both ends at once ("between 09:40 and 10:15 UTC")
- ``duration``: how long something lasted or was watched ("for two hours")
- ``event``: any other moment ("at 09:52 UTC we rolled back")
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Mapping
from functools import cache, cached_property, lru_cache
from itertools import compress

from clearline.checks import lexicon, starts, stored
from clearline.checks.record import Record
from clearline.checks.text import Document, Span, straighten

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NUMBER = stored.Expression(r"(?<![\w:.])\d")
# Where a clock time can be: "9:40", "2 pm", "11 UTC" (the digit before the marker).
_CLOCK_HINT = stored.Expression(
    r"\d(?=:[0-5]\d|\s?[ap]\.?m\b|\s?\(?[A-Z]{1,4}T?\b|\s?[A-Z][a-z]+ [Tt]ime)", re.I
)

_PAST = stored.Expression(r"\b(?:last|past)\b")
# The words right before a time that make it a start or an end ("since 09:40", "until 10:15").
# No word of one kind ends with a word of the other, so the kind of the word a text ends with
# does not depend on which of them is taken.
_START_WORDS = (
    "since",
    "from",
    "starting",
    "starting at",
    "starting from",
    "started at",
    "began at",
    "beginning at",
    "begun at",
)
_END_WORDS = ("until", "till", "through", "up to", "ended at", "ending at")
# Their last letters: the words are looked for only after one of them.
_ADJACENT_FINALS = frozenset("".join(w[-1] + w[-1].upper() for w in _START_WORDS + _END_WORDS))

ROLES = ("next_update", "recovery", "start", "end", "window", "duration", "event")


class TimeExpression(Record):
    __slots__ = _fields = ("start", "end", "text", "form", "zoned", "dated", "role")
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
        twelve = r"(?:1[0-2]|0?[1-9])"
        clock = (
            r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[ap]\.?m\b\.?)?"
            rf"|{twelve}\s?[ap]\.?m\b\.?"
            rf"|(?:[01]?\d|2[0-3])(?=\s?{zone}\b)"
            # An hour whose am or pm comes at the end of the range: "between 7 and 9 PM".
            rf"|{twelve}(?=\s*(?:-|\u2013|\u2014|to|and)\s*{twelve}(?::[0-5]\d)?\s?[ap]\.?m\b)"
        )

        def absolute(date1: str) -> re.Pattern[str]:
            return stored.compile(
                rf"(?<![\w:.])(?:(?P<date1>{date1})(?:,?\s+at\s+|,?\s+|T))?"
                rf"(?P<clock1>{clock})"
                rf"(?:(?P<zulu1>Z)|\s?\(?(?P<zone1>{zone})\)?)?"
                # The end may be given roughly after "to" or a dash ("from 18:00 to about
                # 23:30 CET"; not after "and": "at 23:10 and about 23:30 service was back").
                rf"(?:\s*(?:(?:-|\u2013|\u2014|to|until|till)\s*"
                rf"(?:(?:about|around|roughly|approximately|approx\.|circa)\s+)?|and\s*)"
                rf"(?P<clock2>{clock})"
                rf"(?:(?P<zulu2>Z)|\s?\(?(?P<zone2>{zone})\)?)?)?"
                rf"(?:,?\s+(?:on\s+)?(?P<date2>{date}))?(?!\w)(?!(?<=\d):)",
                re.IGNORECASE,
            )

        self.absolute = absolute(date)
        # The same where a clock time begins ("9:40", "09:40"), where no date can: a date begins
        # with a word, a year, or a day's number followed by its ending or a space. Its date
        # (an empty lookahead fails at once) is not tried there; trying the date's many
        # case-blind alternatives was a third of the expression's time.
        self._absolute_at_clock = absolute("(?!)")
        numbers, units = data["numbers"], data["units"]
        self.interval = stored.compile(
            r"(?<![\w])(?:in|within|for|every|after|over|under|next|"
            r"eta(?:\s+for\s+(?:the\s+)?\w+)?(?::|\s+of)?)\s+"
            r"(?:(?:the|another)\s+)?(?:(?:next|coming|following|first|last|past)\s+)?"
            r"(?:(?:about|around|roughly|approximately|approx\.?|another|at most|up to|"
            r"less than|no more than|no later than)\s+)?"
            rf"(?:(?:{numbers})(?:\s*(?:-|\u2013|to|or)\s*(?:{numbers}))?\s*-?\s*(?:more\s+)?(?:{units})"
            r"|hour)(?![\w])"
        )
        # A quantity of time with no preposition ("ETA for the fix is 30 minutes", "it will
        # take about an hour") or a day ("by end of day", "tomorrow"): a time only where a
        # recovery cue comes before it, so impact bounds ("delays of up to 30 minutes") and
        # the past ("it took an hour") are not read as estimates.
        future_days = "|".join(
            r"\s+".join(map(re.escape, day.split()))
            for day in sorted(data["future_days"], key=len, reverse=True)
        )
        self.estimate = stored.compile(
            r"(?<![\w])(?:~\s*)?(?:(?:about|around|roughly|approximately|approx\.?|another|"
            r"at most|up to|less than|no more than|a further|an additional|an extra)\s+)?"
            rf"(?:(?:{numbers})(?:\s*(?:-|\u2013|to|or)\s*(?:{numbers}))?\s*-?\s*(?:{units})"
            # "in the next few hours": vague for a next update, still a guess at recovery.
            rf"|(?:in |within |over )?(?:the )?(?:next |coming )?(?:a )?(?:few|couple of|several) "
            rf"(?:{units})"
            rf"|(?:by |before |until |within |later )?(?:{future_days}))(?![\w])"
        )
        # The words an estimate ends with: it is looked for only before one of them.
        last_words = "|".join(sorted({day.split()[-1] for day in data["future_days"]}))
        self._ends_estimate = _Known(stored.compile(rf"(?:{units}|{last_words})").fullmatch)
        # Where a date, and an interval, can begin (see _Words). Kept between processes
        # (`clearline.checks.stored`): working them out unpacks the thousands of ways an
        # interval can begin.
        relative = data["relative_days"]
        self._date_starts = stored.get(
            "time starts",
            ("date", months, weekdays, relative),
            lambda: _prefixes(months, weekdays, relative),
        )
        self._interval_starts = stored.get(
            "time starts",
            ("interval", self.interval.pattern),
            lambda: _first_words(self.interval.pattern),
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
        self._role_of = [i for i, numbers in enumerate(self._role_numbers) for _ in numbers]
        # The roles (in order) of the cues that may match at a place, by the cues' numbers.
        self._roles_at: dict[tuple[int, ...], list[int]] = {}
        self.zone_statement = lexicon.Phrases([data["zone_statement"]])
        # For text outside ASCII, where a letter may match another's case (see `_adjacent`).
        self.adjacent = stored.compile(
            rf"(?P<start>{'|'.join(_START_WORDS)})\s*$|(?P<end>{'|'.join(_END_WORDS)})\s*$",
            re.IGNORECASE,
        )

    @cached_property
    def _role_regexes(self) -> list[re.Pattern[str]]:
        """Each role's case-blind expression (none when a role has case-sensitive cues);
        compiled when first needed, as most texts hold no time."""
        regexes = [
            phrases._blind if phrases._cased is None else None for _, phrases in self.cue_roles
        ]
        return regexes if all(r is not None for r in regexes) else []  # type: ignore[return-value]

    def find(self, doc: Document) -> list[TimeExpression]:
        """Times in the whole text at once; cues are read only in sentences that hold a time."""
        plain, found = doc.plain, []
        cues: dict[int, list[tuple[int, int, str]]] = {}

        def sentence_cues(sentence: Span) -> list[tuple[int, int, str]]:
            # Read only in sentences that hold a time; a cue of each role at each place.
            if sentence.start not in cues:
                cues[sentence.start] = self._cues(plain, sentence)
            return cues[sentence.start]

        taken: list[tuple[int, int]] = []
        matches: list[re.Match[str]] = []
        folded = lexicon.fold(plain)
        words = _Words(folded, self._date_starts, self._interval_starts)
        # A clock time starts with a digit: the full pattern is tried only around each one.
        # The clock-like digit nearest ahead is looked for from each number in turn, and
        # remembered while it is still ahead (-1: there is none; None: not looked for yet).
        clock: int | None = None
        for digit in words.numbers():
            if matches and digit < matches[-1].end():
                continue
            if clock is None or 0 <= clock < digit:
                hint = _CLOCK_HINT.search(plain, digit)
                clock = hint.start() if hint is not None else -1
            if clock < 0 or clock > digit + 60:  # type: ignore[operator]
                continue  # no clock-like digits ahead: not the start of a time
            sentence = doc.sentence_at(digit)
            if sentence is None:
                continue
            window = max(sentence.start, digit - 40, matches[-1].end() if matches else 0)
            # A clock time with its date and zone is short: the search never runs far. It can
            # only start at a number or at a word that may begin a date.
            end = min(sentence.end, digit + 80)
            for place in words.starting(window, end):
                regex = self._absolute_at_clock if _at_clock(plain, place) else self.absolute
                match = regex.match(plain, place, end)
                if match is not None:
                    if match.start() <= digit < match.end():
                        matches.append(match)
                    break
        for match in matches:
            sentence = doc.sentence_at(match.start())
            if sentence is None:
                continue
            two = match.group("clock2") is not None
            zoned = any(match.group("zone1", "zone2", "zulu1", "zulu2"))
            dated = bool(match.group("date1") or match.group("date2"))
            role = "window" if two else self._role(plain, sentence, match, sentence_cues)
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
        for match in words.finditer(self.interval):
            sentence = doc.sentence_at(match.start())
            if sentence is None or any(s < match.end() and match.start() < e for s, e in taken):
                continue
            prep = match.group().split(None, 1)[0].rstrip(":")  # the opening word
            if _PAST.search(match.group()):
                role = "event"  # "in the last 2 hours" looks back: no promise, no recovery
            else:
                role = self._role(plain, sentence, match, sentence_cues, interval=prep)
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
        found += self._estimates(doc, folded, found, sentence_cues)
        return sorted(found, key=lambda t: t.start)

    def _estimates(
        self,
        doc: Document,
        folded: str,
        found: list[TimeExpression],
        sentence_cues: Callable[[Span], list[tuple[int, int, str]]],
    ) -> list[TimeExpression]:
        """Recovery estimates the other forms miss: a quantity or a day after a recovery cue.
        Looked for only at the words such an estimate ends with that no other time holds."""
        estimates: list[TimeExpression] = []
        places, words = starts.tokens(folded)
        # Pairs are made only of the few words kept.
        ends = list(map(self._ends_estimate.__getitem__, words))
        ending = zip(compress(places, ends), compress(words, ends), strict=True)
        for place, word in ending:
            end = place + len(word)
            if any(t.start < end and place < t.end for t in found):
                continue
            sentence = doc.sentence_at(place)
            if sentence is None:
                continue
            window = max(sentence.start, place - 60)
            match = next(
                (m for m in self.estimate.finditer(folded, window, end) if m.end() == end), None
            )
            if match is None:
                continue
            start = match.start()
            before = [c for c in sentence_cues(sentence) if c[1] <= start]
            if not before or _nearest(before, doc.plain)[2] != "recovery":
                continue
            if estimates and start <= estimates[-1].start:
                estimates.pop()  # "tomorrow morning" holds the "tomorrow" found before it
            estimates.append(
                TimeExpression(
                    start, end, doc.text[start:end], "interval", False, False, "recovery"
                )
            )
        return estimates

    def _cues(self, plain: str, sentence: Span) -> list[tuple[int, int, str]]:
        """Where a cue of each role starts in the sentence: (start, end, role)."""
        found = []
        index = self.cues._index
        if index is None or self.cues._cased_index is not None or not self._role_regexes:
            for hit in self.cues.finditer(plain, sentence.start, sentence.end, overlapping=True):
                may = self.cues.candidates(plain, hit.start())
                for (role, phrases), numbers in zip(
                    self.cue_roles, self._role_numbers, strict=True
                ):
                    if (
                        not may.isdisjoint(numbers)
                        and (match := phrases.match_at(plain, hit.start())) is not None
                    ):
                        found.append((match.start(), match.end(), role))
            return found
        # The cues are all case-blind: the places found for the sentence say which patterns,
        # so which roles, may match at each; each of those roles is asked on the whole text.
        folded = lexicon.fold(plain)
        for place, numbers in index.places(folded, sentence.start, sentence.end):
            if index.match_at(folded, place, numbers, sentence.end) is None:
                continue
            roles = self._roles_at.get(numbers)
            if roles is None:
                roles = self._roles_at[numbers] = sorted({self._role_of[n] for n in numbers})
            for role in roles:
                match = self._role_regexes[role].match(folded, place)
                if match is not None:
                    found.append((match.start(), match.end(), self.cue_roles[role][0]))
        return found

    def _adjacent(self, plain: str, window: int, start: int) -> str | None:
        """The kind, "start" or "end", of the word plain[window:start] ends with (before spaces)
        when it is one of the words that make a time a start or an end; else None."""
        before = plain[window:start].rstrip()
        if before[-1:] not in _ADJACENT_FINALS:
            return None
        if before.isascii():
            # What `adjacent` finds, without trying it at every place of the window (it was
            # the dearest expression of a check): an ASCII letter matches only its own cases.
            lowered = before.lower()
            if lowered.endswith(_START_WORDS):
                return "start"
            return "end" if lowered.endswith(_END_WORDS) else None
        adjacent = self.adjacent.search(plain, window, start)
        if adjacent is None:
            return None
        return "start" if adjacent.group("start") else "end"

    def _role(
        self,
        plain: str,
        sentence: Span,
        match: re.Match[str],
        sentence_cues: Callable[[Span], list[tuple[int, int, str]]],
        *,
        interval: str | None = None,
    ) -> str:
        if interval is None:
            window = max(sentence.start, match.start() - 30)
            adjacent = self._adjacent(plain, window, match.start())
            if adjacent is not None:
                return adjacent
        elif interval.startswith("eta"):
            return "recovery"
        # The sentence's cues are read only when a time's role depends on them.
        cues = sentence_cues(sentence)
        start, end = match.span()
        before = [c for c in cues if c[0] < start and c[1] <= end]
        after = [c for c in cues if c[0] >= end]
        role = "event"
        if before:
            role = _nearest(before, plain)[2]
        elif after:
            role = min(after, key=lambda c: c[0])[2]
        if interval == "for" and role != "next_update" and _remaining(plain, sentence, match):
            # "read-only for roughly 30 more minutes", "delayed for another hour": how long
            # the trouble has left to run is a guess at when it ends.
            return "recovery"
        if interval in ("for", "after") and role != "next_update":
            return "duration"
        # "should catch up over the next hour" guesses recovery; "over two hours" lasted.
        if interval in ("over", "under") and role not in ("next_update", "recovery"):
            return "duration"
        if interval is not None and role in ("start", "end"):
            return "duration"
        return role

    def states_zone(self, doc: Document) -> bool:
        return self.zone_statement.search(doc.plain) is not None


def _nearest(before: list[tuple[int, int, str]], plain: str) -> tuple[int, int, str]:
    """The cue before a time that says what it is: the nearest wins; of two ending together,
    the longer ("expect this to be resolved" over "resolved"). A cue that begins inside a
    recovery cue is part of it when it is a start or an end: in "expects to have feeds back to
    normal by end of day" the end cue "back to normal" belongs to the hoped-for recovery (but
    in "we will be back with an update" the promise of the next update stays one)."""
    nearest = max(before, key=lambda c: (c[1], -c[0]))
    if nearest[2] in ("start", "end"):
        for cue in before:
            if (
                cue[2] == "recovery"
                and cue[0] < nearest[0] < cue[1]
                and _HOPED.match(plain, cue[0]) is not None
                and _WAS.search(plain, cue[0], nearest[0]) is None
            ):
                return cue
    return nearest


# A recovery cue that looks ahead from its first word ("we expect", "should", "will"), with
# no past in it: "we will confirm payments were back to normal at 14:05" reports the past.
_HOPED = stored.Expression(
    r"(?:will|should|expect|anticipat|hop|aim|plan|intend|estimat|target|likely|going)", re.I
)
_WAS = stored.Expression(r"\b(?:was|were|had)\b", re.I)
_MORE = stored.Expression(r"\b(?:more|another)\b", re.I)
_WATCH = stored.Expression(
    r"\b(?:monitor|watch|observ|keep an eye|keep (?:this|the|it)|leave|wait|hold)", re.I
)
# What is still to come, or a state now: a modal, an expectation, "is" or "are". A verb in
# the past after it ("the issue is resolved; payments failed for another 10 minutes") makes
# the interval past; a participle after "be", "is" or "are" ("will be delayed") does not.
_AHEAD = stored.Expression(
    r"\b(?:will|should|shall|going to|expect\w*|is|are|remains?|stays?)\b|\w\x27ll\b", re.I
)
_PAST_VERB = stored.Expression(
    _WAS.pattern + r"|(?<!\bbe\s)(?<!\bis\s)(?<!\bare\s)(?<!been\s)\b\w+ed\b", re.I
)


def _remaining(plain: str, sentence: Span, match: re.Match[str]) -> bool:
    """Whether an interval says how much longer something goes on from now ("will stay
    read-only for 30 more minutes", "delayed for another hour"), not how long it went on
    ("failed for 20 more minutes") nor how long it is watched ("monitor for another hour")."""
    if _MORE.search(match.group()) is None:
        return False
    # The few words before the interval, from the last cue of what is to come: read within a
    # bounded window, so a long sentence is not read again for each of its times.
    window = max(sentence.start, match.start() - 80)
    cues = list(_AHEAD.finditer(plain, window, match.start()))
    if not cues:
        return False
    between = (cues[-1].end(), match.start())
    return _WATCH.search(plain, *between) is None and _PAST_VERB.search(plain, *between) is None


def _at_clock(text: str, place: int) -> bool:
    """Whether text[place:] begins with one or two digits and a colon ("9:40", "09:40")."""
    if not text[place : place + 1].isdecimal():
        return False
    if text[place + 1 : place + 2] == ":":
        return True
    return text[place + 2 : place + 3] == ":" and text[place + 1].isdecimal()


def _first_words(pattern: str) -> frozenset[str] | None:
    """The words a pattern's matches begin with, when they are whole words (else None)."""
    first = starts.first_words(pattern)
    if first is None or first.digit or first.skip or not all(f[1] for f in first.finals):
        return None
    return frozenset(f[0] for f in first.finals)


def _prefixes(*alternatives: str) -> frozenset[str] | None:
    """The first three letters of every word the alternatives can begin with."""
    found: set[str] = set()
    for pattern in alternatives:
        first = starts.first_words(f"(?:{pattern})")
        if first is None or first.digit:
            return None
        found.update(f[0][:3] for f in first.finals)
    return frozenset(found) if all(len(p) == 3 for p in found) else None


class _Known(dict[str, bool]):
    """Whether a word passes a test, remembered per word: drafts share most words."""

    def __init__(self, test: Callable[[str], object]):
        super().__init__()
        self.test = test

    def __missing__(self, word: str) -> bool:
        found = self.test(word) is not None
        if len(self) >= 100_000:
            self.clear()
        self[word] = found
        return found


class _MayStart(dict[str, bool]):
    """Whether a time can begin at a word, remembered per word: drafts share most words."""

    def __init__(self, date_starts: frozenset[str], interval_starts: frozenset[str]):
        super().__init__()
        self.date_starts, self.interval_starts = date_starts, interval_starts

    def __missing__(self, word: str) -> bool:
        found = word[0].isdecimal() or word[:3] in self.date_starts or word in self.interval_starts
        if len(self) >= 100_000:
            self.clear()
        self[word] = found
        return found


@lru_cache(maxsize=8)
def _may_start(date_starts: frozenset[str], interval_starts: frozenset[str]) -> _MayStart:
    return _MayStart(date_starts, interval_starts)


class _Words:
    """The words of a text (see `starts.tokens`), to find where a time can begin without
    scanning the whole text: at a number, at a word that may begin a date (one of
    `date_starts`, by its first three letters), or at a word that begins an interval."""

    def __init__(
        self,
        folded: str,
        date_starts: frozenset[str] | None,
        interval_starts: frozenset[str] | None,
    ):
        self.folded = folded
        starts_, words = starts.tokens(folded)
        self._date_starts = date_starts
        self._interval_starts = interval_starts
        if date_starts is None or interval_starts is None:
            self.words = list(zip(starts_, words, strict=True))
        else:
            # One pass keeps the few words any of these can begin at.
            may_start = _may_start(date_starts, interval_starts)
            keep = list(map(may_start.__getitem__, words))
            self.words = list(zip(compress(starts_, keep), compress(words, keep), strict=True))
            if not folded.isascii():  # a letter outside ASCII may match a date's in any case
                self.words = sorted(
                    {
                        *self.words,
                        *((p, w) for p, w in zip(starts_, words, strict=True) if not w.isascii()),
                    }
                )
        # The patterns here may also begin right after an "@", where no phrase begins.
        self.after_at: list[int] = []
        at = folded.find("@")
        while 0 <= at < len(folded) - 1:
            self.after_at.append(at + 1)
            at = folded.find("@", at + 1)
        self._dates: list[int] | None = None

    def _with_after_at(self, places: list[int]) -> list[int]:
        return sorted({*places, *self.after_at}) if self.after_at else places

    def numbers(self) -> list[int]:
        """Where _NUMBER matches: digits that follow no word character, ":" or "."."""
        text = self.folded
        found = [
            p for p, w in self.words if w[0].isdecimal() and (p == 0 or text[p - 1] not in ":.")
        ]
        if self.after_at:
            found = sorted({*found, *(p for p in self.after_at if text[p].isdecimal())})
        return found

    def starting(self, pos: int, endpos: int) -> list[int]:
        """Places in [pos, endpos) where a word starts that begins with a digit, with one of
        the date starts (in any case), or with a letter outside ASCII (whose case may match)."""
        if self._dates is None:
            prefixes = self._date_starts
            self._dates = self._with_after_at(
                [
                    p
                    for p, w in self.words
                    if prefixes is None or w[0].isdecimal() or w[:3] in prefixes or not w.isascii()
                ]
            )
        dates = self._dates
        return dates[bisect_left(dates, pos) : bisect_left(dates, endpos)]

    def finditer(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """pattern.finditer(folded text) for a case-sensitive pattern whose matches begin with
        one of the interval starts."""
        first = self._interval_starts
        if first is None:
            return list(pattern.finditer(self.folded))
        found: list[re.Match[str]] = []
        after = 0
        for place in self._with_after_at([p for p, w in self.words if w in first]):
            if place >= after and (match := pattern.match(self.folded, place)) is not None:
                found.append(match)
                after = match.end()
        return found


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
