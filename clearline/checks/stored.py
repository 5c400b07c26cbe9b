"""What the checks work out once from their data, kept between processes.

Before its first check a process reads every phrase pattern to learn where its matches can begin
(`starts`) and which words they must hold (`lexicon`), and parses the hyphenation patterns the
syllable count uses (`readability`): a few hundred milliseconds whose results depend only on the
patterns and on this code. `clearline check` run once per file, from a git hook or an editor,
would pay that every time, so the results are kept in one file in the user's cache folder
(`$XDG_CACHE_HOME/clearline`, else `~/.cache/clearline`; `CLEARLINE_CACHE_DIR` names another
folder, `CLEARLINE_CACHE_DIR=off` keeps nothing) and read back with marshal in a few
milliseconds. What was learnt of each word (its syllables, the phrase lists that may begin with
it) is kept too: most words of a text have been met before.

The file's name carries a digest of the code that computes the results and of the Python version
(whose regular-expression parser they come from): changed code never reads what older code
wrote. Entries are keyed by the pattern (or the word) itself, so an edited phrase list only adds
entries. A file that cannot be read or written is passed over: the work is then done in memory,
as before.
"""

from __future__ import annotations

import _sre
import atexit
import gc
import marshal
import os
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from re import _compiler as re_compiler  # type: ignore[attr-defined]
from re import _parser as re_parser  # type: ignore[attr-defined]

# Type checkers only: see the package's docstring.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The modules whose code computes what is kept: a change to any of them starts a new file.
_SOURCES = ("starts.py", "lexicon.py", "readability.py", "times.py", "stored.py")
# Entries kept at most; beyond it a file keeps only what the process that writes it used.
_LIMIT = 50_000


