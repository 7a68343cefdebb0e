"""Daily backups while the window runs (issue 7).

After the first paint and the quick check, and then every hour, a backup is made
when the newest is a day old, in a worker thread (the window keeps responding),
checked with integrity_check, pruned to the stored ``backup_keep``. A failure shows
a non-blocking warning saying what to do, and is logged without patient data.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui.backup_schedule import BackupScheduler, BackupWarning, backup_failure_text

from .conftest import case_dict, seed_cases

SENTINEL = "Zzyzx Sentinelname"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    with CaseStore.open(folder) as s:
        s.import_cases([parse_case(c) for c in seed_cases()], user="test")
        s.import_cases([parse_case(case_dict("P-SENT", SENTINEL, 30))], user="test")
    return folder


def _age(paths, days: float) -> None:
    when = time.time() - days * 86400
    for p in paths:
        os.utime(p, (when, when))


@pytest.fixture
def schedulers(qapp):
    made = []

    def make(*args, **kwargs):
        s = BackupScheduler(*args, **kwargs)
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()


def test_one_backup_when_due_none_when_not(qtbot, data, schedulers):
    scheduler = schedulers(data, keep=lambda: 14)
    with qtbot.waitSignal(scheduler.made, timeout=20000) as made:
        scheduler.start()
    result = made.args[0]
    assert result.ok and result.path.parent == data / "backups"
    assert scheduler.timer.isActive() and scheduler.timer.interval() == 60 * 60 * 1000
    with qtbot.waitSignal(scheduler.not_due, timeout=20000):
        assert scheduler.run_now()
    assert bk.list_backups(data / "backups") == [result.path]
    _age([result.path], 1.1)  # a day later, the hourly tick makes the next one
    with qtbot.waitSignal(scheduler.made, timeout=20000) as second:
        scheduler.timer.timeout.emit()
    assert len(bk.list_backups(data / "backups")) == 2 and second.args[0].path != result.path


def test_the_window_keeps_responding_during_a_backup(qtbot, data, schedulers, monkeypatch):
    release = threading.Event()
    real = bk.backup_if_due

    def slow(*args, **kwargs):
        assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(bk, "backup_if_due", slow)
    scheduler = schedulers(data, keep=lambda: 14)
    scheduler.start()
    assert scheduler.busy
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)  # the event loop runs while the backup waits
    timer.stop()
    assert scheduler.busy and not scheduler.run_now()  # never two at once
    with qtbot.waitSignal(scheduler.made, timeout=20000):
        release.set()


def test_keep_count_is_read_when_the_backup_runs(qtbot, data, schedulers):
    for _ in range(4):
        bk.backup_database(data)
    _age(bk.list_backups(data / "backups"), 2)
    scheduler = schedulers(data, keep=lambda: 2)
    with qtbot.waitSignal(scheduler.made, timeout=20000) as made:
        scheduler.start()
    assert len(made.args[0].pruned) == 3
    assert len(bk.list_backups(data / "backups")) == 2


# --------------------------------------------------------------------------- in the window
@pytest.fixture
def start(controllers):
    def _start(qtbot, folder):
        c = controllers(folder)
        assert c.start() is None
        qtbot.waitExposed(c.window)
        return c

    return _start


def test_window_backs_up_after_the_first_paint_and_says_so_quietly(qtbot, data, start):
    with CaseStore.open(data) as s:  # the clinic's stored setting wins over the default
        s._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('backup_keep', '2', 'now')")
        s._db.conn.commit()
    for _ in range(3):
        bk.backup_database(data)
    _age(bk.list_backups(data / "backups"), 3)
    app = start(qtbot, data)
    assert app.window.isVisible()
    qtbot.waitUntil(lambda: app.scheduler is not None and not app.scheduler.busy
                    and "today" in app.backup_label.text(), timeout=20000)
    assert app.backup_label.text().startswith("Last backup: today at ")
    assert app.window.statusBar().currentMessage() == "Daily backup made and checked."
    assert len(bk.list_backups(data / "backups")) == 2
    assert app.backup_warning is None


def test_no_backup_when_one_was_made_today(qtbot, data, start):
    existing = bk.backup_database(data).path
    app = start(qtbot, data)
    qtbot.waitUntil(lambda: app.scheduler is not None, timeout=20000)
    qtbot.waitUntil(lambda: not app.scheduler.busy, timeout=20000)
    assert bk.list_backups(data / "backups") == [existing]
    assert app.backup_label.text().startswith("Last backup: today at ")


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # the failure is logged (kind only)
def test_failed_backup_warns_without_blocking_and_logs_no_patient_data(qtbot, data, start, monkeypatch, caplog):
    bk.backup_database(data)
    _age(bk.list_backups(data / "backups"), 5)
    calls = []

    def disk_full(data_dir, max_age, keep):
        calls.append(keep)
        raise StorageError("disk_full", f"The disk is full, so the change could not be saved. ({SENTINEL})")

    monkeypatch.setattr(bk, "backup_if_due", disk_full)
    app = start(qtbot, data)
    qtbot.waitUntil(lambda: app.backup_warning is not None and app.backup_warning.isVisible(), timeout=20000)
    warning = app.backup_warning
    assert isinstance(warning, BackupWarning)
    assert warning.windowModality() == Qt.NonModal and app.window.isEnabled()
    text = warning.message_label.text()
    assert "could not be made. The disk is full." in text
    assert "Free some space" in text and str(data / "backups") in text
    assert "tries again every hour" in text and "Your newest backup is from" in text
    assert "(the last attempt failed)" in app.backup_label.text()
    assert "the automatic daily backup failed (StorageError, disk_full)" in caplog.text
    assert SENTINEL not in caplog.text
    assert calls == [14]

    app.scheduler.run_now()  # the hourly retry fails again: the same warning, not a second one
    qtbot.waitUntil(lambda: len(calls) == 2 and not app.scheduler.busy, timeout=20000)
    qtbot.wait(50)
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, BackupWarning) and w.isVisible()] == [warning]

    monkeypatch.undo()
    with qtbot.waitSignal(app.scheduler.made, timeout=20000):
        app.scheduler.run_now()  # the next success closes the warning
    qtbot.waitUntil(lambda: app.backup_warning is None)


def test_failure_texts_say_what_to_do(tmp_path):
    folder = tmp_path / "backups"
    perm = backup_failure_text(StorageError("permission", "x"), folder, None)
    assert "cannot be written to" in perm and str(folder) in perm and "There is no earlier backup yet." in perm
    corrupt = backup_failure_text(StorageError("corrupt", "x"), folder, "today at 09:00")
    assert "database itself may be damaged" in corrupt and "today at 09:00" in corrupt
    other = backup_failure_text(RuntimeError(SENTINEL), folder, None)
    assert "RuntimeError" in other and SENTINEL not in other
