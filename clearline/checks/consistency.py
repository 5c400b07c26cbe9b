"""Rules that hold an update to itself: the next update time its words promise against the one
its field promises (CL123), and clock times a reader cannot place for want of a zone (CL124).

A reader believes the words: "next update by 07:30 UTC" over a field that says 07:03 means the
desk reminds the team half an hour after customers started waiting. And "at 05:50" says nothing
to a reader in another zone unless the text gives the zone for that time, for its sentence, or
once for the whole text.

`datetime` is imported where a ledger is read, not with the module: `clearline check` has no
ledger, and importing it is a few per cent of the command's start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from clearline.checks import catalog, lexicon, stored
from clearline.checks.context import Context, Hit
from clearline.checks.ledger import Ledger
from clearline.checks.record import Record
from clearline.checks.report import Finding
from clearline.checks.text import straighten
from clearline.checks.times import TimeExpression, grammar

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

_CLOCK = stored.Expression(r"(\d{1,2})(?::(\d\d))?(?::\d\d)?\s?(?:([ap])\.?m\b)?", re.IGNORECASE)
_OFFSET = stored.Expression(r"([+-])(\d{1,2})(?::?(\d\d))?$")
_HH_MM = stored.Expression(r"\d{1,2}:\d\d")
_ZONE_OFFSET = stored.Expression(r"^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d\d))?$")


class ZoneWords(Record):
    __slots__ = _fields = ("zones", "drop", "timeline_before")
    zones: dict[str, tuple[str, ...]]
    drop: re.Pattern[str]
    timeline_before: re.Pattern[str]


@cache
def _words(language: str) -> ZoneWords:
    data = lexicon.load(language).data["consistency"]
    return ZoneWords(
        zones={name: tuple(places) for name, places in data["zones"].items()},
        drop=stored.compile(data["zone_words"]["drop"], re.IGNORECASE),
        timeline_before=stored.compile(data["timeline"]["before"]),
    )


class Clock(Record):
    """A written clock time: its hours as a reader may take them, its minutes and its zone."""

    __slots__ = _fields = ("hours", "minute", "zone")
    hours: tuple[int, ...]
    minute: int
    zone: str | None  # as written ("UTC", "Pacific Time"), None when there is none


def clock_of(time: TimeExpression, language: str) -> Clock | None:
    """The clock of a single time ("7:30 AM UTC", "07:30", "11 CET"); None for ranges and
    intervals, whose moment is not one."""
    if time.form != "clock":
        return None
    match = grammar(language).absolute.match(straighten(time.text))
    if match is None or match.group("clock1") is None:
        return None
    parts = _CLOCK.match(match.group("clock1"))
    if parts is None:
        return None
    hour, minute, meridiem = int(parts.group(1)), int(parts.group(2) or 0), parts.group(3)
    if meridiem:
        hours: tuple[int, ...] = ((hour % 12) + (12 if meridiem.lower() == "p" else 0),)
    elif hour <= 12:
        # "7:30" is 07:30 on a 24-hour clock but may be 19:30 to a writer on a 12-hour one.
        hours = (hour % 24, (hour + 12) % 24)
    else:
        hours = (hour,)
    zone = "Z" if match.group("zulu1") else time.text[match.start("zone1") : match.end("zone1")]
    return Clock(hours, minute, zone if match.group("zone1") or match.group("zulu1") else None)


def zone_of(time: TimeExpression, language: str) -> str | None:
    """The zone a time or range is written with, as written."""
    match = grammar(language).absolute.match(straighten(time.text))
    if match is None:
        return None
    if match.group("zulu1") or match.group("zulu2"):
        return "Z"
    return match.group("zone2") or match.group("zone1")


def _places(zone: str, due: datetime, home: tzinfo, language: str) -> list[tzinfo]:
    """Where a written zone puts a time, as zones to read the promised time in."""
    words = _words(language)
    key = " ".join(words.drop.sub(" ", zone.lower()).split())
    offset = _ZONE_OFFSET.match(key)
    if offset:
        return [_fixed(*offset.groups())]
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only with a ledger: see `_home`

    places: list[tzinfo] = []
    for place in words.zones.get(key, ()):
        fixed = _OFFSET.match(place)
        if fixed:
            places.append(_fixed(*fixed.groups()))
            continue
        try:
            places.append(ZoneInfo(place))
        except ZoneInfoNotFoundError:  # pragma: no cover - the data names real zones
            continue
    # The organisation's own zone by the abbreviation it goes by on that day ("CET" in Berlin).
    if due.astimezone(home).tzname() == zone.upper():
        places.append(home)
    return places


def _fixed(sign: str, hours: str, minutes: str | None) -> tzinfo:
    from datetime import timedelta, timezone

    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)


def matches(clock: Clock, due: datetime, places: Sequence[tzinfo]) -> bool:
    for place in places:
        local = due.astimezone(place)
        if local.minute == clock.minute and local.hour in clock.hours:
            return True
    return False


def _home(ledger: Ledger) -> tzinfo:
    # zoneinfo is imported here, not with the module, as datetime is: see the module's docstring.
    from datetime import UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(ledger.zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _label(due: datetime, place: tzinfo) -> str:
    local = due.astimezone(place)
    name = local.tzname() or "UTC"
    if name.startswith(("+", "-")):
        name = f"UTC{name}"
    return f"{local:%H:%M} {name}"


def next_update_mismatch(
    ctx: Context, ledger: Ledger, _: Sequence[Hit], __: Sequence[Finding]
) -> Iterator[Hit]:
    due = ledger.next_update_due
    if due is None:
        return
    from datetime import UTC

    home, language = _home(ledger), ctx.config.language
    for time in ctx.times:
        if time.role != "next_update":
            continue
        clock = clock_of(time, language)
        if clock is None:
            continue
        # A time with no zone is read in the organisation's zone or in UTC (CL124 asks for
        # the zone); a zone clearline cannot place is not compared.
        places = [home, UTC] if clock.zone is None else _places(clock.zone, due, home, language)
        if not places or matches(clock, due, places):
            continue
        promised = _label(due, places[0])
        yield Hit(
            time.start,
            time.end,
            f'The text promises the next update at "{time.text}", but this update\'s next '
            f"update time is {promised}: customers would wait for one time and the desk remind "
            "you at another.",
            f"Write the promised time, '{promised}', or change the next update time to "
            f"{time.text}.",
        )


def time_without_zone(ctx: Context) -> Iterator[Hit]:
    times = [t for t in ctx.times if t.form != "interval"]
    loose = [t for t in times if not t.zoned]
    if not loose or grammar(ctx.config.language).states_zone(ctx.doc):
        return
    zoned = [t for t in times if t.zoned]
    language = ctx.config.language
    zones = {zone.upper() for t in zoned if (zone := zone_of(t, language))}
    said_by_cl104 = _loose_promise(ctx)
    for time in loose:
        if time is said_by_cl104 or ctx.doc.is_quoted(time.start, time.end):
            continue  # CL104 says it; a quotation keeps its words
        if _zone_applies(ctx, time, zoned, len(zones) == 1):
            continue
        zone = next(iter(zones)) if len(zones) == 1 else "UTC"
        written = time.text.rstrip()
        if written.endswith("m.") and not written.endswith(".m."):
            written = written[:-1]  # "2 pm." ends the sentence
        yield Hit(
            time.start,
            time.start + len(written),
            f'"{written}" has no time zone: a reader elsewhere cannot tell when that is.',
            f"Add the zone, '{written} {zone}', or say once for the whole text, e.g. 'All "
            f"times are {zone}.'",
        )


def _loose_promise(ctx: Context) -> TimeExpression | None:
    """The next update time CL104 already reports for its missing zone, if it does."""
    rule = catalog.BY_CODE["CL104"]
    if ctx.kind not in rule.severities or not ctx.config.is_enabled(rule.code):
        return None
    promises = [t for t in ctx.times if t.role == "next_update"]
    if not promises or any(t.concrete for t in promises):
        return None
    return promises[0]


def _zone_applies(
    ctx: Context, time: TimeExpression, zoned: list[TimeExpression], one_zone: bool
) -> bool:
    """Whether a reader would apply a zone the text gives elsewhere to this time: one in the
    same sentence ("from 05:50 we rolled back; at 06:10 UTC it recovered"), the same time
    written with its zone elsewhere, or a timeline entry in a text that uses one zone."""
    sentence = ctx.doc.sentence_at(time.start)
    if sentence is not None and any(sentence.start <= t.start < sentence.end for t in zoned):
        return True
    clocks = {c.zfill(5) for c in _HH_MM.findall(time.text)}
    if any(clocks & {c.zfill(5) for c in _HH_MM.findall(t.text)} for t in zoned):
        return True
    if not one_zone or not time.text[:1].isdigit():
        return False
    start = sentence.start if sentence is not None else 0
    before = ctx.doc.plain[start : time.start]
    line = before.rsplit("\n", 1)[-1]
    return _words(ctx.config.language).timeline_before.search(line) is not None
