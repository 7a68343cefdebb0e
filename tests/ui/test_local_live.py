"""The window on a local data folder when another program writes to it (red-team rt8 F2):
a command, a script or an import on the same file. The window notices the other
connection's commit (SQLite's data_version, storage/elsewhere.py) and refreshes the
worklist, its status counts and an open patient through the operation runner's one path;
its own saves refresh once; an open visit dialog keeps what was typed. The counts always
agree with the list, whatever reloaded it. Waits are qtbot.waitUntil with a generous
bound: no timing is asserted."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.followup import WORKLIST_STATUSES
from radiculopathy_desktop.domain.intake import FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.storage.store import CaseStore

from .conftest import TODAY, case_dict

WAIT_MS = 30000  # an upper bound for a loaded machine, never a figure that is checked
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
IMMEDIATE = ReviewStatus.IMMEDIATE.label


def _other(context):
    """Another program's connection to the same file."""
    return CaseStore.open(context.data_dir)


def _shown_status(view, case_id):
    """The status the worklist shows now (no reload)."""
    model = view.model
    for r in range(model.rowCount()):
        if model.rows[r].case_id == case_id:
            return model.data(model.index(r, 0))
    return None


def _button_counts(view) -> dict[str, int]:
    counts = {}
    for code, button in view.filter_buttons.items():
        found = re.search(r"\((\d+)\)$", button.text())
        counts[code] = int(found.group(1)) if found else None
    return counts


def _agree(view) -> bool:
    """The buttons' counts are those of the list shown (the "Needs attention" filter, no
    search, every row loaded) and of the store now."""
    model = view.model
    if model.canFetchMore() or model.search or set(model.statuses) != {s.value for s in WORKLIST_STATUSES}:
        return False
    buttons = _button_counts(view)
    listed = {s.value: sum(1 for r in model.rows if r.status.value == s.value) for s in WORKLIST_STATUSES}
    stored = {str(getattr(k, "value", k)): n for k, n in view.context.store.status_counts(model.as_of).items()}
    return (all(buttons[code] == n == stored.get(code, 0) for code, n in listed.items())
            and buttons["worklist"] == model.rowCount())


def _ready(qtbot, window):
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None and window._local_timer.isActive(), timeout=WAIT_MS)
    return view


def test_a_red_flag_visit_saved_by_another_program_shows_in_the_row_and_the_counts(window, qtbot, context):
    view = _ready(qtbot, window)
    assert _shown_status(view, "P-DUE-case") == ReviewStatus.DUE.label
    assert _button_counts(view)["immediate"] == 1 and _agree(view)
    with _other(context) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
    qtbot.waitUntil(lambda: _shown_status(view, "P-DUE-case") == IMMEDIATE, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _button_counts(view)["immediate"] == 2, timeout=WAIT_MS)
    assert _button_counts(view)["due"] == 0
    assert _agree(view)
    # the highlighted row's Why names the emergency, not a dose
    row = next(r for r in range(view.model.rowCount()) if view.model.case_id(r) == "P-DUE-case")
    assert "cauda equina" in view.model.text(view.model.rows[row], "reason").lower()


def test_the_command_line_visit_of_the_report_reaches_the_window(window, qtbot, context):
    """The red-team's steps: `visit … --red-flag saddle_anaesthesia=yes urinary_retention_or_incontinence=yes`
    run as a separate process while the window is open on the folder."""
    view = _ready(qtbot, window)
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(context.data_dir.parent / "cli-logs"))
    done = subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(context.data_dir),
                           "visit", "P-DUE-case", "--date", TODAY.isoformat(), "--leg-nrs", "7", "--red-flag",
                           "saddle_anaesthesia=yes", "urinary_retention_or_incontinence=yes"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    qtbot.waitUntil(lambda: _shown_status(view, "P-DUE-case") == IMMEDIATE
                    and _button_counts(view)["immediate"] == 2, timeout=WAIT_MS)
    assert _agree(view)


def test_an_open_patient_follows_another_programs_visit_and_an_open_dialog_keeps_its_text(window, qtbot, context):
    view = _ready(qtbot, window)
    window.open_case("P-DUE-case")
    patient = window.patient_view
    visits_before = len(patient.case.visits)
    dialog = patient.add_visit()
    qtbot.waitExposed(dialog)
    leg_before = dialog.leg.value()
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "4")
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, "typed while another program saved")
    with _other(context) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
    qtbot.waitUntil(lambda: patient.case is not None and len(patient.case.visits) == visits_before + 1,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _shown_status(view, "P-DUE-case") == IMMEDIATE, timeout=WAIT_MS)
    # the view behind refreshed; the dialog is still open with what was typed, and the focus
    assert dialog.isVisible()
    assert dialog.leg.value() == 4 and dialog.leg.lineEdit().text() == "4"
    assert dialog.notes.toPlainText() == "typed while another program saved"
    assert dialog.notes.hasFocus()
    dialog.notes.clear()  # as it was opened, so closing it asks nothing
    dialog.leg.setValue(leg_before)
    dialog.reject()


