"""``domain.build.fast_init`` (issue 17): the result records of an assessment are built by an
``__init__`` generated from their fields that stores them without one ``object.__setattr__``
per field. It must make exactly the instance the dataclass ``__init__`` makes: these tests
rebuild every such record of real assessments with the dataclass's own ``__init__`` and
compare, check signatures and defaults, and check what it refuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import json
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
_MODULES = ("assess", "followup", "guideline", "instruments", "medications", "monitoring", "phase", "pitfalls",
            "roots", "triage")


def _fast_classes() -> list[type]:
    found = []
    for name in _MODULES:
        module = importlib.import_module(f"radiculopathy_desktop.domain.{name}")
        for value in vars(module).values():
            if (isinstance(value, type) and value.__module__ == module.__name__
                    and hasattr(value.__init__, "__dataclass_init__")):
                found.append(value)
    return found


FAST = _fast_classes()


def test_the_assessment_records_use_it():
    names = {c.__name__ for c in FAST}
    assert {"Assessment", "StepResult", "PathwayResult", "PathwayContext", "MedicationReport", "RenalFunction",
            "MonitoringPoint", "TriageResult", "ReviewFacts", "RootSuggestion"} <= names
    # SurgicalReview is a hand-written frozen record since perfstart36 (tests/storage/test_frozen_records.py)


@pytest.mark.parametrize("cls", FAST, ids=lambda c: c.__name__)
def test_signature_is_the_dataclass_signature(cls):
    new = inspect.signature(cls.__init__).parameters
    old = inspect.signature(cls.__init__.__dataclass_init__).parameters
    assert list(new) == list(old)
    assert cls.__init__.__annotations__ == cls.__init__.__dataclass_init__.__annotations__
    for name, p in new.items():
        q = old[name]
        assert p.kind == q.kind, name
        if q.default is inspect.Parameter.empty:
            assert p.default is inspect.Parameter.empty, name
        else:
            field = cls.__dataclass_fields__[name]
            if field.default_factory is dataclasses.MISSING:
                assert p.default is q.default, name


@pytest.mark.parametrize("cls", FAST, ids=lambda c: c.__name__)
def test_generated_source_is_inspectable(cls):
    source = cls.__init__.__source__
    assert source.startswith("def __init__(self")
    for f in dataclasses.fields(cls):
        assert f.name in source
    assert ("self.__post_init__()" in source) == hasattr(cls, "__post_init__")
    assert "__setattr__" not in source


def _walk(value, seen: set[int], out: list):
    if id(value) in seen or value is None or isinstance(value, (str, int, float, bytes, dt.date)):
        return
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(value)
        for f in dataclasses.fields(value):
            _walk(getattr(value, f.name), seen, out)
    elif isinstance(value, dict):
        for v in value.values():
            _walk(v, seen, out)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for v in value:
            _walk(v, seen, out)


def _cases():
    cases = [parse_case(json.loads(p.read_text())) for p in sorted(resource_path("examples").glob("*.json"))]
    spec = importlib.util.spec_from_file_location("bench_assess", ROOT / "benchmarks" / "bench_assess.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cases + [parse_case(d) for d in module.generate(60, seed=5)]


def test_every_record_of_real_assessments_equals_the_dataclass_build():
    fast = set(FAST)
    checked: dict[str, int] = {}
    for case in _cases():
        for profile in ("us", "uk"):
            for as_of in (dt.date(2026, 11, 21), dt.date(2026, 3, 2)):
                try:
                    assessment = assess_case(case, as_of, profile=profile)
                except ValueError:
                    continue  # an assessment date before the case: not this test's concern
                records: list = []
                _walk(assessment, set(), records)
                for record in records:
                    cls = type(record)
                    if cls not in fast:
                        continue
                    values = [getattr(record, f.name) for f in dataclasses.fields(cls)]
                    reference = object.__new__(cls)
                    cls.__init__.__dataclass_init__(reference, *values)
                    again = cls(*values)
                    for f in dataclasses.fields(cls):
                        assert getattr(reference, f.name) is getattr(record, f.name), (cls, f.name)
                        assert getattr(again, f.name) is getattr(record, f.name), (cls, f.name)
                    assert reference == record == again
                    if not hasattr(cls, "__slots__"):
                        assert vars(reference) == vars(record)
                    checked[cls.__name__] = checked.get(cls.__name__, 0) + 1
    assert {"Assessment", "StepResult", "PathwayResult", "MedicationReport", "MonitoringPoint"} <= set(checked)


@fast_init
@dataclasses.dataclass(frozen=True)
class _Plain:
    a: int
    b: str = "x"
    c: list = dataclasses.field(default_factory=list)


@fast_init
@dataclasses.dataclass(frozen=True, slots=True)
class _Slotted:
    a: int
    b: tuple = ()

    def __post_init__(self):
        if self.a < 0:
            raise ValueError("a must not be negative")
        object.__setattr__(self, "b", tuple(self.b))


@pytest.mark.parametrize("cls", [_Plain, _Slotted])
def test_defaults_keywords_and_errors_match_the_dataclass(cls):
    reference_init = cls.__init__.__dataclass_init__
    for args, kwargs in (((1,), {}), ((2, "y"), {}), ((), {"a": 3}), ((4,), {"b": "z"})):
        if cls is _Slotted and "b" in kwargs:
            kwargs = {"b": [1, 2]}
        reference = object.__new__(cls)
        reference_init(reference, *args, **kwargs)
        assert cls(*args, **kwargs) == reference
    for bad_args, bad_kwargs in (((), {}), ((1, 2, 3, 4), {}), ((1,), {"nope": 2}), ((1,), {"a": 2})):
        with pytest.raises(TypeError):
            cls(*bad_args, **bad_kwargs)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cls(1).a = 2


def test_a_default_factory_gives_a_new_value_each_time_and_post_init_runs():
    first, second = _Plain(1), _Plain(1)
    assert first.c == [] and first.c is not second.c
    assert _Slotted(1, [5]).b == (5,)
    with pytest.raises(ValueError, match="must not be negative"):
        _Slotted(-1)


def test_unsupported_classes_are_refused():
    @dataclasses.dataclass
    class NotFrozen:
        a: int

    @dataclasses.dataclass(frozen=True)
    class KeywordOnly:
        a: int = dataclasses.field(kw_only=True)

    @dataclasses.dataclass(frozen=True)
    class NotInInit:
        a: int
        b: int = dataclasses.field(init=False, default=0)

    @dataclasses.dataclass(frozen=True)
    class WithInitVar:
        a: int
        b: dataclasses.InitVar[int] = 0

    for cls in (NotFrozen, KeywordOnly, NotInInit, WithInitVar, int):
        with pytest.raises(TypeError, match="fast_init"):
            fast_init(cls)


# --------------------------------------------------------------------------- collector_paused
def test_records_built_while_paused_go_to_the_oldest_generation_and_cycles_are_still_collected():
    """collector_paused (issue 17): what was built while paused is handed to the oldest
    generation unwalked (no young collection over every row after a long worklist), the
    collector is on again, nothing stays frozen, and garbage in a cycle made while paused is
    still freed by a full collection."""
    import gc
    import weakref

    from radiculopathy_desktop.domain.build import collector_paused

    class Node:
        pass

    assert gc.isenabled()
    gc.collect()
    with collector_paused():
        assert not gc.isenabled()
        rows = [[n] for n in range(5000)]  # tracked containers, as a worklist's rows
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, unreachable once the names are dropped
        gone = weakref.ref(a)
        del a, b
    assert gc.isenabled() and gc.get_freeze_count() == 0
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(r) in oldest for r in rows[::250])  # not walked by a young collection
    assert gc.get_count()[0] < 100
    assert gone() is not None  # a cycle is not freed by reference counting...
    gc.collect()
    assert gone() is None  # ...but a full collection still frees it: nothing is kept from the collector


def test_a_paused_collector_stays_paused_after_a_nested_pause():
    import gc

    from radiculopathy_desktop.domain.build import collector_paused

    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
