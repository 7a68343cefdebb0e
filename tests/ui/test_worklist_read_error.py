"""The window after a failed read (red-team rt7 R3): the worklist showed an empty list saying
"No cases need attention today" when the rows could not be read, and the error dialog could
end up behind the main window. Now the list area says the list could not be read and what
to do, with a Try again button; the dialog is raised over the window when the window is shown
after it; and stored settings that could not be used are said above the list."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from radiculopathy_desktop.storage import db as dbmod

NO_CASES = "No cases need attention today"


def _failing(store, monkeypatch, shown):
    from radiculopathy_desktop.ui import worklist as worklist_ui

    busy = dbmod.locked_error(store.path, 5000)

    def fail(*_a, **_k):
        raise busy

    monkeypatch.setattr(store, "worklist", fail)
    monkeypatch.setattr(store, "status_counts", fail)
    monkeypatch.setattr(worklist_ui, "show_error", lambda parent, exc, kept_input=False: shown.append(exc))
    return busy


def test_a_failed_read_shows_an_error_in_the_list_never_no_cases(qtbot, context, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")  # "counts could not be read" is expected
    from radiculopathy_desktop.ui.main_window import MainWindow

    shown: list = []
    busy = _failing(context.store, monkeypatch, shown)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.show_view("worklist")
    qtbot.waitUntil(lambda: view.counts_error is not None, timeout=10000)  # the counts follow the first paint
    assert shown and shown[0] is busy  # the dialog was asked for too
    assert view.read_error.isVisible() and view.retry_button.isVisible()
    text = view.read_error.text()
    assert text.startswith("The worklist could not be read, so the list below is not complete: it does not mean "
                           "that no case needs attention. The database is busy"), text
    assert "The number of cases with each status could not be read, so the buttons above show no numbers." in text
    assert text.endswith("What to do: press Try again. If it keeps failing, close and reopen Radiculopathy Desktop, "
                         "or ask IT to run `radiculopathy-desktop check`.")
    assert NO_CASES not in view.empty_label.text() or not view.empty_label.isVisible()
    assert view.model.rowCount() == 0
    # the database answers again: Try again reads it, the error goes, the rows and counts come
    monkeypatch.undo()
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")
    qtbot.mouseClick(view.retry_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.counts_error is None and view.counts_as_of is not None, timeout=10000)
    assert view.model.rowCount() > 0
    assert not view.read_error.isVisible() and not view.retry_button.isVisible()
    assert view.all_button.text().startswith("Surgical review (")


def test_the_error_dialog_is_raised_over_a_window_shown_after_it(qtbot):
    from radiculopathy_desktop.ui.errors import show_error

    window = QWidget()
    qtbot.addWidget(window)
    dialog = show_error(window, dbmod.locked_error(__import__("pathlib").Path("/x/radiculopathy.sqlite3"), 5000))
    try:
        window.show()  # the main window appears after the error met while it was being built
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
        assert dialog.isVisible()
    finally:
        dialog.close()


def test_stored_settings_that_cannot_be_read_are_said_above_the_list_and_a_save_repairs_them(
        qtbot, context, caplog):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    from radiculopathy_desktop.ui.main_window import MainWindow

    store = context.store
    with store._write():
        store._db.conn.execute("UPDATE settings SET value_json = ? WHERE key = 'review'", ('{"mcid_leg_nrs_points": 3',))
        store._db.conn.execute("INSERT OR IGNORE INTO settings (key, value_json, updated_at) "
                               "VALUES ('review', ?, 'x')", ('{"mcid_leg_nrs_points": 3',))
    store._settings_cache = None
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.show_view("worklist")
    assert view.model.rowCount() > 0 and not view.read_error.isVisible()  # the defaults: the list is read
    qtbot.waitUntil(view.settings_note.isVisible, timeout=10000)  # read just after the first paint
    assert view.settings_note.text() == (
        'The stored review settings (the settings row "review") could not be read: it is not valid JSON (damaged, '
        "for example by a hand edit); the default of every review setting is used until the settings are saved in "
        "Settings.")
    settings = window.show_view("settings")
    assert settings.stored_note.isVisible()
    assert settings.stored_note.text().endswith("until the settings are saved on this page.")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)  # nothing changed on the page: the row is replaced
    qtbot.waitUntil(lambda: settings.saved_label.text().startswith("Saved"), timeout=10000)
    assert not settings.stored_note.isVisible()
    assert store.setting("review") == {}
    view = window.show_view("worklist")
    qtbot.waitUntil(lambda: not view.settings_note.isVisible(), timeout=10000)
