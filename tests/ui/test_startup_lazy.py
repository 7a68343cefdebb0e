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


def test_a_worklist_with_cases_is_built_without_the_getting_started_panel(window, qtbot):
    """A worklist with cases paints without building the first-run panel (its texts, buttons and
    country drop-down): it is for a database with no case at all."""
    worklist = window.views["worklist"]
    assert worklist.model.rowCount() == 4
    assert worklist._first_run is None and worklist.body.count() == 1
    assert worklist.body.currentWidget() is worklist.table and worklist.table.isVisible()
    # a search that finds nobody says so in words: the panel is for a database without cases
    worklist.search_box.setFocus()
    qtbot.waitUntil(worklist.search_box.hasFocus)
    qtbot.keyClicks(worklist.search_box, "nobody-by-this-name")
    qtbot.waitUntil(lambda: worklist.model.search == "nobody-by-this-name" and worklist.model.rowCount() == 0)
    assert worklist.empty_label.isVisible() and "No case matches this search" in worklist.empty_label.text()
    assert worklist._first_run is None and worklist.body.currentWidget() is worklist.table


def test_a_database_without_cases_shows_the_getting_started_panel_complete_at_once(empty_window, qtbot):
    """Built on first use, the panel is still there from the first paint, complete, and once."""
    empty = empty_window.views["worklist"]
    assert empty._first_run is not None and empty.body.currentWidget() is empty.first_run
    assert empty.first_run.isVisible() and not empty.table.isVisible()
    assert empty.first_run.intake_button.isVisible() and empty.first_run.country.count() > 1
    assert empty.body.count() == 2 and empty.first_run is empty._first_run  # built once


NOT_BEFORE_THE_FIRST_PAINT = (
    "PySide6.QtNetwork",  # the single-instance hand-over starts once the window has painted
    "radiculopathy_desktop.ui.patients", "radiculopathy_desktop.ui.wizard",
    "radiculopathy_desktop.ui.guideline_view", "radiculopathy_desktop.ui.settings_view",
    "radiculopathy_desktop.ui.outcomes_view", "radiculopathy_desktop.ui.patient_view",
    "radiculopathy_desktop.domain.medications", "radiculopathy_desktop.domain.guideline",
    "radiculopathy_desktop.reports",
    # the forms and the keyboard rules' module (installed after the paint); the first-run panel's
    # drop-down (ui/choice.py): the panel is built only for a database without cases; the demo
    # generator (only its ID prefix is read, when counting)
    "radiculopathy_desktop.ui.forms", "radiculopathy_desktop.ui.keyboard", "radiculopathy_desktop.demo",
    "radiculopathy_desktop.ui.choice",
    # backups, restores and their settings: opening sweeps leftovers through storage/leftovers.py
    "radiculopathy_desktop.storage.backup",
    # clinic-server only: the kept-writes bar, its drafts, the Settings > Data server box, the watch
    "radiculopathy_desktop.ui.offline_replay", "radiculopathy_desktop.ui.offline_drafts",
    "radiculopathy_desktop.ui.server_view", "radiculopathy_desktop.ui.server_watch",
    # the worker the Medicine alerts count runs in (st20): started once the counts follow the paint
    "radiculopathy_desktop.ui.workers",
    # OpenSSL (hashlib's SHA-256 and scrypt): the start-up's digests use CPython's built-in SHA-256
    # (radiculopathy_desktop/digests.py, st22); scrypt is imported when a passphrase is checked
    "hashlib", "_hashlib",
)


_PAINT_REPORT = r'''
import gc, json, os, sys
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
                              "first_run_built": view._first_run is not None,
                              "modules": sorted(sys.modules),
                              "keyboard_rules": bool(getattr(sys.modules.get("radiculopathy_desktop.ui.keyboard"),
                                                             "_BEHAVIOUR", None)),
                              "collecting": gc.isenabled()}), flush=True)
    def on_screen():
        print(json.dumps({"collecting_after": gc.isenabled()}), flush=True)
        os._exit(0)
    window.worklist_painted.connect(painted)
    from PySide6.QtCore import QTimer
    window.first_painted.connect(lambda: QTimer.singleShot(0, on_screen))  # after the start-up's own slots
    return window
app_module.create_window = create_window
sys.exit(app_module.run_app(Path(sys.argv[1])))
'''


