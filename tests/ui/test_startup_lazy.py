"""What the window builds or starts only after its first paint still works, and works from
the first key (issue 17: start-up to the painted worklist).

The keyboard rules (a mnemonic presses its button at once; Return presses a focused
button) are installed just after the window's first paint rather than while it is built.
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


@pytest.fixture
def no_keyboard_rules():
    """Start the test as a fresh process would: the keyboard rules not yet installed."""
    from radiculopathy_desktop.ui import keyboard as forms
    app = QApplication.instance()
    saved = list(forms._BEHAVIOUR)
    for behaviour in saved:
        app.removeEventFilter(behaviour)
    forms._BEHAVIOUR.clear()
    yield
    for behaviour in list(forms._BEHAVIOUR):
        app.removeEventFilter(behaviour)
        behaviour.deleteLater()
    forms._BEHAVIOUR[:] = saved
    for behaviour in saved:
        app.installEventFilter(behaviour)


def _installed() -> bool:
    from radiculopathy_desktop.ui import keyboard as forms
    return any(b.parent() is QApplication.instance() for b in forms._BEHAVIOUR)


def test_the_keyboard_rules_are_on_from_the_first_paint(qtbot, context, no_keyboard_rules):
    from radiculopathy_desktop.ui.main_window import MainWindow
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert not _installed()  # building the window does not pay for an application-wide filter
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(_installed)  # just after the first paint or activation: before anyone can type
    worklist = window.views["worklist"]
    button = worklist.filter_buttons["overdue"]
    assert not button.isChecked()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key_Return)  # Qt alone presses a button on Return only in a dialog
    assert button.isChecked() and worklist.model.statuses == ("overdue",)
    window.close()


def test_a_locked_window_gets_them_at_its_first_paint_too(qtbot, context, no_keyboard_rules):
    """The lock screen covers the whole window (the window itself paints nothing): its activation
    installs the rules, so the passphrase box and buttons follow them."""
    from radiculopathy_desktop.storage import access
    from radiculopathy_desktop.ui.main_window import MainWindow
    access.set_passphrase(context.store, "correct horse battery", "correct horse battery", user="test")
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert window.lock.locked and not _installed()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(_installed)
    window.close()


def test_only_the_worklist_is_built_at_start_and_each_view_opens_complete_by_its_shortcut(window, qtbot, context):
    """The other views are built the first time they are shown: each shows its content then."""
    assert set(window.views) == {"worklist"} and window.patient_view is None
    assert window.views["worklist"].model.rowCount() == 4  # every case due for attention, none missing
    window.activateWindow()

    def open_by_key(n: int, key: str):
        qtbot.keyClick(window, getattr(Qt, f"Key_{n}"), Qt.ControlModifier)
        view = window.views[key]
        assert window.stack.currentWidget() is view and view.isVisible()
        assert window.nav.currentRow() == n - 1
        return view

    patients = open_by_key(2, "patients")
    qtbot.waitUntil(patients.search_box.hasFocus)
    qtbot.keyClicks(patients.search_box, "Dana")
    qtbot.waitUntil(lambda: patients.table.rowCount() == 1)
    assert "Dana Due" in [patients.table.item(0, c).text() for c in range(patients.table.columnCount())
                          if patients.table.item(0, c) is not None]

    wizard = open_by_key(3, "intake")
    assert wizard.index == 0 and wizard.pages[0].isVisible()

    guideline = open_by_key(4, "guideline")
    assert "sciatica" in guideline.browser.toPlainText().lower()

    settings = open_by_key(5, "settings")
    assert settings.profile.currentData() == context.profile()

    outcomes = open_by_key(6, "outcomes")  # computed off the window's thread
    qtbot.waitUntil(lambda: outcomes.report is not None, timeout=20000)
    assert outcomes.table.rowCount() > 0

    worklist = open_by_key(1, "worklist")
    assert worklist.model.rowCount() == 4
    # Enter on a row opens the patient view the first time, with that patient
    worklist.table.setFocus()
    qtbot.keyClick(worklist.table, Qt.Key_Return)
    assert window.patient_view is not None and window.stack.currentWidget() is window.patient_view
    assert window.patient_view.case_id == worklist.model.case_id(0)


NOT_BEFORE_THE_FIRST_PAINT = (
    "PySide6.QtNetwork",  # the single-instance hand-over starts once the window has painted
    "radiculopathy_desktop.ui.patients", "radiculopathy_desktop.ui.wizard",
    "radiculopathy_desktop.ui.guideline_view", "radiculopathy_desktop.ui.settings_view",
    "radiculopathy_desktop.ui.outcomes_view", "radiculopathy_desktop.ui.patient_view",
    "radiculopathy_desktop.domain.medications", "radiculopathy_desktop.domain.guideline",
    "radiculopathy_desktop.reports",
    # clinic-server only: the kept-writes bar, its drafts, the Settings > Data server box, the watch
    "radiculopathy_desktop.ui.offline_replay", "radiculopathy_desktop.ui.offline_drafts",
    "radiculopathy_desktop.ui.server_view", "radiculopathy_desktop.ui.server_watch",
)


def test_the_real_start_up_paints_the_whole_first_page_before_loading_what_it_does_not_show(store, tmp_path):
    """The real start-up path (run_app) in its own process: at the worklist's first paint the
    table holds the store's first page for today, in the store's order, nothing the first
    screen does not show has been loaded, and the keyboard rules' filter is not installed yet."""
    import datetime as dt
    import json
    import subprocess
    import sys

    from radiculopathy_desktop.domain.followup import WORKLIST_STATUSES
    script = r'''
import json, os, sys
from pathlib import Path
import radiculopathy_desktop.ui.app as app_module
real = app_module.create_window
def create_window(context):
    window = real(context)
    view = window.views["worklist"]
    def painted():
        if view.model.rowCount():
            print(json.dumps({"rows": [view.model.case_id(r) for r in range(view.model.rowCount())],
                              "as_of": view.model.as_of.isoformat(), "views": sorted(window.views),
                              "modules": sorted(sys.modules),
                              "keyboard_rules": bool(getattr(sys.modules.get("radiculopathy_desktop.ui.keyboard"),
                                                             "_BEHAVIOUR", None))}), flush=True)
            os._exit(0)
    window.worklist_painted.connect(painted)
    return window
app_module.create_window = create_window
sys.exit(app_module.run_app(Path(sys.argv[1])))
'''
    out = subprocess.run([sys.executable, "-c", script, str(store.data_dir)], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr[-3000:]
    shown = json.loads(out.stdout.strip().splitlines()[-1])
    as_of = dt.date.fromisoformat(shown["as_of"])
    expected = [r.case_id for r in store.worklist(as_of, statuses=[s.value for s in WORKLIST_STATUSES], limit=200)]
    assert expected and shown["rows"] == expected  # complete and in the store's order when painted
    assert shown["views"] == ["worklist"]
    assert "radiculopathy_desktop.ui.worklist" in shown["modules"]
    loaded = [m for m in shown["modules"] if m.startswith(NOT_BEFORE_THE_FIRST_PAINT)]
    assert loaded == []
    assert not shown["keyboard_rules"]  # installed just after the paint
