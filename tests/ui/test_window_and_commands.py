"""The window and the commands on the same data folder at once (issue 11, section 1).

The real app controller starts the window offscreen (single-instance server, store,
start-up quick check and daily backup in threads). For a fixed number of rounds, the
test starts command-line writers and readers (``visit``, ``decide``, ``worklist``,
``backup``, ``check``) as separate processes and, while they run, saves follow-up
visits through the window's real visit dialog, clicking Save as a user would; the
window's own quick check and backup are started again in each round, because that is
where the lost saves came from (a plain ``open()``/``close()`` of the database in the
window's process dropped its locks, and a command then deleted the WAL under it).

After every round: ``check --full`` (a separate process) says ok, and every save
reported as done, by the window (the dialog closed without an error) or by a command
(exit 0), is in the database exactly once. Nothing asserts on timing.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui.dialogs import VisitDialog
from radiculopathy_desktop.ui.errors import ErrorDialog

from .conftest import case_dict

ROUNDS = 3
WINDOW_SAVES_PER_ROUND = 4
CASES = ("S-0", "S-1")  # written by the window and by `visit` commands at once
DECIDED = "S-2"          # decisions recorded from the command line


def _cli(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(data_dir), *args]


def _visit_rows(db: Path, case_id: str, day: dt.date) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM visits WHERE case_id = ? AND visit_date = ? AND is_baseline = 0",
                            (f"{case_id}-case", day.isoformat())).fetchone()[0]
    finally:
        conn.close()


def _decision_rows(db: Path, day: dt.date) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM decisions WHERE case_id = ? AND decision_date = ?",
                            (f"{DECIDED}-case", day.isoformat())).fetchone()[0]
    finally:
        conn.close()


def _save_visit_in_window(qtbot, window, case_id: str, day: dt.date, leg: int) -> str:
    """Open the case, open the visit dialog, fill it and click Save: 'saved', or the error shown."""
    window.open_case(f"{case_id}-case")
    dialog = window.patient_view.add_visit()
    assert isinstance(dialog, VisitDialog)
    qtbot.waitExposed(dialog)
    dialog.date.set_day(day)
    dialog.leg.setValue(leg)
    reported = []
    dialog.saved.connect(lambda _cid: reported.append(True))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    if reported:
        assert not dialog.isVisible()
        return "saved"
    errors = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]
    text = "; ".join(e.windowTitle() for e in errors) or "the dialog neither saved nor said why"
    for e in errors:
        e.close()
    dialog.close()
    return text


@pytest.mark.allow_log_warnings  # a command waiting on the lock may log that it was busy
def test_window_saves_and_commands_together_lose_nothing(qtbot, tmp_path):
    from fault_figures import record

    data = tmp_path / "data"
    db = data / "radiculopathy.sqlite3"
    today = dt.date.today()
    care_days = 400
    start = today - dt.timedelta(days=care_days)
    with CaseStore.open(data) as s:
        cases = []
        for cid in (*CASES, DECIDED):
            d = case_dict(cid, f"Pat {cid}", 0)
            d.update(onset_date=(start - dt.timedelta(days=7)).isoformat(), visit_date=start.isoformat(),
                     care_start_date=start.isoformat())
            cases.append(parse_case(d))
        s.import_cases(cases, user="test")

    controller = app_module.AppController(QApplication.instance(), data, exec_dialog=lambda d: d.exec())
    window_saves: list[tuple[str, dt.date]] = []
    command_saves: list[tuple[str, dt.date]] = []
    decisions: list[dt.date] = []
    not_saved: list[str] = []
    commands_run = commands_failed = command_writes = 0
    try:
        assert controller.start() is None
        window = controller.window
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: controller._painted, timeout=20000)
        day_no = 0
        for round_no in range(ROUNDS):
            # The window's own background work, started again now: the quick check, and a backup.
            controller.start_quick_check()
            if controller.scheduler is not None:
                controller.scheduler.max_age = dt.timedelta(0)
                controller.scheduler.run_now()
            procs = []
            for i, cid in enumerate(CASES):
                day = start + dt.timedelta(days=2 * (round_no * len(CASES) + i) + 2)  # even days: commands
                procs.append((("visit", cid, day), subprocess.Popen(
                    _cli(data, "visit", f"{cid}-case", "--date", day.isoformat(), "--leg-nrs", str(i + 3)),
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
            decided = start + dt.timedelta(days=round_no + 1)
            procs.append((("decide", DECIDED, decided), subprocess.Popen(
                _cli(data, "decide", f"{DECIDED}-case", "--kind", "continue", "--until",
                     (decided + dt.timedelta(days=28)).isoformat(), "--date", decided.isoformat()),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
            for args in (("worklist", "--status", "all"), ("backup",), ("check",)):
                procs.append(((args[0], None, None), subprocess.Popen(
                    _cli(data, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
            # The window saves while the commands run (and goes on until they have all finished).
            saves = 0
            while saves < WINDOW_SAVES_PER_ROUND or any(p.poll() is None for _, p in procs):
                cid = CASES[day_no % len(CASES)]
                day = start + dt.timedelta(days=2 * day_no + 201)  # odd days, after the commands' range
                day_no += 1
                outcome = _save_visit_in_window(qtbot, window, cid, day, leg=day_no % 11)
                if outcome == "saved":
                    window_saves.append((cid, day))
                else:
                    not_saved.append(outcome)
                saves += 1
                qtbot.wait(20)
            for (kind, cid, day), proc in procs:
                out, err = proc.communicate(timeout=120)
                commands_run += 1
                command_writes += kind in ("visit", "decide")
                if proc.returncode != 0:
                    commands_failed += 1
                    assert proc.returncode == 3 and "busy" in err, (kind, proc.returncode, err)
                    continue
                if kind == "visit":
                    command_saves.append((cid, day))
                elif kind == "decide":
                    decisions.append(day)
            # After every round: the whole file is sound, and every reported save is there exactly once.
            check = subprocess.run(_cli(data, "check", "--full"), capture_output=True, text=True, timeout=120)
            assert check.returncode == 0, check.stdout + check.stderr
            for cid, day in window_saves + command_saves:
                assert _visit_rows(db, cid, day) == 1, f"a reported save of {cid} on {day} is not there once"
            for day in decisions:
                assert _decision_rows(db, day) == 1
            # ... and the window itself sees them (it was not left writing into a deleted file).
            for cid in CASES:
                seen = {v.date for v in controller.store.get_case(f"{cid}-case").visits}
                assert {d for c, d in window_saves + command_saves if c == cid} <= seen
    finally:
        controller.shutdown()
    assert window_saves and command_saves, (window_saves, command_saves, not_saved)
    assert all("busy" in text.lower() or "locked" in text.lower() for text in not_saved), not_saved
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        total = conn.execute("SELECT count(*) FROM visits WHERE is_baseline = 0").fetchone()[0]
    finally:
        conn.close()
    assert total == len(window_saves) + len(command_saves)  # nothing unreported was written twice or lost
    record("window_and_commands", rounds=ROUNDS,
           writes_attempted=len(window_saves) + len(not_saved) + command_writes,
           writes_reported=len(window_saves) + len(command_saves) + len(decisions),
           writes_found=total + len(decisions), commands_run=commands_run, check_full_ok=ROUNDS)


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # the refused view audit is logged (kind only)
def test_the_window_stops_writing_when_the_database_was_replaced_behind_it(window, qtbot, context, tmp_path):
    """A tool that ignores the app's lock copies a backup over the database while the window is open."""
    import os

    from radiculopathy_desktop.storage import backup as bk

    data = tmp_path / "data"
    db = data / "radiculopathy.sqlite3"
    copy = bk.backup_database(data).path
    other = data / "copied-in.sqlite3"
    other.write_bytes(copy.read_bytes())
    os.replace(other, db)
    case = context.store.get_case("P-DUE-case")
    day = max(v.date for v in case.visits) + dt.timedelta(days=3)
    outcome = _save_visit_in_window(qtbot, window, "P-DUE", day, leg=2)
    assert outcome == "The database was replaced while open"  # said, not "saved"
    assert _visit_rows(db, "P-DUE", day) == 0


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux)")
def test_the_windows_quick_check_and_backups_never_open_the_database_outside_sqlite(qtbot, tmp_path, monkeypatch):
    """The root cause of the lost saves, checked on the running window: while its store is
    open, its start-up quick check, its daily backup (forced) and the damaged-copy step of
    recovery read the database only through SQLite or a descriptor kept open."""
    from plain_open_guard import PlainOpenGuard

    from radiculopathy_desktop.storage import backup as bk

    data = tmp_path / "data"
    with CaseStore.open(data) as s:
        s.import_cases([parse_case(case_dict("P-G", "Gus Guard", 30))], user="test")
    guard = PlainOpenGuard(monkeypatch, data / "radiculopathy.sqlite3")
    controller = app_module.AppController(QApplication.instance(), data, exec_dialog=lambda d: d.exec())
    try:
        assert controller.start() is None
        guard.armed = True  # the window's store is open from here on
        qtbot.waitUntil(lambda: controller._painted, timeout=20000)
        qtbot.waitUntil(lambda: controller.check_worker is None, timeout=20000)  # the start-up quick check
        assert guard.violations == [] and controller.scheduler is not None
        qtbot.waitUntil(lambda: not controller.scheduler.busy, timeout=20000)
        made = []
        controller.scheduler.made.connect(made.append)
        controller.scheduler.max_age = dt.timedelta(0)
        assert controller.scheduler.run_now()
        qtbot.waitUntil(lambda: bool(made), timeout=20000)
        assert controller.start_quick_check()
        qtbot.waitUntil(lambda: controller.check_worker is None, timeout=20000)
        kept = bk.keep_damaged_copy(controller.store.path)
        assert kept.is_file()
        controller.store.record_audit("dr.g", "case_viewed", "P-G-case")
        guard.armed = False
    finally:
        guard.armed = False
        controller.shutdown()
    assert guard.violations == []
    assert len(bk.list_backups(data / "backups")) >= 1