def _real_start_up(data_dir) -> tuple[dict, dict]:
    """The real start-up path (run_app) in its own process: what it held at the worklist's first
    paint, and just after the window was on screen."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _PAINT_REPORT, str(data_dir)], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr[-3000:]
    shown, after = (json.loads(line) for line in out.stdout.strip().splitlines()[-2:])
    return shown, after


def test_the_real_start_up_paints_the_whole_first_page_before_loading_what_it_does_not_show(store, tmp_path):
    """The real start-up path (run_app) in its own process: at the worklist's first paint the
    table holds the store's first page for today, in the store's order, nothing the first
    screen does not show has been loaded, and the keyboard rules' filter is not installed yet."""
    import datetime as dt

    from radiculopathy_desktop.domain.followup import WORKLIST_STATUSES
    shown, after = _real_start_up(store.data_dir)
    as_of = dt.date.fromisoformat(shown["as_of"])
    expected = [r.case_id for r in store.worklist(as_of, statuses=[s.value for s in WORKLIST_STATUSES], limit=200)]
    assert expected and shown["rows"] == expected  # complete and in the store's order when painted
    assert shown["views"] == ["worklist"]
    assert shown["first_run_built"] is False  # the getting-started panel is for a database without cases
    assert "radiculopathy_desktop.ui.worklist" in shown["modules"]
    loaded = [m for m in shown["modules"] if m.startswith(NOT_BEFORE_THE_FIRST_PAINT)]
    assert loaded == []
    assert not shown["keyboard_rules"]  # installed just after the paint
    # the cyclic garbage collector is paused while the window loads and is built, and back on
    # as soon as the window is on screen (first_painted)
    assert shown["collecting"] is False and after == {"collecting_after": True}


