"""Disk full during a save (issue 7): a clear message, the previous data intact, the input kept.

The disk is "full" through SQLite's ``PRAGMA max_page_count`` on the store's own
connection: set to the current page count, then the last free space inside the pages
is used up with audit entries, so the next write that needs a page fails with
SQLITE_FULL exactly as on a full disk. Every kind of save must then raise a
``StorageError`` of kind ``disk_full`` that says what to do, leave the database
exactly as it was (every case, the audit table, settings and drafts; integrity ok after
reopening), and succeed unchanged once there is space again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from radiculopathy_desktop.domain.intake import case_to_dict, parse_decision, parse_visit
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, make_case

NOTE = "漢字のメモ " * 600  # 3,600 characters, ~10 KB of UTF-8: more than any page has free


def fill_the_disk(store: CaseStore) -> int:
    """Cap the file at its current size and use up the free space inside it; the cap."""
    conn = store._db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert conn.execute(f"PRAGMA max_page_count = {pages}").fetchone()[0] == pages
    for size in (3000, 600, 100, 0):
        for _ in range(5000):
            try:
                store.record_audit("filler", "case_viewed", None, {"pad": "x" * size} if size else None)
            except StorageError as exc:
                assert exc.kind == "disk_full", exc.message
                break
        else:
            raise AssertionError("the capped database never filled up")
    assert not conn.in_transaction
    return pages


def snapshot(conn: sqlite3.Connection, store: CaseStore) -> dict:
    return {
        "cases": [case_to_dict(c) for c in store.iter_cases()],
        "audit": conn.execute("SELECT * FROM audit ORDER BY id").fetchall(),
        "settings": conn.execute("SELECT * FROM settings ORDER BY key").fetchall(),
        "drafts": conn.execute("SELECT * FROM drafts ORDER BY key").fetchall(),
        "visits": conn.execute("SELECT count(*) FROM visits").fetchone()[0],
        "worklist": [r.case_id for r in store.worklist(ANCHOR)],
    }


@pytest.fixture
def full_store(data_dir):
    with CaseStore.open(data_dir) as s:
        s.import_cases([make_case("A"), make_case("B", name="Second Invented"),
                        make_case("C", care_start=ANCHOR - dt.timedelta(days=70))], user="setup")
        s.save_draft("intake", {"page": 1, "data": {"patient": {"id": "P-DRAFT"}}})
    store = CaseStore.open(data_dir)
    fill_the_disk(store)
    yield store
    store.close()


def _visit(store):
    case = store.get_case("A")
    return parse_visit({"date": ANCHOR.isoformat(), "leg_nrs": 3, "back_nrs": 2, "notes": NOTE}, case)


def _decision(store):
    case = store.get_case("C")
    return parse_decision({"date": ANCHOR.isoformat(), "kind": "continue_conservative_care",
                           "until": (ANCHOR + dt.timedelta(days=28)).isoformat(), "by": "Dr Invented",
                           "note": NOTE}, case)


SAVES = {
    "add_visit": lambda s: s.add_visit("A", _visit(s), user="dr.a"),
    "record_decision": lambda s: s.record_decision("C", _decision(s), user="dr.a"),
    "import_cases": lambda s: s.import_cases([make_case(f"N-{n}", name=f"New Invented {n}") for n in range(20)],
                                             user="dr.a"),
    "save_draft": lambda s: s.save_draft("intake", {"page": 4, "data": {"notes": NOTE * 3}}),
    "set_settings": lambda s: s.set_settings({"resolved_leg_nrs_max": 3, "window_end_day": 90}, user="dr.a"),
}


@pytest.mark.parametrize("save", list(SAVES))
def test_save_on_a_full_disk_is_refused_in_words_and_changes_nothing(full_store, data_dir, save):
    conn = full_store._db.conn
    before = snapshot(conn, full_store)
    with pytest.raises(StorageError) as info:
        SAVES[save](full_store)
    err = info.value
    assert err.kind == "disk_full", err.message
    assert err.exit_code == 3
    message = err.message
    assert "disk is full" in message
    assert "Nothing was changed" in message
    assert "Free some space" in message and "try again" in message  # what to do
    assert str(data_dir) in message  # which disk
    assert "Traceback" not in str(err) and "sqlite3" not in message
    assert not conn.in_transaction  # rolled back: the connection is usable
    assert snapshot(conn, full_store) == before
    full_store._settings_cache = None
    assert full_store.get_settings().window_end_day == 84

    # Reopened (a new connection, no cap): exactly the data from before, and a sound file.
    full_store.close()
    with CaseStore.open(data_dir) as reopened:
        assert snapshot(reopened._db.conn, reopened) == before
        assert reopened.integrity_check() == ["ok"]


@pytest.mark.parametrize("save", list(SAVES))
def test_the_same_save_succeeds_once_there_is_space(full_store, save):
    """The input the caller kept is all it needs: freeing space and repeating the call saves it."""
    with pytest.raises(StorageError):
        SAVES[save](full_store)
    full_store._db.conn.execute("PRAGMA max_page_count = 1073741823")
    SAVES[save](full_store)
    assert full_store.integrity_check() == ["ok"]
    if save == "add_visit":
        assert full_store.get_case("A").visits[-1].notes == NOTE.strip()
    elif save == "import_cases":
        assert full_store.case_count() == 23


def test_a_disk_filling_up_part_way_never_leaves_a_half_import(data_dir):
    """Room for a few batches of an import, not all: none of its cases are left behind."""
    with CaseStore.open(data_dir) as s:
        s.import_cases([make_case("A"), make_case("B")], user="setup")
    store = CaseStore.open(data_dir)
    try:
        conn = store._db.conn
        before = snapshot(conn, store)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 40}")
        written = []

        def cases():
            for n in range(400):
                written.append(n)
                yield make_case(f"BIG-{n:03d}", name=f"Invented {n}")

        with pytest.raises(StorageError) as info:
            store.import_cases(cases(), user="dr.a", batch_size=10)
        assert info.value.kind == "disk_full"
        assert 10 < len(written) < 400, "the disk filled part-way through the import, after some batches"
        assert snapshot(conn, store) == before
    finally:
        store.close()
    with CaseStore.open(data_dir) as reopened:
        assert snapshot(reopened._db.conn, reopened) == before
        assert reopened.integrity_check() == ["ok"]


# --------------------------------------------------------------------------- commands
@pytest.fixture
def full_disk_for_commands(data_dir, monkeypatch):
    """A database filled to the brim, and every connection a command opens capped at its size."""
    from radiculopathy_desktop.storage import opening

    with CaseStore.open(data_dir) as s:
        s.import_cases([make_case("A"), make_case("B", name="Second Invented")], user="setup")
        fill_the_disk(s)
    with CaseStore.open(data_dir) as s:
        before = snapshot(s._db.conn, s)
    real_open = opening.open_database

    def capped(path, **kwargs):
        db = real_open(path, **kwargs)
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
        db.conn.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(opening, "open_database", capped)
    return before


def _assert_disk_full_reported(code: int, out: str, err: str) -> None:
    assert code == 3, (out, err)
    assert "Traceback" not in out + err
    assert err.startswith("error: The disk is full")
    assert "Nothing was changed" in err and "Free some space" in err


def test_visit_command_on_a_full_disk_exits_3_with_the_message(full_disk_for_commands, run_cli, data_dir):
    code, out, err = run_cli("visit", "A", "--date", ANCHOR.isoformat(), "--leg-nrs", "3", "--notes", NOTE)
    _assert_disk_full_reported(code, out, err)
    with CaseStore.open(data_dir) as s:
        assert snapshot(s._db.conn, s) == full_disk_for_commands


def test_import_command_on_a_full_disk_exits_3_with_the_message(full_disk_for_commands, run_cli, data_dir,
                                                                 tmp_path):
    import json

    from tracker_support import case_dict

    source = tmp_path / "new-cases.json"
    source.write_text(json.dumps({"cases": [case_dict(f"N-{n}", name=f"New Invented {n}") for n in range(30)]}),
                      encoding="utf-8")
    code, out, err = run_cli("import", str(source))
    _assert_disk_full_reported(code, out, err)
    with CaseStore.open(data_dir) as s:
        assert snapshot(s._db.conn, s) == full_disk_for_commands
