"""Data folders with characters SQLite's URI parser reads (#, ?, %) still open the right file."""

from __future__ import annotations

from radiculopathy_desktop.storage.db import sqlite_uri
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import make_case


def test_uri_escapes_query_fragment_and_percent(tmp_path):
    assert sqlite_uri(tmp_path / "a?b#c%d.sqlite3", "ro").endswith("a%3fb%23c%25d.sqlite3?mode=ro")


def test_store_in_a_folder_with_awkward_characters(tmp_path):
    folder = tmp_path / "Clinic #2 ? 100%"
    with CaseStore.open(folder) as store:
        store.import_cases([make_case("C-1")])
    with CaseStore.open(folder, create=False) as store:
        assert [c.case_id for c in store.iter_cases()] == ["C-1"]
    assert (folder / "radiculopathy.sqlite3").exists()
