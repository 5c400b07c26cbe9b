"""Immutable records: what the checks' frozen dataclasses were, without `dataclasses`.

`clearline check` run on one file, from a git hook or an editor, spent nearly a quarter of its
work on `dataclasses`: importing it imports `inspect` (with `ast`, `dis` and `tokenize`), and
every dataclass compiles the source of its methods when its class is made. A record's class
names its fields in `_fields` (and in `__slots__` when it has no other attributes), the defaults
of its last fields in `_defaults`, and may check a new record in `_check`. From `Record` it gets
what `@dataclass(frozen=True)` gave: an `__init__` taking the fields in order or by name (setting
them with `object.__setattr__`, as a frozen dataclass's does), equality and a hash by its class
and fields, a repr that lists them, fields that cannot be set or deleted, and copies and pickles
that make it again from its fields.

The one `__init__` serves every record instead of one compiled per class: compiling them cost
more at start-up than a whole check of a short text makes records.
"""

from itertools import repeat

# What a record's `__init__` sets its fields with, past the record's own `__setattr__`.
set_field = object.__setattr__


class Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _defaults: dict[str, object] = {}
    __match_args__: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.__match_args__ = cls._fields
        if hasattr(cls, "_check"):
            cls.__init__ = _checked_init  # type: ignore[method-assign]

    def __init__(self, *values: object, **named: object) -> None:
        fields = self._fields
        if named or len(values) != len(fields):
            values = self._complete(values, named)
        # Each field set by one call from C: `set_field` returns None, so `any` runs them all.
        any(map(set_field, repeat(self), fields, values))

    @classmethod
    def _complete(cls, values: tuple, named: dict[str, object]) -> tuple:
        """Every field's value, in order, from those given in order, by name and by default;
        a TypeError, as a function's call gives, for any missing, unknown or given twice."""
        fields, name = cls._fields, cls.__qualname__
        if len(values) > len(fields):
            raise TypeError(f"{name}() takes {len(fields)} fields but {len(values)} were given")
        given = set(fields[: len(values)])
        if twice := given.intersection(named):
            raise TypeError(f"{name}() got {sorted(twice)[0]!r} in order and by name")
        complete = list(values)
        for field in fields[len(values) :]:
            if field in named:
                complete.append(named.pop(field))
            elif field in cls._defaults:
                complete.append(cls._defaults[field])
            else:
                raise TypeError(f"{name}() missing field {field!r}")
        if named:
            raise TypeError(f"{name}() got an unknown field {next(iter(named))!r}")
        return tuple(complete)

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


def _checked_init(self: Record, *values: object, **named: object) -> None:
    """The `__init__` of a record with a `_check`: its fields set, the record is checked."""
    Record.__init__(self, *values, **named)
    self._check()  # type: ignore[attr-defined]
