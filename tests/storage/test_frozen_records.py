"""The records on the start-up path, written out by hand (domain/frozen.py, issue 17), behave as
the frozen dataclasses they replaced: the same constructor, repr, equality, hash, immutability,
pattern-matching order, pickling and copying, and ``replace``; and both engines return them.

``OLD`` below holds the dataclasses as they were (copied from storage/changes.py,
storage/store.py, storage/access.py, storage/pg/store.py, ui/operations.py, domain/emergency.py,
domain/clinic.py and domain/settings.py before the change); every check compares a new record with the old one built from the same values.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import inspect
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from radiculopathy_desktop.storage.access import IDLE_MINUTES_DEFAULT, LockConfig
from radiculopathy_desktop.storage.changes import Changes
from radiculopathy_desktop.storage.store import AuditEntry, ImportResult, PatientMatch, StoredAssessment

STORE_ENGINES = ("sqlite", "postgresql")


class OLD:
    """The former dataclasses, verbatim but for the comments."""

    @dataclass(frozen=True)
    class Changes:
        case_ids: tuple[str, ...] = ()
        worklist: bool = False
        patients: bool = False
        assessments: bool = False
        settings: bool = False
        drafts: bool = False
        case: Any = field(default=None, compare=False)
        already_saved: bool = field(default=False, compare=False)
        saved_record: Any = field(default=None, compare=False)
        new_episode_while_open: tuple = field(default=(), compare=False)

    @dataclass(frozen=True)
    class ImportResult:
        added: tuple[str, ...] = ()
        updated: tuple[str, ...] = ()
        unchanged: tuple[str, ...] = ()
        acknowledged: tuple = ()
        replaced: tuple = ()
        removed: tuple = ()
        changed: tuple = ()
        closed_unanswered: tuple = ()
        new_episodes: tuple = ()
        pregnancy_differs: tuple = ()  # f5p18: a pregnancy answer another case of the patient contradicts
        kept_apart: tuple = ()  # dup19: a different person imported under an ID whose key is in use

    @dataclass(frozen=True)
    class AuditEntry:
        id: int
        at: str
        user: str
        action: str
        case_id: str | None
        detail: dict

    @dataclass(frozen=True)
    class PgAuditEntry(AuditEntry):
        role: str = ""

    @dataclass(frozen=True)
    class PatientMatch:
        patient_id: str
        name: str | None
        birth_date: dt.date | None
        age_years: int | None
        sex: str
        case_ids: tuple[str, ...]

    @dataclass(frozen=True)
    class StoredAssessment:
        id: int
        case_id: str
        visit_date: dt.date
        content_version: str
        assessment: dict
        created_at: str
        created_by: str

    @dataclass(frozen=True)
    class LockConfig:
        enabled: bool = False
        idle_lock: bool = True
        idle_minutes: int = IDLE_MINUTES_DEFAULT
        scrypt: dict | None = None

    @dataclass(frozen=True)
    class Country:
        code: str
        label: str
        emergency: str | None
        urgent: str | None = None
        source: str = ""

    @dataclass(frozen=True)
    class ClinicSettings:
        name: str = ""
        address: str = ""
        country: str | None = None
        profile: str = "us"

    @dataclass(frozen=True)
    class StoredSettingsProblem:
        keys: tuple[str, ...]
        problem: str
        used: str
        unknown: bool = False

    @dataclass(frozen=True)
    class Outcome:
        ok: bool
        value: Any = None
        error: BaseException | None = None
        changes: Any = Changes()  # ui.operations.NOTHING

    @dataclass(frozen=True)  # domain/followup.py (perfstart36); it also had fast_init's __init__
    class SurgicalReview:
        status: Any
        reason: str
        days_since_care_start: int
        window_opens: dt.date
        window_closes: dt.date
        improvement: Any
        facts: Any
        settings: Any

    @dataclass(frozen=True)  # domain/settings.py (perfstart36)
    class ReviewSettings:
        window_start_day: int = 42
        window_end_day: int = 84
        upcoming_lead_days: int = 14
        mcid_leg_nrs_points: int = 2
        mcid_nrs_percent: int = 30
        mcid_odi_points: int = 10
        mcid_rmdq_points: int = 5
        resolved_leg_nrs_max: int = 2
        resolved_odi_max: int = 20
        resolved_rmdq_max: int = 4
        improving_recheck_days: int = 28
        content_version: str = ""

    @dataclass(frozen=True)  # domain/followup.py (perfstart36)
    class StandingRedFlags:
        tier: str
        headline: str
        flags: tuple[str, ...]
        since: dt.date
        raised_by: object = field(default=None, compare=False, repr=False)


DAY = dt.date(2026, 6, 1)
SAMPLES: dict[str, list[tuple[tuple, dict]]] = {
    # (positional values, keyword values) of instances; neighbours differ in one field
    "Changes": [((), {}), ((("C-1",), True), {}), ((("C-1",), True), {"patients": True}),
                ((("C-1",),), {"worklist": True, "already_saved": True, "saved_record": "v1"}),
                ((("C-1",),), {"worklist": True, "new_episode_while_open": ("C-2",), "case": "a case"}),
                ((("C-1", "C-2"), False, False, True, True, True), {})],
    "ImportResult": [((), {}), ((("C-1",),), {}), ((("C-1",), ("C-2",)), {}), ((), {"new_episodes": ("C-3",)}),
                     ((("C-1",), (), ("C-4",), ("ack",), ("rep",), ("rem",), ("chg",), ("cl",), ("ne",)), {})],
    "AuditEntry": [((1, "2026-06-01T10:00:00+00:00", "dr.a", "import", "C-1", {"n": 1}), {}),
                   ((1, "2026-06-01T10:00:00+00:00", "dr.a", "import", "C-1", {"n": 2}), {}),
                   ((2, "2026-06-01T10:00:00+00:00", "dr.a", "import", None, {}), {})],
    "PgAuditEntry": [((1, "2026-06-01T10:00:00+00:00", "dr.a", "import", "C-1", {"n": 1}), {}),
                     ((1, "2026-06-01T10:00:00+00:00", "dr.a", "import", "C-1", {"n": 1}), {"role": "clinician"}),
                     ((1, "2026-06-01T10:00:00+00:00", "dr.a", "import", "C-1", {"n": 1}, "admin"), {})],
    "PatientMatch": [(("P-1", "Ann", DAY, 45, "female", ("C-1",)), {}), (("P-1", None, None, None, "", ()), {}),
                     (("P-1", "Ann", DAY, 45, "female", ("C-1", "C-2")), {})],
    "StoredAssessment": [((1, "C-1", DAY, "2026.11.8", {"a": 1}, "2026-06-01", "dr.a"), {}),
                         ((1, "C-1", DAY, "2026.11.8", {"a": 2}, "2026-06-01", "dr.a"), {})],
    "LockConfig": [((), {}), ((True,), {"scrypt": {"n": 16384}}), ((False, False, 30), {}), ((False, True, 10), {})],
    "Country": [(("uk", "United Kingdom (999, NHS 111)", "999", "111", "NHS"), {}), (("other", "Another", None), {}),
                (("uk", "United Kingdom (999, NHS 111)", "999"), {"source": "NHS"})],
    "ClinicSettings": [((), {}), (("Clinic",), {}), (("Clinic", "1 Road"), {"country": "uk", "profile": "uk"}),
                       (("Clinic", "1 Road", "uk", "uk"), {})],
    "StoredSettingsProblem": [((("a",), "bad", "default"), {}), (((), "unreadable", "defaults", True), {}),
                              ((("a",), "bad", "default"), {"unknown": True})],
    "Outcome": [((True,), {}), ((True, 3), {}), ((False,), {"error": ValueError("x")}),
                ((True, None, None, Changes()), {})],
    "SurgicalReview": [(("due", "In the window.", 50, DAY, DAY + dt.timedelta(days=42), "improvement", "facts",
                         "settings"), {}),
                       (("due", "In the window.", 51, DAY, DAY + dt.timedelta(days=42), "improvement", "facts",
                         "settings"), {}),
                       (("overdue", "Past the window.", 90, DAY, DAY, None, ("facts",), "settings"), {})],
    "ReviewSettings": [((), {}), ((28, 56, 7), {}), ((), {"content_version": "2026.12.1"}),
                       ((42, 84, 14, 2, 30, 10, 5, 2, 20, 4, 21, "v"), {})],
    # raised_by is left out of repr and equality: the third differs from the first by it alone
    "StandingRedFlags": [(("emergency", "Cauda equina", ("saddle_anaesthesia",), DAY), {}),
                         (("urgent", "Cauda equina", ("saddle_anaesthesia",), DAY), {}),
                         (("emergency", "Cauda equina", ("saddle_anaesthesia",), DAY), {"raised_by": "a visit"}),
                         (("emergency", "Cauda equina", ("saddle_anaesthesia", "urinary_retention"), DAY,
                           "a visit"), {})],
}


def _new_classes() -> dict[str, type]:
    from radiculopathy_desktop.storage.pg.store import PgAuditEntry
    from radiculopathy_desktop.domain.clinic import ClinicSettings
    from radiculopathy_desktop.domain.emergency import Country
    from radiculopathy_desktop.domain.settings import StoredSettingsProblem
    from radiculopathy_desktop.domain.followup import StandingRedFlags, SurgicalReview
    from radiculopathy_desktop.domain.settings import ReviewSettings
    from radiculopathy_desktop.ui.operations import Outcome
    return {"ReviewSettings": ReviewSettings, "SurgicalReview": SurgicalReview, "StandingRedFlags": StandingRedFlags,"Country": Country, "ClinicSettings": ClinicSettings, "StoredSettingsProblem": StoredSettingsProblem,
            "Changes": Changes, "ImportResult": ImportResult, "AuditEntry": AuditEntry, "PgAuditEntry": PgAuditEntry,
            "PatientMatch": PatientMatch, "StoredAssessment": StoredAssessment, "LockConfig": LockConfig,
            "Outcome": Outcome}


def _pairs(name: str):
    new, old = _new_classes()[name], getattr(OLD, name)
    for args, kwargs in SAMPLES[name]:
        yield new(*args, **kwargs), old(*args, **kwargs)


def _hash_or_error(value):
    try:
        return hash(value)
    except TypeError as exc:
        return f"TypeError: {exc}"


def _old_repr(old) -> str:
    return repr(old).replace(type(old).__qualname__, type(old).__name__, 1)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_record_has_the_dataclass_constructor_repr_and_match_order(name):
    new, old = _new_classes()[name], getattr(OLD, name)
    old_params = [(p.name, p.default, p.kind) for p in inspect.signature(old).parameters.values()]
    new_params = [(p.name, p.default, p.kind) for p in inspect.signature(new).parameters.values()]
    assert new_params == old_params
    assert new.__match_args__ == old.__match_args__
    assert new._fields == tuple(f.name for f in dataclasses.fields(old))
    assert new._compared == tuple(f.name for f in dataclasses.fields(old) if f.compare)
    assert new._shown == tuple(f.name for f in dataclasses.fields(old) if f.repr)
    for n, o in _pairs(name):
        assert repr(n) == _old_repr(o).replace("OLD.", "")
        assert [getattr(n, f) for f in new._fields] == [getattr(o, f.name) for f in dataclasses.fields(o)]
    with pytest.raises(TypeError):
        new(*range(len(new._fields) + 1))  # one value too many, as the dataclass refused it


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_record_is_equal_and_hashes_exactly_when_its_dataclass_did(name):
    pairs = list(_pairs(name))
    for n1, o1 in pairs:
        for n2, o2 in pairs:
            assert (n1 == n2) == (o1 == o2) and (n1 != n2) == (o1 != o2)
        rebuilt_new, rebuilt_old = copy.copy(n1), copy.copy(o1)
        assert (n1 == rebuilt_new) == (o1 == rebuilt_old)
        old_hash, new_hash = _hash_or_error(o1), _hash_or_error(n1)
        assert isinstance(old_hash, str) == isinstance(new_hash, str)  # a dict field: unhashable in both
        if not isinstance(old_hash, str):
            assert new_hash == hash(tuple(getattr(n1, f) for f in type(n1)._compared))
            assert {n1: 1}[copy.copy(n1)] == 1
        assert (n1 == object()) is False and n1 != "a string"


def test_records_of_different_classes_are_never_equal_even_with_the_same_values():
    """As with the dataclasses, an AuditEntry is not equal to a server entry with the same values."""
    from radiculopathy_desktop.storage.pg.store import PgAuditEntry
    values = (1, "2026-06-01T10:00:00+00:00", "dr.a", "import", None, {})
    assert (AuditEntry(*values) == PgAuditEntry(*values)) == (OLD.AuditEntry(*values) == OLD.PgAuditEntry(*values))
    assert AuditEntry(*values) != PgAuditEntry(*values)
    assert Changes() != ImportResult() and ImportResult().changes == Changes()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_record_refuses_assignment_and_deletion_as_a_frozen_dataclass(name):
    for n, o in _pairs(name):
        for attribute in (type(n)._fields[0], "not_a_field"):
            for record in (n, o):
                with pytest.raises(dataclasses.FrozenInstanceError, match=repr(attribute)):
                    setattr(record, attribute, 1)
                with pytest.raises(dataclasses.FrozenInstanceError, match=repr(attribute)):
                    delattr(record, attribute)
        assert [getattr(n, f) for f in type(n)._fields] == [getattr(o, f.name) for f in dataclasses.fields(o)]


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - {"Outcome"}))  # an Outcome can hold an exception
def test_each_record_pickles_and_copies_to_an_equal_record(name):
    for n, _o in _pairs(name):
        for twin in (pickle.loads(pickle.dumps(n)), copy.copy(n), copy.deepcopy(n)):
            assert type(twin) is type(n) and repr(twin) == repr(n)
            assert twin == n
            with pytest.raises(dataclasses.FrozenInstanceError):
                twin.__setattr__(type(n)._fields[0], None)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_replace_makes_what_dataclasses_replace_made(name):
    for n, o in _pairs(name):
        field_name = type(n)._fields[-1]
        assert repr(n.replace(**{field_name: ("changed",)})) == \
            _old_repr(dataclasses.replace(o, **{field_name: ("changed",)})).replace("OLD.", "")
        assert n.replace() == n and n.replace() is not n
        with pytest.raises(TypeError):
            n.replace(not_a_field=1)


def test_review_settings_methods_give_what_the_dataclass_gave():
    """``to_dict``, ``updated`` and the stored settings' reading used ``dataclasses.asdict`` and
    ``replace`` on the former dataclass: the same dicts, order and results now."""
    from radiculopathy_desktop.domain.settings import (ReviewSettings, SettingsError, default_review_settings,
                                                       settings_from_stored)

    for args, kwargs in SAMPLES["ReviewSettings"]:
        new, old = ReviewSettings(*args, **kwargs), OLD.ReviewSettings(*args, **kwargs)
        assert list(new.to_dict().items()) == list(dataclasses.asdict(old).items())
    base = ReviewSettings()
    changed = base.updated({"window_start_day": 28, "window_end_day": 56})
    assert repr(changed) == _old_repr(dataclasses.replace(OLD.ReviewSettings(), window_start_day=28,
                                                          window_end_day=56)).replace("OLD.", "")
    with pytest.raises(SettingsError, match="unknown settings: not_a_setting"):
        base.updated({"not_a_setting": 1})
    settings, problems = settings_from_stored({"upcoming_lead_days": 7, "gone": 1})
    assert settings == default_review_settings().replace(upcoming_lead_days=7)
    assert [p.keys for p in problems] == [("gone",)]


def test_merging_changes_joins_every_flag_as_before():
    """ui.operations.merge read the dataclass's fields; it reads the record's, in the same order."""
    from radiculopathy_desktop.ui.operations import changes_of, merge
    merged = merge(Changes(("C-1",), worklist=True, case="one"), Changes(("C-2", "C-1"), settings=True),
                   ImportResult(added=("C-3",)).changes)
    assert merged == Changes(("C-1", "C-2", "C-3"), worklist=True, patients=True, settings=True)
    assert merged.case == "one" and merged.already_saved is False
    assert changes_of([Changes(drafts=True), (ImportResult(updated=("C-9",)),)]) == \
        Changes(("C-9",), worklist=True, patients=True, drafts=True)


def test_both_engines_return_these_records(store, engine):
    """Through the store contract (storage/contract.py) on SQLite and on the clinic server
    (storage/pg/store.py): an import's result and changes, audit entries, a patient search, a
    saved assessment and the lock's configuration."""
    from radiculopathy_desktop.storage import access
    from tracker_support import make_case

    result = store.import_cases([make_case("C-1", patient_id="P-7", name="Ann Example")], user="dr.a")
    assert type(result) is ImportResult and result.added == ("C-1",)
    assert result.changes == Changes(("C-1",), worklist=True, patients=True)
    again = store.import_cases([make_case("C-1", patient_id="P-7", name="Ann Example")], user="dr.a")
    assert again == ImportResult(unchanged=("C-1",)) and hash(again) == hash(ImportResult(unchanged=("C-1",)))

    entries = store.audit("C-1")
    assert entries and all(isinstance(e, AuditEntry) for e in entries)
    assert type(entries[0]).__name__ == ("PgAuditEntry" if engine == "postgresql" else "AuditEntry")
    first = entries[0]
    assert first == copy.copy(first) and repr(first).startswith(type(first).__qualname__ + "(id=")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.user = "someone else"

    (match,) = store.search_patients("P-7")
    assert match == PatientMatch("P-7", "Ann Example", None, 45, "female", ("C-1",))
    assert match.case_ids == ("C-1",) and hash(match) == hash(copy.copy(match))

    change = store.save_assessment("C-1", {"summary": "x"}, visit_date=DAY, content_version="test", user="dr.a")
    assert isinstance(change, Changes) and change.assessments
    (saved,) = store.assessments("C-1")
    assert type(saved) is StoredAssessment and saved.assessment == {"summary": "x"} and saved.visit_date == DAY

    config = access.load_config(store)
    assert config == LockConfig() and config.idle_active is False
    locked = access.set_idle(store, False, 30, user="dr.a")
    assert locked == LockConfig(False, False, 30) and locked == access.load_config(store)