def test_the_windows_own_save_refreshes_once_not_again_when_another_program_writes(
        window, qtbot, context, monkeypatch):
    """The runner announces the window's own save; the next change by another program is
    announced alone (the window's own audit entry is told apart, not guessed by time)."""
    _ready(qtbot, window)
    window.open_case("P-NFU-case")
    patient = window.patient_view
    announced = []
    context.hub.changed.connect(lambda changes, _initiator=None: announced.append(changes.case_ids))
    loads = []
    real_load = patient.load
    monkeypatch.setattr(patient, "load", lambda case_id: loads.append(case_id) or real_load(case_id))
    dialog = patient.add_visit()
    qtbot.waitExposed(dialog)
    dialog.date.set_day(TODAY - dt.timedelta(days=1))
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "2")
    announced.clear()
    loads.clear()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()
    # at once, before the window's next look: the other program's write and the window's own are both new
    with _other(context) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=2, back_nrs=1), user="Dr Cli")
    qtbot.waitUntil(lambda: ("P-DUE-case",) in announced, timeout=WAIT_MS)
    assert [ids for ids in announced if "P-NFU-case" in ids] == [("P-NFU-case",)]
    assert loads == ["P-NFU-case"]  # the open patient: reloaded once
    # another program's save of the open case still refreshes it
    with _other(context) as other:
        other.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=1, back_nrs=1), user="Dr Cli")
    qtbot.waitUntil(lambda: loads == ["P-NFU-case", "P-NFU-case"], timeout=WAIT_MS)


def test_one_refresh_for_several_writes_and_none_for_a_view_or_nothing(window, qtbot, context, monkeypatch):
    view = _ready(qtbot, window)
    refreshes = []
    real = view.model.reload
    monkeypatch.setattr(view.model, "reload", lambda *a, **k: refreshes.append(1) or real(*a, **k))
    window._local_timer.stop()  # the looks are made by hand here, so the writes land between two of them
    assert window.check_local_changes() is False  # nothing written: nothing announced
    with _other(context) as other:
        other.record_audit("Dr Cli", "case_viewed", "P-DUE-case")  # a view changes nothing shown
    assert window.check_local_changes() is False and refreshes == []
    with _other(context) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
        other.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=3, back_nrs=2), user="Dr Cli")
    assert window.check_local_changes() is True
    assert refreshes == [1]
    assert window.check_local_changes() is False
    qtbot.waitUntil(lambda: _agree(view) and _button_counts(view)["immediate"] == 2, timeout=WAIT_MS)


def test_an_import_by_another_program_reloads_once_and_settings_reach_the_settings_view(window, qtbot, context):
    from radiculopathy_desktop.ui import main_window
    view = _ready(qtbot, window)
    window.open_case("P-DUE-case")
    patient = window.patient_view
    seen = []
    context.hub.case_changed.connect(seen.append)
    many = main_window.MANY_CASES + 5
    cases = [parse_case(case_dict(f"P-IMP{n:03d}", "Ivy Import", 50)) for n in range(many)]
    with _other(context) as other:
        other.import_cases(cases, user="Dr Cli")
    window.show_view("worklist")
    qtbot.waitUntil(lambda: sum(view.model.rows[r].case_id.startswith("P-IMP")
                                for r in range(view.model.rowCount())) == many, timeout=WAIT_MS)
    assert set(seen) <= {"P-DUE-case"}  # no signal per imported case
    qtbot.waitUntil(lambda: _agree(view), timeout=WAIT_MS)
    settings_view = window.show_view("settings")
    window.show_view("worklist")
    with _other(context) as other:
        other.set_clinic_settings(other.clinic_settings().replace(name="Clinic Renamed Elsewhere"),
                                  user="IT")
    qtbot.waitUntil(lambda: "Clinic Renamed Elsewhere" in _texts(settings_view), timeout=WAIT_MS)
    assert patient.case_id == "P-DUE-case"


def _texts(widget) -> str:
    from PySide6.QtWidgets import QLineEdit
    return " ".join(e.text() for e in widget.findChildren(QLineEdit))


