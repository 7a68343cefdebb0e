"""Small immutable records written out by hand instead of by ``@dataclass(frozen=True)``.

``@dataclass`` generates each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__`` as source text and compiles it at every start of the
program: about 4 million machine instructions a class, paid before the window's first
paint for every record the start-up path imports (issue 17). Pure Python, so the domain's
records and the storage layer's can both use it. A record deriving from
:class:`FrozenRecord` writes its ``__init__`` out (its signature: the same parameters, in the
same order, with the same defaults, as the dataclass had) and declares its fields; the rest
is shared here and behaves as the dataclass did:

- ``repr``: ``ClassQualname(field=value!r, ...)``, every field in order (those in
  :attr:`Record._shown`, when a field had ``repr=False``);
- ``==``: only with an instance of the very same class, comparing the fields in
  :attr:`FrozenRecord._compared` (the dataclass's ``compare=True`` fields), else
  ``NotImplemented``;
- ``hash``: the hash of the tuple of those fields (so a record holding a dict is unhashable,
  as before);
- assigning or deleting any attribute raises :class:`dataclasses.FrozenInstanceError`;
- ``__match_args__`` names the fields in order; instances pickle and copy as before (their
  values live in the instance ``__dict__``).

A record whose fields can be reassigned (a plain ``@dataclass``) derives from :class:`Record`:
the same, but unhashable and without the assignment guard.

``dataclasses.fields``, ``asdict`` and ``replace`` do not apply to these classes: use
:attr:`Record._fields` and :meth:`Record.replace`
(``tests/storage/test_frozen_records.py`` holds each record against its former dataclass).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar

_set = object.__setattr__


class Record:
    """Base of a hand-written record whose fields can be reassigned (a plain ``@dataclass``):
    the same ``repr``, ``==`` and ``__match_args__`` as a frozen one, and unhashable, as a
    dataclass with ``eq=True`` and ``frozen=False`` is."""

    #: every field, in the order of ``__init__``'s parameters (and of ``repr``)
    _fields: ClassVar[tuple[str, ...]] = ()
    #: the fields equality (and a frozen record's hash) compares (default: every field)
    _compared: ClassVar[tuple[str, ...]] = ()
    #: the fields ``repr`` shows (default: every field; a dataclass field with ``repr=False`` is left out)
    _shown: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_compared" not in cls.__dict__:
            cls._compared = cls._fields
        if "_shown" not in cls.__dict__:
            cls._shown = cls._fields
        cls.__match_args__ = cls._fields

    def _set_fields(self, *values: Any) -> None:
        """For ``__init__``: each field's value, in :attr:`_fields` order."""
        for name, value in zip(self._fields, values, strict=True):
            _set(self, name, value)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{type(self).__qualname__}({inner})"

    def _key(self) -> tuple:
        return tuple(getattr(self, name) for name in self._compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key() == other._key()  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def replace(self, **changes: Any):
        """A copy with ``changes`` (field names) applied, as ``dataclasses.replace`` made."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values = {name: changes.get(name, getattr(self, name)) for name in self._fields}
        return type(self)(**values)


class FrozenRecord(Record):
    """Base of a hand-written frozen record (see the module docstring)."""

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