def folder() -> Path | None:
    chosen = os.environ.get("CLEARLINE_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clearline"


def _file() -> Path | None:
    where = folder()
    if where is None:
        return None
    return where / f"checks-{digest(sys.version.encode(), *map(_source, _SOURCES))}.marshal"


def _source(name: str) -> bytes:
    return (Path(__file__).parent / name).read_bytes()


def digest(*parts: bytes) -> str:
    """A short digest of `parts` that tells versions apart (not a safeguard against forgery:
    zlib's checksum, as hashlib's import costs more than a whole check)."""
    value = 0
    for part in parts:
        value = zlib.crc32(part, value)
    return f"{value:08x}{sum(map(len, parts)):x}"


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused for work that makes no reference cycles, and given
    back after it (unless it was off already)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Store:
    """The kept tables. The file holds each table marshalled on its own, and a table is read
    back only when it is first asked for: a check of a few known words never needs the
    hyphenation patterns, nor the words of the other kinds' phrase lists, and building those
    objects was most of the read's time. A table never asked for is written back as it was."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[Any, Any]] | None = None
        # Tables as the file holds them, not read yet: name -> (entries, marshalled table).
        self._unread: dict[str, tuple[int, bytes]] = {}
        self._used: dict[str, dict[Any, Any]] = {}
        self._packed: set[str] = set()  # tables whose values are written packed
        self._added = False
        # In a process forked to share the work (`forked`), the keys each table was given or had
        # changed since: sent back to the process that forked it. Not kept otherwise: a process
        # that writes the file itself writes whole tables.
        self._changed: dict[str, set[Any]] | None = None

    def _load(self) -> dict[str, dict[Any, Any]]:
        self._tables = {}
        try:
            path = _file()
            if path is not None:
                # marshal builds values and never runs code; the file is the user's own. (Read
                # whole: marshal.load on a file reads it a few bytes at a time.)
                unread = marshal.loads(path.read_bytes())  # noqa: S302
                if isinstance(unread, dict):
                    self._unread = {
                        name: kept
                        for name, kept in unread.items()
                        if type(kept) is tuple
                        and len(kept) == 2
                        and type(kept[0]) is int
                        and type(kept[1]) is bytes
                    }
        except (OSError, EOFError, ValueError, TypeError):
            pass  # none yet, or unreadable: computed again and written anew
        return self._tables

    def _entries(self, name: str) -> dict[Any, Any]:
        """The table `name`, read from the file when first asked for (empty when it has none)."""
        tables = self._tables if self._tables is not None else self._load()
        entries = tables.get(name)
        if entries is None:
            entries = {}
            kept = self._unread.pop(name, None)
            if kept is not None:
                # A table is thousands of objects that hold no cycles: built without the
                # cyclic collector running over them again and again (a third of the time).
                try:
                    with without_cycle_collection():
                        found = marshal.loads(kept[1])  # noqa: S302
                    if isinstance(found, dict):
                        entries = found
                except (EOFError, ValueError, TypeError, IndexError):
                    pass  # unreadable: computed again and written anew
            tables[name] = entries
        return entries

    def get(self, table: str, key: Any, compute: Callable[[], Any]) -> Any:
        """The value kept for `key` in `table`, computed (and kept) when there is none. Values
        must be what marshal writes: numbers, strings, bytes, None, tuples, lists, sets, dicts."""
        entries = self._entries(table)
        try:
            value = entries[key]
        except KeyError:
            value = entries[key] = compute()
            self.added(table, key)
        used = self._used.get(table)
        if used is None:
            used = self._used[table] = {}
        used[key] = value
        return value

    def table(self, name: str, *, packed: bool = False) -> dict[Any, Any]:
        """The kept table `name` itself, for a caller that looks things up in it on its hot
        path; the caller calls `added` when it puts something in. A `packed` table's values
        (but empty ones) are written packed (see `pack`), and read back as bytes: the caller
        unpacks a value when it first needs it, and may put it back unpacked."""
        if packed:
            self._packed.add(name)
        entries = self._used[name] = self._entries(name)
        return entries

    def _dumped(self, name: str, entries: dict[Any, Any]) -> bytes:
        if name in self._packed:
            entries = {
                key: pack(value) if value and type(value) is not bytes else value
                for key, value in entries.items()
            }
        return marshal.dumps(entries)

    def added(self, table: str, key: Any) -> None:
        """Something new was kept for `key` in `table`: the file is written when the process
        ends."""
        if self._changed is not None:
            self._changed.setdefault(table, set()).add(key)
        if not self._added:
            self._added = True
            atexit.register(self.save)

    def forked(self) -> None:
        """In a process just forked to share the work: what it keeps or reads from now on is
        sent to the process that forked it (`changes`, `merge`), which writes the file for
        both."""
        self._changed = {}
        self._added = True  # never written from here: `save` runs only at a normal exit
        # What a table asked with `get` was used for is counted afresh (see `save`).
        tables = self._tables or {}
        self._used = {name: used for name, used in self._used.items() if used is tables.get(name)}

    def changes(self) -> dict[str, dict[str, Any]]:
        """What was kept since `forked` (table -> key -> value), and the keys read from the
        tables asked with `get` (table -> keys; those just kept among them); nothing when
        nothing is kept between processes."""
        if folder() is None or self._changed is None:
            return {"kept": {}, "used": {}}
        kept = {}
        for name, keys in self._changed.items():
            entries = self._entries(name)
            kept[name] = {key: entries[key] for key in keys if key in entries}
        tables = self._tables or {}
        used = {
            name: list(found)
            for name, found in self._used.items()
            if found is not tables.get(name) and found
        }
        return {"kept": kept, "used": used}

    def merge(self, changes: dict[str, dict[str, Any]]) -> None:
        """Keep what a forked process kept, and count what it read as used. A word whose
        entries both processes added to (each a dict of the words that may follow it) keeps
        the entries of both."""
        for name, found in changes["kept"].items():
            entries = self._entries(name)
            for key, value in found.items():
                mine = entries.get(key)
                if type(mine) is dict and type(value) is dict:
                    mine.update(value)
                elif mine is None or type(mine) is bytes:
                    entries[key] = value
                self.added(name, key)
        for name, keys in changes["used"].items():
            entries = self._entries(name)
            used = self._used.setdefault(name, {})
            if used is not entries:
                used.update((key, entries[key]) for key in keys if key in entries)

    def save(self) -> None:
        """Write the kept results if this process added any; never fails the process."""
        if not self._added or self._tables is None:
            return
        unread, tables = self._unread, self._tables
        if sum(map(len, tables.values())) + sum(count for count, _ in unread.values()) > _LIMIT:
            unread, tables = {}, self._used
        try:
            path = _file()
            if path is None:
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            written = {
                name: (len(entries), self._dumped(name, entries))
                for name, entries in tables.items()
            }
            written.update(unread)
            # Written aside and renamed: a process reading at the same time sees the old file
            # or the new one, never half of one.
            import tempfile  # only when something new is kept

            handle, name = tempfile.mkstemp(dir=path.parent, prefix=".checks-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    marshal.dump(written, stream)
                os.replace(name, path)
            except BaseException:
                os.unlink(name)
                raise
            _prune(path)
        except (OSError, ValueError):
            return
        self._added = False


def _prune(path: Path) -> None:
    """Files of other versions unused for a month go (another install may still use newer)."""
    month_ago = time.time() - 30 * 24 * 3600
    for other in path.parent.glob("checks-*.marshal"):
        if other != path and other.stat().st_mtime < month_ago:
            other.unlink(missing_ok=True)


_STORE = _Store()
get = _STORE.get
table = _STORE.table
added = _STORE.added
save = _STORE.save
forked = _STORE.forked
changes = _STORE.changes
merge = _STORE.merge


def pack(value: Any) -> bytes:
    """`value` (what marshal writes) as bytes, for the part of a kept value that a process reads
    only when it needs it: reading the table then builds one object for it, not one for every
    tuple and string in it."""
    return marshal.dumps(value)


def unpack(packed: bytes) -> Any:
    """What `pack` was given."""
    return marshal.loads(packed)  # noqa: S302 (written by `pack`, in the user's own file)


_COMPILED: dict[tuple[str, int], re.Pattern[str]] = {}


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, with the program the expression compiles to kept between processes: the
    `re` module parses and compiles in Python, some milliseconds for a list of phrases, while
    building the expression from its program is immediate. The program belongs to this Python
    version's `re` (the file's name changes with the version)."""
    flags = int(flags)  # a RegexFlag is not something marshal writes
    found = _COMPILED.get((pattern, flags))
    if found is None:
        final_flags, code, groups, groupindex, indexgroup = get(
            "regex", (pattern, flags), lambda: _program(pattern, flags)
        )
        code = memoryview(code).cast(_CODE).tolist()
        found = _sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup)
        if len(_COMPILED) >= 4096:
            _COMPILED.clear()
        _COMPILED[pattern, flags] = found
    return found


