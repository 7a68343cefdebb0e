"""Building frozen dataclasses fast from values already checked (issue 17).

A frozen dataclass's generated ``__init__`` sets each field through
``object.__setattr__``; for the many small objects of a stored case or a worklist row
that is a large part of the time. :func:`direct_constructor` fills the instance's
``__dict__`` instead, for callers that hold values already validated (the trusted
stored-case reader, the worklist's stored facts). Pure Python, no Qt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc


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


_NO_VALUE = object()  # a default_factory field's parameter default: build the value


def fast_init(cls):
    """Class decorator (under ``@dataclass(frozen=True)``): replace the frozen dataclass's
    generated ``__init__`` by one with the same signature, defaults and ``__post_init__``
    call that stores the fields without one ``object.__setattr__`` per field (issue 17: the
    ~40 result records of an assessment). Without ``__slots__`` the fields go into the
    instance ``__dict__`` in one update; with ``__slots__`` each slot's own setter is
    called. The instance equals what the dataclass ``__init__`` makes (tests compare both
    over real assessments). The generated text is kept as ``__init__.__source__`` and the
    dataclass's own ``__init__`` as ``__init__.__dataclass_init__``.

    Only plain fields are supported: a field with ``init=False`` or ``kw_only``, or an
    ``InitVar``, is a TypeError here (the class must then keep its dataclass ``__init__``)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"fast_init: {cls.__name__} is not a frozen dataclass")
    all_fields = cls.__dataclass_fields__.values()
    fields = dataclasses.fields(cls)
    if len(fields) != len(all_fields) or any(not f.init or f.kw_only for f in fields):
        raise TypeError(f"fast_init: {cls.__name__} has a field it does not support (init=False, kw_only, InitVar)")
    slots = "__slots__" in cls.__dict__
    namespace: dict = {"_NO_VALUE": _NO_VALUE}
    params_text, body = ["self"], []
    for n, f in enumerate(fields):
        name = f.name
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{n}"] = f.default
            params_text.append(f"{name}=_default_{n}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{n}"] = f.default_factory
            params_text.append(f"{name}=_NO_VALUE")
            body.append(f"if {name} is _NO_VALUE: {name} = _factory_{n}()")
        else:
            params_text.append(name)
        if slots:
            namespace[f"_set_{n}"] = cls.__dict__[name].__set__
            body.append(f"_set_{n}(self, {name})")
    if not slots:
        body.append("self.__dict__.update({" + ", ".join(f"{f.name!r}: {f.name}" for f in fields) + "})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__({', '.join(params_text)}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    exec(compile(source, f"<fast_init {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 (text made above from field names)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)
    init.__source__ = source
    init.__dataclass_init__ = cls.__init__
    cls.__init__ = init
    return cls


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while many small records are built at once
    (a cohort's per-case facts, a long worklist's rows): none is in a cycle, but their
    number sets off young and full collections again and again (a third or more of the
    time at 100,000 cases). The collector is on again afterwards if it was on before.

    Every object made while paused is then handed to the oldest generation as it is
    (``gc.freeze()`` then ``gc.unfreeze()``: two list splices, O(1)), instead of being
    walked by the young collection that the first allocation after ``gc.enable()`` sets off:
    that one walk of every record just built took 75-115 ms of CPU after a 100,000-row
    worklist (issue 17). Nothing is kept from the collector: a full collection still walks
    them (and anything else promoted) when its own rule says so, and they are freed by
    reference counting as before. Nothing in this app freezes objects for good (which
    ``unfreeze`` would undo)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


#: per dataclass, its field names in field order (:func:`replaced`), made on first use
_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def _init_fields(cls: type) -> tuple[str, ...]:
    fields = dataclasses.fields(cls)
    if len(fields) != len(cls.__dataclass_fields__) or any(not f.init or f.kw_only for f in fields):
        raise TypeError(f"replaced: {cls.__name__} has a field it does not support (init=False, kw_only, InitVar)")
    names = _INIT_FIELDS[cls] = tuple(f.name for f in fields)
    return names


def replaced(obj, /, **changes):
    """``dataclasses.replace(obj, **changes)`` for a dataclass whose fields are all plain init
    fields (as :func:`fast_init` supports): the class called with every field in order, the
    changed ones from ``changes``, the others read from ``obj``, so its ``__init__`` and any
    ``__post_init__`` run as they do under ``dataclasses.replace``. Issue 17: the generic
    function walks the class's ``Field`` objects and builds a keyword dict per call (about
    a third of the surgical-step pass of an assessment). A name that is not a field is a
    TypeError, as there."""
    cls = type(obj)
    names = _INIT_FIELDS.get(cls) or _init_fields(cls)
    values = [changes.pop(n) if n in changes else getattr(obj, n) for n in names]
    if changes:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(changes))}")
    return cls(*values)
