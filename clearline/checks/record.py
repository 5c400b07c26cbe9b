"""Immutable records: what the checks' frozen dataclasses were, without `dataclasses`.

`clearline check` run on one file, from a git hook or an editor, spent nearly a quarter of its
work on `dataclasses`: importing it imports `inspect` (with `ast`, `dis` and `tokenize`), and
every dataclass compiles the source of its methods when its class is made. A record's class writes
its `__init__` out instead (setting its fields with `object.__setattr__`, as a frozen
dataclass's does), names its fields in `_fields` (and in `__slots__` when it has no other
attributes), and gets from `Record` what `@dataclass(frozen=True)` gave: equality and a hash by
its class and fields, a repr that lists them, fields that cannot be set or deleted, and copies
and pickles that make it again from its fields.
"""

# What a record's `__init__` sets its fields with, past the record's own `__setattr__`.
set_field = object.__setattr__


class Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()
    __match_args__: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.__match_args__ = cls._fields

    def _values(self) -> tuple:
        """The fields' values in order, as a dataclass compares and hashes them."""
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple:
        return (self.__class__, self._values())
