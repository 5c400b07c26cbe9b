"""Rules for internal reviews (CL150-CL153)."""

from collections.abc import Iterator

from clearline.checks import stored
from clearline.checks.completeness import absent, phrase
from clearline.checks.context import Context, Hit
from clearline.checks.text import Span, word_count

_LIST_ITEM = stored.Expression(r"^[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]+(?:\[[ xX]\][ \t]*)?")
_CHECKBOX = stored.Expression(r"^[ \t]*[-*][ \t]+\[[ xX]\]")
_HEADING = stored.Expression(
    r"^[ \t]*(?:#{1,6}[ \t]|\*\*[^*]+\*\*[ \t]*$|[^\s-][^\n]{0,60}:[ \t]*$)"
)
_OWNER_SPLIT = stored.Expression(r"\s*(?:,|\band\b|&|/|\+)\s*")
_DENIED = stored.Expression(r"\s+(?:is|was|are|were)\s+(?:not|never)\b")
_LINE = stored.Expression(r"[^\n]+")
_TABLE_ROW = stored.Expression(r"^[ \t]*\|(.*)\|[ \t\r]*$")
_CELL_SPLIT = stored.Expression(r"(?<!\\)\|")
_AFTER_SENTENCE = stored.Expression(r"(?<=[.!?])\s")
# Fewer words than this say no outcome ("Fix it", "Monitoring"): CL151 for a review's list and
# for an action item kept on its own.
OUTCOME_WORDS = 3
# A line that opens the action list is a sentence, not a heading of its own ("What went well:").
_INTRO_WORDS = 4


def has_clear_outcome(outcome: str) -> bool:
    return word_count(outcome) >= OUTCOME_WORDS


def blame_language(ctx: Context) -> Iterator[Hit]:
    plain = ctx.doc.plain
    spans: list[tuple[int, int]] = []
    for match, _ in ctx.unquoted(ctx.phrases.blame):
        spans.append(match.span())
    for match in ctx.lex.blame_person.finditer(plain):
        quoted = ctx.doc.is_quoted(match.start(), match.end())
        if match.group(1).lower() not in ctx.lex.not_names and not quoted:
            spans.append(match.span())
    seen_end = -1
    for start, end in sorted(spans):
        if start < seen_end or _rejected(ctx, start, end):
            continue
        seen_end = end
        yield Hit(
            start,
            end,
            f'"{ctx.text[start:end]}" aims at a person, not at what let the failure happen.',
            "Ask what allowed it and what upstream made it possible, e.g. 'The deploy tool "
            "allowed a change to production without a second review.'",
        )


def _rejected(ctx: Context, start: int, end: int) -> bool:
    """Blame words that the sentence rejects: "we did not stop at human error", "human error
    is never a root cause"."""
    sentence = ctx.doc.sentence_at(start)
    first = max(sentence.start if sentence else 0, start - 40)
    negation = ctx.lex.blame_negation
    return bool(
        negation.search(ctx.doc.plain, first, start) or _DENIED.match(ctx.doc.plain[end : end + 20])
    )


def action_items(ctx: Context) -> list[Span]:
    """Lines under an "Action items" heading, and lines marked as actions anywhere."""
    text = ctx.doc.text
    items: list[Span] = []
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    in_section = False
    level = 0  # the "#"s of the section's heading (0: a bold or "...:" heading)
    opened = False  # nothing but the heading read in the section yet
    header: list[str] | None = None  # the cells of a table's first row, in lower case
    previous_end = -1  # where the line before ended
    for start, end in lines:
        line = text[start:end]
        if ctx.lex.action_heading.match(line):
            in_section, header, opened = True, None, True
            level = _heading_level(line)
            continue
        if not line.strip() or previous_end < start - 1:
            header = None  # a table ends at a blank line
        previous_end = end
        if not line.strip():
            continue
        row = _TABLE_ROW.match(line) if in_section else None
        if row is not None:
            cells = [cell.strip() for cell in _CELL_SPLIT.split(row.group(1))]
            if all(not cell.strip("-: ") for cell in cells):
                continue  # the rule under the header
            opened = False
            if header is None:
                header = [cell.strip("*_ ").lower() for cell in cells]
            elif _is_action_table(ctx, header):
                items.append(Span(start, end, _table_item(ctx, header, cells)))
            continue
        marked = ctx.lex.action_line.match(line) or _CHECKBOX.match(line)
        listed = _LIST_ITEM.match(line) is not None
        indented = line[:1].isspace()
        if in_section and not listed and not indented:
            if _HEADING.match(line) or not _looks_like_item(ctx, line):
                kept = _inside_section(ctx, line, level, opened)
                if kept is not None:
                    # A label parting the list may have an opening line of its own.
                    opened = kept == "label"
                    continue
                in_section = False
        opened = False
        continuation = in_section and not listed and line[:1].isspace() and items
        if continuation and items[-1].end + 1 == start:
            last = items.pop()
            items.append(Span(last.start, end, text[last.start : end]))
        elif marked or (in_section and (listed or _looks_like_item(ctx, line))):
            items.append(Span(start, end, line))
    return items


def _heading_level(line: str) -> int:
    stripped = line.lstrip()
    return len(stripped) - len(stripped.lstrip("#"))