def test_the_mutable_records_behave_as_their_plain_dataclasses():
    """AppContext (ui/context.py) and a registered migration (storage/schema.py) were plain
    ``@dataclass``es: the same constructor, repr and equality, unhashable, fields reassignable;
    each context gets its own ``extra`` dict (the dataclass's ``default_factory=dict``)."""
    from radiculopathy_desktop.storage.schema import MigrationSet
    from radiculopathy_desktop.ui.context import AppContext

    @dataclass
    class OldContext:
        store: Any
        hub: Any
        data_dir: Any = None
        today: Any = dt.date.today
        demo: bool = False
        extra: dict = field(default_factory=dict)
        identified_user: str | None = None
        lock_required: bool = False

    @dataclass
    class OldMigration:
        name: str
        fn: Any
        transactional: bool = True

    for new, old, args, kwargs in ((AppContext, OldContext, ("store", "hub"), {}),
                                   (AppContext, OldContext, ("store", "hub", None, dt.date.today, True),
                                    {"extra": {"ops": 1}, "lock_required": True}),
                                   (MigrationSet._Migration, OldMigration, ("m001", print), {}),
                                   (MigrationSet._Migration, OldMigration, ("m002", print, False), {})):
        n, o = new(*args, **kwargs), old(*args, **kwargs)
        assert repr(n).replace(new.__qualname__, "X", 1) == repr(o).replace(old.__qualname__, "X", 1)
        assert n == new(*args, **kwargs) and (n == new(*args, **kwargs)) == (o == old(*args, **kwargs))
        assert new.__match_args__ == old.__match_args__
        with pytest.raises(TypeError, match="unhashable"):
            hash(n)
        field_name = new._fields[0]
        setattr(n, field_name, "other")
        setattr(o, field_name, "other")
        assert repr(n).replace(new.__qualname__, "X", 1) == repr(o).replace(old.__qualname__, "X", 1)
    first, second = AppContext("s", "h"), AppContext("s", "h")
    first.extra["ops"] = "runner"
    assert second.extra == {} and first != second  # one dict each, as default_factory made
    registered = MigrationSet("test")
    registered(name="m_one")(lambda db: None)
    assert [(m.name, m.transactional) for m in registered._migrations] == [("m_one", True)]
