"""A data folder on a network file system (issue 7): no WAL, and IT is told why a local disk is needed.

The network file system is simulated with a fake mounts file that puts the test's
folder on an NFS mount; every check in the app and in the storage layer reads it.
"""

from __future__ import annotations

import functools
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import paths
from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui.errors import ErrorDialog

from .conftest import seed_cases


@pytest.fixture
def share(tmp_path, monkeypatch):
    """``tmp_path/share`` mounted over NFS, as far as the app can tell."""
    folder = tmp_path / "share"
    folder.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw,relatime 0 0\nfiler:/export/clinic {folder} nfs4 rw,vers=4.1 0 0\n")
    real = paths.filesystem_type
    monkeypatch.setattr(paths, "filesystem_type", functools.partial(
        lambda path, mounts_file="/proc/mounts", *, fake: real(path, fake), fake=str(mounts)))
    monkeypatch.setattr(app_module, "_network_notice_shown", set())
    assert paths.is_network_filesystem(folder / "data") and not paths.is_network_filesystem(tmp_path)
    return folder


@pytest.fixture
def controllers(controllers):
    """(the controllers made, make): tests/ui/conftest.py's fixture, as these tests use it."""
    return controllers.made, controllers


def _journal_mode_in_header(db) -> int:
    return db.read_bytes()[18]  # 1: rollback journal, 2: WAL


def test_a_wal_database_on_a_share_is_opened_with_the_rollback_journal(tmp_path, monkeypatch):
    data = tmp_path / "share" / "data"
    with CaseStore.open(data) as s:  # made while the folder was local: WAL
        s.import_cases([parse_case(c) for c in seed_cases()], user="test")
        assert s._db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db = data / "radiculopathy.sqlite3"
    assert _journal_mode_in_header(db) == 2
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n//nas/clinic {tmp_path / 'share'} cifs rw 0 0\n")
    real = paths.filesystem_type
    monkeypatch.setattr(paths, "filesystem_type", lambda path, mounts_file="/proc/mounts": real(path, str(mounts)))
    with CaseStore.open(data) as s:
        assert s._db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert s.case_count() == 5
        assert not db.with_name(db.name + "-wal").exists()
    assert _journal_mode_in_header(db) == 1


def test_network_folder_shows_the_banner_and_one_notice_per_session(qtbot, share, controllers):
    made, make = controllers
    data = share / "data"
    with CaseStore.open(data) as s:
        s.import_cases([parse_case(c) for c in seed_cases()], user="test")
    controller = make(data)
    assert controller.start() is None
    window = controller.window
    qtbot.waitExposed(window)
    assert controller.store._db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert controller.network_widget.isVisible()
    assert controller.network_label.text() == app_module.NETWORK_SHORT
    qtbot.waitUntil(lambda: controller.network_dialog is not None and controller.network_dialog.isVisible(),
                    timeout=10000)
    notice = controller.network_dialog
    assert notice.windowModality() == Qt.NonModal and window.isEnabled()  # non-blocking
    text = notice.text()
    for words in ("WAL", "shared-memory index", "same computer", "rollback journal", "unreliable",
                  "two computers write", "local disk", "--data-dir", "RADICULOPATHY_DESKTOP_DATA_DIR",
                  str(data)):
        assert words in text, words
    qtbot.mouseClick(notice.button(QMessageBox.Close), Qt.LeftButton)
    qtbot.waitUntil(lambda: controller.network_dialog is None)
    qtbot.mouseClick(controller.network_button, Qt.LeftButton)  # "Why?" shows it again on request
    assert controller.network_dialog is not None and controller.network_dialog.isVisible()
    controller.shutdown()

    again = make(data)  # the same folder again in this session: the banner, not the dialog
    assert again.start() is None
    qtbot.waitExposed(again.window)
    again._after_first_paint()
    assert again.network_widget.isVisible() and again.network_dialog is None


def test_local_folder_has_no_banner(qtbot, tmp_path, controllers):
    made, make = controllers
    controller = make(tmp_path / "local")
    assert controller.start() is None
    qtbot.waitExposed(controller.window)
    controller._after_first_paint()
    assert not controller.network_widget.isVisible() and controller.network_dialog is None
    assert controller.store._db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_share_still_in_wal_because_another_program_has_it_open_is_refused(qtbot, tmp_path, controllers,
                                                                            monkeypatch):
    made, make = controllers
    data = tmp_path / "share" / "data"
    with CaseStore.open(data) as s:
        s.import_cases([parse_case(c) for c in seed_cases()], user="test")
    db = data / "radiculopathy.sqlite3"
    other = sqlite3.connect(db)  # another program keeps it open (and so in WAL)
    other.execute("SELECT count(*) FROM cases").fetchone()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nfiler:/x {tmp_path / 'share'} nfs rw 0 0\n")
    real = paths.filesystem_type
    monkeypatch.setattr(paths, "filesystem_type", lambda path, mounts_file="/proc/mounts": real(path, str(mounts)))
    seen = []

    def close(dialog):
        seen.append((type(dialog), dialog.windowTitle(), dialog.message_label.text()))
        return 0

    try:
        controller = make(data, close)
        assert controller.start() == 3
    finally:
        other.close()
    kind, title, text = seen[0]
    assert kind is ErrorDialog and title == "The database is busy"
    assert "network drive" in text and "WAL" in text and "Nothing was changed" in text
    assert controller.store is None and controller.window is None