class Expression:
    """`re.compile(pattern, flags)` for a module's own expressions, compiled with `compile` (its
    program kept between processes) when one of its methods is first used. The checks' modules
    make a few dozen expressions at import: compiled there, `re` parsed each in Python at every
    start of `clearline check`, and a process that imports the checks without checking a text
    would read the kept tables for them."""

    _METHODS = ("match", "fullmatch", "search", "finditer", "findall", "split", "sub", "subn")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Called only for what the instance does not have: its methods, until the first use
        # sets them on it as the compiled expression's own.
        if name.startswith("_"):
            raise AttributeError(name)
        compiled = compile(self.pattern, self._flags)
        for method in self._METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


# The program's opcodes are kept as the bytes of an array of `_sre`'s code units, not as a list
# of numbers: read back as one string of bytes, and turned into the list `_sre.compile` takes
# only for the expressions a process uses, where a list of numbers cost one object each at every
# read of the file (a few hundred programs of thousands of numbers each).
_CODE = {4: "I", 8: "Q"}[_sre.CODESIZE]


def _program(pattern: str, flags: int) -> tuple:
    """What `re._compiler.compile` hands to `_sre.compile` after the pattern, the code as
    bytes."""
    from array import array  # only when an expression is new

    parsed = re_parser.parse(pattern, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return (
        int(flags | parsed.state.flags),
        array(_CODE, re_compiler._code(parsed, flags)).tobytes(),
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )
