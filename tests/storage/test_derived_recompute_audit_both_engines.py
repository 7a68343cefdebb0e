"""The one-time derived-data recompute after an upgrade writes ONE audit entry on both engines
(pg21 leftover; hazard H-DATA-419).

Before: the clinic server wrote one "Upgrade: derived data recomputed" entry (m013's settings
trigger), but a local SQLite file's recompute wrote none: its Access history could not show
that every case's review facts, outcome facts and medicine alerts were rewritten, nor when.

Now the local store writes the same single ``derived_data_recomputed`` entry, with the same
detail (what was recomputed in words, how many cases, the versions before and after as objects
of their parts), when it records the new version: the full rewrite and the alerts-only one;
none when nothing was pending, and none for a file with no cases (the version alone is recorded,
as on the server).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.engine_common import _version_parts
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore
from radiculopathy_desktop.ui import audit_view
from tracker_support import ANCHOR, case_dict

from test_alerts_only_rewrite import _as_superuser, _with

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=40)
CURRENT = CaseStore.derived_version()


def _cases(n: int):
    out = []
    for i in range(n):
        d = case_dict(f"R{i:02d}", care_start=INTAKE)
        if i % 2 == 0:  # an NSAID at 24 weeks of pregnancy: a medicine alert (FDA, 15 October 2020)
            d["patient"]["pregnancy_weeks"] = 24
            d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
        out.append(parse_case(d))
    return out


def _set_stored_version(store, request, value) -> None:
    """The stored derived version as an older app left it (None: the row gone, as before fxj20)."""
    if value is None:
        _as_superuser(store, request, "DELETE FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,))
    else:
        _as_superuser(store, request, "UPDATE settings SET value_json = ? WHERE key = ?",
                      (json.dumps(value), DERIVED_VERSION_KEY))
    if hasattr(store, "forget_cached"):
        store.forget_cached()
    assert store.upgrade_pending


def _added(store, before: int):
    return store.audit()[before:]


def test_a_full_recompute_writes_one_entry_naming_what_and_how_many(store, request, engine):
    store.import_cases(_cases(5), user="Dr Ada")
    older = _with("facts", "0")
    _set_stored_version(store, request, older)
    n = store.audit_count()
    store.upgrade_derived_data()
    added = _added(store, n)
    assert [(e.action, e.case_id) for e in added] == [("derived_data_recomputed", None)]
    entry = added[0]
    assert entry.detail["cases"] == 5
    assert entry.detail["recomputed"] == ["review facts"]  # only the facts part differed
    assert entry.detail["from"] == _version_parts(older) and entry.detail["to"] == _version_parts(CURRENT)
    assert isinstance(entry.detail["review_facts_rewritten"], int)
    assert entry.detail["cases_with_medicine_alerts"] == 3  # R00, R02, R04: ibuprofen at 24 weeks
    assert entry.user  # who ran it: the server's login, the local file's "upgrade"
    if engine == "sqlite":
        assert entry.user == "upgrade"
    # the Access history reads it in words, as the server's
    assert audit_view.action_words(entry.action) == "Upgrade: derived data recomputed (no record changed)"
    assert not store.upgrade_pending
    # nothing pending: a second run writes nothing
    store.upgrade_derived_data()
    assert len(store.audit()) == n + 1


def test_an_unset_version_is_recomputed_whole_with_from_empty(store, request):
    store.import_cases(_cases(2), user="Dr Ada")
    _set_stored_version(store, request, None)
    n = store.audit_count()
    store.upgrade_derived_data()
    [entry] = _added(store, n)
    assert entry.action == "derived_data_recomputed"
    assert entry.detail["from"] is None and entry.detail["to"] == _version_parts(CURRENT)
    assert entry.detail["recomputed"] == ["review facts", "medicine alerts", "outcome facts", "facts history"]
    assert entry.detail["cases"] == 2


@pytest.mark.parametrize("part, older", [("alerts", "4"), ("medicines", "0123456789abcdef")])
def test_an_alerts_only_recompute_writes_one_entry_too(store, request, part, older):
    store.import_cases(_cases(4), user="Dr Ada")
    _set_stored_version(store, request, _with(part, older))
    n = store.audit_count()
    store.upgrade_derived_data()
    [entry] = _added(store, n)
    assert entry.action == "derived_data_recomputed" and entry.case_id is None
    assert entry.detail["recomputed"] == ["medicine alerts"]
    assert entry.detail["cases"] == 4 and entry.detail["cases_with_medicine_alerts"] == 2
    assert entry.detail["from"][part] == older and entry.detail["to"] == _version_parts(CURRENT)


def test_a_store_without_cases_records_the_version_without_an_entry(store, request):
    _set_stored_version(store, request, _with("facts", "0"))
    n = store.audit_count()
    store.upgrade_derived_data()
    assert not store.upgrade_pending
    assert store.audit_count() == n


@pytest.mark.sqlite_only("the local file's first open after an upgrade runs the recompute")
def test_the_first_open_after_an_upgrade_writes_the_one_entry(data_dir):
    with CaseStore.open(data_dir) as s:
        s.import_cases(_cases(3), user="Dr Ada")
        with s._db.conn:
            s._db.conn.execute("UPDATE settings SET value_json = ? WHERE key = ?",
                               (json.dumps(_with("outcomes", "0 0")), DERIVED_VERSION_KEY))
        n = s.audit_count()
    with CaseStore.open(data_dir) as s:  # the open recomputes
        assert not s.upgrade_pending
        added = s.audit()[n:]
    assert [(e.action, e.user, e.detail["cases"]) for e in added] == [("derived_data_recomputed", "upgrade", 3)]
    assert added[0].detail["recomputed"] == ["outcome facts"]
    with CaseStore.open(data_dir) as s:  # and only once
        assert s.audit_count() == n + 1
