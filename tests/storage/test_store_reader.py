"""``Store.reader()`` (st20): the store the window's "Medicine alerts (N)" is counted on, in a worker
thread, so the window never waits for that count (150-230 ms at 100,000 cases under load).

Before st20 the count ran on the window's thread, on the one connection the window shares with the
writes its runner makes in a worker thread; a count moved to a thread on that same connection could
see half a write (rows a failing import then rolls back), and the exact path's commit
(``storage.worklist._prepare_exact``) could commit one. The reader is a connection of its own: it
sees only committed rows, cannot write, and gives the same figure as the store.

The alerts are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later".
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.db import StorageError
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]
INTAKE = ANCHOR - dt.timedelta(days=50)
AS_OF = INTAKE + dt.timedelta(days=10)


def _pregnant(case_id, weeks):
    d = case_dict(case_id, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    d["patient"]["pregnancy_weeks"] = weeks
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200.0}]
    return d


def _in_thread(fn):
    """``fn()`` in another thread (as the window's worker runs it); its result or exception."""
    box = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_the_reader_counts_what_the_store_counts_in_another_thread(store):
    store.import_cases([parse_case(_pregnant(f"P{w}", w)) for w in (15, 22, 24, 31)]
                       + [parse_case(case_dict("PLAIN", care_start=INTAKE))])
    for days in (0, 3, 10, 40):  # 15+ weeks crosses 20 on day 35; 22, 24, 31 alert from the intake
        as_of = INTAKE + dt.timedelta(days=days)
        for profile in ("us", "uk"):
            want = store.medicine_alert_count(as_of, OPEN, profile=profile)

            def count(as_of=as_of, profile=profile):
                with store.reader() as reader:
                    return reader.medicine_alert_count(as_of, OPEN, profile=profile)

            assert _in_thread(count) == want, (as_of, profile)
    assert store.medicine_alert_count(INTAKE + dt.timedelta(days=40), OPEN) == 4  # not a count of nothing


def test_the_reader_cannot_write(store):
    store.import_cases([parse_case(_pregnant("P24", 24))])
    from radiculopathy_desktop.domain.intake import Decision
    d = Decision(date=AS_OF, kind="resolved_discharged", by="Dr A")

    def write():
        with store.reader() as reader:
            reader.record_decision("P24", d, user="dr.a")

    with pytest.raises(StorageError) as raised:
        _in_thread(write)
    assert raised.value.kind == "read_only"
    assert store.medicine_alert_count(AS_OF, OPEN) == 1  # nothing was written
    assert list(store.get_case("P24").decisions) == []


def test_the_reader_never_sees_a_write_not_yet_committed(data_dir):
    """SQLite: an import still inside its transaction on the window's connection (a runner's write)
    is not counted by the reader; the window's own connection would have counted it."""
    from radiculopathy_desktop.storage.store import CaseStore

    store = CaseStore.open(data_dir)
    try:
        store.import_cases([parse_case(_pregnant("P24", 24))])

        def count():
            with store.reader() as reader:
                return reader.medicine_alert_count(AS_OF, OPEN)

        with store.transaction():
            store.import_cases([parse_case(_pregnant("P25", 25))])
            assert store.medicine_alert_count(AS_OF, OPEN) == 2  # the shared connection sees the half-done write
            assert _in_thread(count) == 1  # the reader does not
        assert _in_thread(count) == 2  # committed: now it does
    finally:
        store.close()


def test_the_readers_connection_is_closed_after_the_count(data_dir):
    from radiculopathy_desktop.storage import db as dbmod
    from radiculopathy_desktop.storage.store import CaseStore

    store = CaseStore.open(data_dir)
    try:
        key = dbmod._key(store.path)
        before = dbmod._live.get(key)
        with store.reader() as reader:
            assert dbmod._live.get(key) == before + 1
            reader.medicine_alert_count(AS_OF, OPEN)
        assert dbmod._live.get(key) == before
    finally:
        store.close()


def test_a_locked_database_is_a_clear_locked_error_from_the_reader(data_dir, monkeypatch):
    """SQLite in rollback-journal mode (a network share): another program's exclusive lock keeps
    the reader waiting out the busy timeout, then ``locked`` (the window then says so)."""
    import sqlite3

    from radiculopathy_desktop.storage import opening
    from radiculopathy_desktop.storage.store import CaseStore

    monkeypatch.setattr(opening, "is_network_filesystem", lambda folder: True)
    store = CaseStore.open(data_dir, busy_timeout_ms=100)
    try:
        assert store.journal_mode() == "delete"
        store.import_cases([parse_case(_pregnant("P24", 24))])
        other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN EXCLUSIVE")

            def count():
                with store.reader() as reader:
                    return reader.medicine_alert_count(AS_OF, OPEN)

            with pytest.raises(StorageError) as raised:
                _in_thread(count)
            assert raised.value.kind == "locked"
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert _in_thread(count) == 1
    finally:
        store.close()