def test_a_pregnancy_differing_off_the_first_page_loads_no_case_or_medicine_rules_before_the_paint(store):
    """st20: a patient whose two cases disagree on her pregnancy made every start check her (her
    cases read and parsed, the medicine engine and its data loaded: 0.7 s at 10,000 demo cases)
    before the first paint, though neither case is on the first page (both Not due). The first page
    checks its own patients only: the same rows are painted, without those rules; her cases still
    carry the check when shown (tests/storage/test_pregnancy_differs_worklist.py)."""
    import datetime as dt

    from radiculopathy_desktop.domain.followup import WORKLIST_STATUSES
    from radiculopathy_desktop.domain.intake import parse_case

    from .conftest import TODAY, case_dict
    ago = lambda days: days - (dt.date.today() - TODAY).days  # noqa: E731 - the child starts on the real today
    pregnant = case_dict("P-PREG", "Pia Pregnant", ago(10))  # intake 10 days ago: Not due, not on the first page
    pregnant["patient"]["pregnancy_weeks"] = 31
    pregnant["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    other = case_dict("P-PREG", "Pia Pregnant", ago(5))
    other["case_id"], other["patient"]["pregnant"] = "P-PREG-other", False
    other["onset_date"] = (dt.date.fromisoformat(other["visit_date"]) - dt.timedelta(days=2)).isoformat()
    other["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    store.import_cases([parse_case(pregnant), parse_case(other)], user="test")
    shown, _after = _real_start_up(store.data_dir)
    as_of = dt.date.fromisoformat(shown["as_of"])
    everyone = store.worklist(as_of, statuses=list(WORKLIST_STATUSES) + ["not_due"])
    assert {r.case_id for r in everyone if r.pregnancy_differs is not None} == {"P-PREG-case", "P-PREG-other"}
    expected = [r.case_id for r in store.worklist(as_of, statuses=[s.value for s in WORKLIST_STATUSES], limit=200)]
    assert shown["rows"] == expected and not {"P-PREG-case", "P-PREG-other"} & set(expected)
    loaded = [m for m in shown["modules"] if m.startswith(NOT_BEFORE_THE_FIRST_PAINT + (
        "radiculopathy_desktop.domain.episodes", "radiculopathy_desktop.domain.identity",
        "radiculopathy_desktop.domain.medicine_alerts"))]
    assert loaded == []


#: The dataclass still made before the first paint (each costs ~4 M instructions at every
#: start, issue 17). The others on the start-up path are written out by hand (domain/frozen.py;
#: ReviewSettings, SurgicalReview and StandingRedFlags since perfstart36); this one is left: the
#: worklist reads ReviewFacts' dataclass fields for its direct constructor, and it has fast_init's
#: generated constructor, which the assessment's records are checked against.
DATACLASSES_BEFORE_THE_FIRST_PAINT = {"radiculopathy_desktop.domain.followup.ReviewFacts"}


def test_the_real_start_up_makes_no_other_dataclass_before_its_first_paint(store):
    """In a fresh process on the real start-up path: at the worklist's first paint, the app's
    classes made by @dataclass (their methods generated and compiled at every start) are only
    the one listed above; Changes, the store's records, the lock's configuration, the clinic's
    settings, the countries, AppContext and the rest are hand-written records."""
    import json
    import subprocess
    import sys

    script = r'''
import dataclasses, json, os, sys
from pathlib import Path
import radiculopathy_desktop.ui.app as app_module
real = app_module.create_window
def made():
    found = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("radiculopathy_desktop"):
            continue
        for value in list(vars(module).values()):
            for cls in (value, *(v for v in vars(value).values() if isinstance(v, type))) if isinstance(value, type) else ():
                if dataclasses.is_dataclass(cls) and cls.__module__ == name and "__dataclass_fields__" in vars(cls):
                    found.add(f"{cls.__module__}.{cls.__qualname__}")
    return sorted(found)
def create_window(context):
    window = real(context)
    view = window.views["worklist"]
    def painted():
        if view.model.rowCount():
            print(json.dumps(made()), flush=True)
            os._exit(0)
    window.worklist_painted.connect(painted)
    return window
app_module.create_window = create_window
sys.exit(app_module.run_app(Path(sys.argv[1])))
'''
    out = subprocess.run([sys.executable, "-c", script, str(store.data_dir)], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr[-3000:]
    made = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert made == DATACLASSES_BEFORE_THE_FIRST_PAINT


def test_a_start_up_that_stops_at_an_error_dialog_collects_again_before_the_dialog_and_after(
        qapp, tmp_path, monkeypatch):
    """run_app pauses the garbage collector only for the start-up: a database that cannot be
    opened shows its error dialog with the collector on again, and the run ends with it on."""
    import gc

    from radiculopathy_desktop.storage.errors import StorageError
    from radiculopathy_desktop.ui import app as app_module
    from radiculopathy_desktop.ui import errors

    seen = {}

    def open_store(data_dir):
        seen["opening"] = gc.isenabled()
        raise StorageError("newer_schema", "This database was written by a newer version of the app.")

    def shown(dialog):
        seen["dialog"] = (gc.isenabled(), dialog.windowTitle())
        return 0

    monkeypatch.setattr(app_module, "open_store", open_store)
    monkeypatch.setattr(errors.ErrorDialog, "exec", shown)
    assert gc.isenabled()
    assert app_module.run_app(tmp_path / "data") == 3
    assert seen["opening"] is False  # paused while starting
    assert seen["dialog"] == (True, "The database is from a newer version")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(qapp, tmp_path, monkeypatch):
    """The pause never turns on a collector someone else turned off."""
    import gc

    from radiculopathy_desktop.ui import app as app_module

    gc.disable()
    try:
        app_module.pause_collection()
        app_module.resume_collection()
        assert not gc.isenabled()
    finally:
        gc.enable()