def _inside_section(ctx: Context, line: str, level: int, opened: bool) -> str | None:
    """A line of the action section that is no item and does not end the section: a label that
    parts the list by when or how far along ("### Short term" under "## Action items", "Long
    term:", "**Completed**"), or the line that opens the list right after the heading or such a
    label ("We are taking these steps:"). Any other heading ends the section ("### Lessons
    learned"), and so does one as high as the section's own ("## Done"): None for those, else
    which of the two the line is ("label", "opening")."""
    sub = _heading_level(line)
    if sub and level and sub <= level:
        return None  # a heading as high as the section's own begins the next section
    opening = not sub and line.rstrip().endswith((":", ".")) and word_count(line) >= _INTRO_WORDS
    if opened and opening:
        return "opening"
    return "label" if ctx.lex.action_subheading.match(line) is not None else None


def _is_action_table(ctx: Context, header: list[str]) -> bool:
    """A table of action items names an owner or a due-date column ("| Metric | Value |" under
    the heading is no list of actions)."""
    lex = ctx.lex
    return any(
        lex.action_table_owner.match(name) or lex.action_table_due.match(name) for name in header
    )


def _table_item(ctx: Context, header: list[str], cells: list[str]) -> str:
    """A table row as an action item is written on one line: its outcome (the action column's
    cell, or else every cell of no column the header names), then "(owner: ..., due: ...)" from
    the columns the header names so, each left out when its cell is empty."""
    lex = ctx.lex
    owner = due = ""
    actions, rest = [], []
    for name, cell in zip(header, cells, strict=False):
        if lex.action_table_owner.match(name):
            owner = cell
        elif lex.action_table_due.match(name):
            due = cell
        elif lex.action_table_action.match(name):
            actions.append(cell)
        elif cell and not lex.action_table_other.match(name):
            rest.append(cell)
    rest = actions or rest
    given = [f"{name}: {value}" for name, value in (("owner", owner), ("due", due)) if value]
    return " - ".join(rest) + (f" ({', '.join(given)})" if given else "")


def _looks_like_item(ctx: Context, line: str) -> bool:
    return bool(_owners(ctx, line)) or ctx.lex.action_due.search(line) is not None


def _owners(ctx: Context, item: str) -> list[str]:
    """The item's owners; a word that only holds the place ("Owner: TBD") names nobody."""
    placeholder = ctx.lex.action_owner_placeholder
    for pattern in ctx.lex.action_owner:
        match = pattern.search(item)
        if match:
            if placeholder.fullmatch(match.group("owner").strip(" .")):
                return []
            names = _OWNER_SPLIT.split(match.group("owner"))
            return [o for o in names if o and not placeholder.match(o)]
    return []


def incomplete_action_item(ctx: Context) -> Iterator[Hit]:
    for item in action_items(ctx):
        body = _LIST_ITEM.sub("", item.text)
        body = ctx.lex.action_line.sub("", body) if ctx.lex.action_line.match(item.text) else body
        owners = _owners(ctx, body)
        due = ctx.lex.action_due.search(body)
        outcome = body
        for pattern in ctx.lex.action_owner:
            outcome = pattern.sub(" ", outcome)
        outcome = ctx.lex.action_due.sub(" ", outcome)
        problems = []
        if not owners:
            problems.append("no owner")
        elif len(owners) > 1:
            problems.append(f"{len(owners)} owners instead of one")
        if due is None:
            problems.append("no due date")
        if not has_clear_outcome(outcome):
            problems.append("no clear outcome")
        if problems:
            lead = len(item.text) - len(item.text.lstrip())
            yield Hit(
                item.start + lead,
                item.end,
                f"Action item with {', '.join(problems)}.",
                "Write it as '<outcome> (owner: <one person>, due: <date>)', "
                f"e.g. '{_example(ctx, body)}'.",
            )


def _example(ctx: Context, body: str) -> str:
    """The item rewritten in the form asked for: its outcome, without the owner or date it
    gives, then an example owner and date."""
    outcome = ctx.lex.action_details.split(body, maxsplit=1)[0]
    outcome = outcome.strip().rstrip(".") or "Add an alert on failed checkouts"
    if len(outcome) > 60:
        outcome = outcome[:57].rstrip() + "..."
    return f"{outcome} (owner: Priya Shah, due: 14 March)"


def vague_action(ctx: Context) -> Iterator[Hit]:
    plain = ctx.doc.plain
    matches = [(m, True) for m in ctx.lex.vague_action_always.finditer(plain)]
    matches += [(m, False) for m in ctx.found(ctx.phrases.vague_action)]
    for match, always in sorted(matches, key=lambda item: item[0].start()):
        if ctx.doc.is_quoted(match.start(), match.end()):
            continue
        if not always:
            line_end = plain.find("\n", match.end())
            rest = plain[match.end() : line_end if line_end >= 0 else len(plain)]
            rest = _AFTER_SENTENCE.split(rest, maxsplit=1)[0]
            if ctx.lex.vague_action_concrete.match(rest) and word_count(rest) >= 3:
                continue
        yield Hit(
            match.start(),
            match.end(),
            f'"{ctx.written(match)}" names no concrete change, owner or test.',
            "Name the change and how you will know it works, e.g. 'Add an alert when checkout "
            "errors pass 2% for five minutes (owner: Lee, due 14 March)'.",
        )


missing_customer_signal = absent("CL152", "customer_signal", phrase("customer_signal"))
