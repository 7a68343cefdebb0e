"""Building frozen dataclasses fast from values already checked (issue 17).

A frozen dataclass's generated ``__init__`` sets each field through
``object.__setattr__``; for the many small objects of a stored case or a worklist row
that is a large part of the time. :func:`direct_constructor` fills the instance's
``__dict__`` instead, for callers that hold values already validated (the trusted
stored-case reader, the worklist's stored facts). Pure Python, no Qt.
"""

from __future__ import annotations

import dataclasses


def direct_constructor(cls):
    """A constructor for the frozen dataclass ``cls`` taking *every* field, in field order,
    that fills the instance's ``__dict__`` directly instead of one ``object.__setattr__``
    per field (a third of the time of building a stored case). The instance equals what
    ``cls(*values)`` makes. A class with a ``__post_init__`` or ``__slots__`` gets its own
    constructor (nothing it does is skipped); a wrong number of values is a TypeError."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        return cls
    names = tuple(f.name for f in dataclasses.fields(cls))
    new = object.__new__
    count = len(names)

    def make(*values):
        if len(values) != count:
            raise TypeError(f"{cls.__name__}: {len(values)} values for {count} fields")
        obj = new(cls)
        obj.__dict__.update(zip(names, values))
        return obj

    return make