# --------------------------------------------------------------------------- counts follow the list
def test_every_reload_of_the_list_leaves_the_counts_equal_to_it(window, qtbot, context):
    """A filter, a search and a refresh each reload the list; the buttons follow, even for a
    change no announcement has brought yet (the report: the row updated on a filter click,
    the buttons stayed at Immediate (0))."""
    view = _ready(qtbot, window)
    window._local_timer.stop()  # no look: only the list's own reloads bring the change
    with _other(context) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
    qtbot.mouseClick(view.filter_buttons["immediate"], Qt.LeftButton)
    qtbot.waitUntil(lambda: _button_counts(view)["immediate"] == 2, timeout=WAIT_MS)
    assert {r.case_id for r in view.model.rows} == {"P-DUE-case", "P-RED-case"}
    qtbot.mouseClick(view.all_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: _agree(view), timeout=WAIT_MS)
    # a search, then clearing it
    with _other(context) as other:
        other.add_visit("P-OVR-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "Olga")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: _button_counts(view)["immediate"] == 3, timeout=WAIT_MS)
    assert [_shown_status(view, "P-OVR-case")] == [IMMEDIATE]
    view.search_box.clear()
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: _agree(view), timeout=WAIT_MS)
    # the window's own save (announced): list and counts together
    window._local_timer.start()
    with _other(context) as other:
        other.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
    qtbot.waitUntil(lambda: _button_counts(view)["immediate"] == 4 and _agree(view), timeout=WAIT_MS)


def test_a_filter_click_with_nothing_changed_does_not_count_again(window, qtbot, context, monkeypatch):
    view = _ready(qtbot, window)
    counted = []
    real = context.store.status_counts
    monkeypatch.setattr(context.store, "status_counts", lambda *a, **k: counted.append(1) or real(*a, **k))
    qtbot.mouseClick(view.filter_buttons["due"], Qt.LeftButton)
    qtbot.mouseClick(view.all_button, Qt.LeftButton)
    qtbot.wait(50)  # the counts follow on a zero-length timer; nothing is expected to run
    assert counted == []
    assert _agree(view)


@pytest.mark.parametrize("how", ["announced", "restored"])
def test_the_watch_follows_a_replaced_store(window, qtbot, context, how):
    """After a restore the window reads a new store (a new connection): its changes by other
    programs are still seen."""
    view = _ready(qtbot, window)
    old = context.store
    if how == "restored":
        context.store = CaseStore.open(context.data_dir)
        context.hub.store_replaced.emit()
    try:
        with _other(context) as other:
            other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
        qtbot.waitUntil(lambda: _shown_status(view, "P-DUE-case") == IMMEDIATE and _agree(view), timeout=WAIT_MS)
    finally:
        window.stop_local_watch()
        if context.store is not old:
            context.store.close()
            context.store = old


def test_a_commit_no_audit_entry_names_reloads_the_list_and_the_open_patient(window, qtbot, context, monkeypatch):
    """A write that names nothing (a derived-data refresh by another program): any case may
    have changed, so the list and the open case are read again."""
    import sqlite3
    view = _ready(qtbot, window)
    window.open_case("P-DUE-case")
    patient = window.patient_view
    window._local_timer.stop()
    loads, reloads = [], []
    real_load, real_reload = patient.load, view.model.reload
    monkeypatch.setattr(patient, "load", lambda case_id: loads.append(case_id) or real_load(case_id))
    monkeypatch.setattr(view.model, "reload", lambda *a, **k: reloads.append(1) or real_reload(*a, **k))
    raw = sqlite3.connect(context.store.path, timeout=10)
    try:
        with raw:
            raw.execute("UPDATE cases SET case_id = case_id WHERE case_id = 'P-NEW-case'")
    finally:
        raw.close()
    assert window.check_local_changes() is True
    assert loads == ["P-DUE-case"] and reloads == [1]


def test_a_look_that_fails_is_said_once_and_the_next_one_catches_up(window, qtbot, context, monkeypatch, caplog):
    import logging
    import sqlite3
    view = _ready(qtbot, window)
    window._local_timer.stop()
    mark = window._local_mark
    real_poll = mark.poll
    failing = [True]

    def poll():
        if failing[0]:
            raise sqlite3.OperationalError("database is locked")
        return real_poll()

    monkeypatch.setattr(mark, "poll", poll)
    with _other(context) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")
    with caplog.at_level(logging.INFO, logger="radiculopathy_desktop.ui"):
        assert window.check_local_changes() is False
        assert window.check_local_changes() is False
        failing[0] = False
        assert window.check_local_changes() is True
    said = [r.getMessage() for r in caplog.records if "could not look" in r.getMessage()]
    assert said == ["the watch of other programs' writes could not look: OperationalError"]
    qtbot.waitUntil(lambda: _shown_status(view, "P-DUE-case") == IMMEDIATE and _agree(view), timeout=WAIT_MS)
