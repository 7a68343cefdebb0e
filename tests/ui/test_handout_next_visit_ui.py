"""The handout dialog's next follow-up is not before the sheet's date (red-team rt10 F11,
the window's side): the sheet is dated today, so a next follow-up before today is refused
beside the field, typed text kept and nothing saved; today itself (the boundary) and a later
day go on to saving, as ``handout --next-visit`` does on the command line
(tests/cli/test_handout_next_visit_cli.py)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import TODAY
from .keyboard import type_here


def _active(qtbot, dialog):
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def test_the_next_follow_up_before_the_sheets_date_is_refused_and_the_day_itself_goes_on(window, qtbot,
                                                                                          monkeypatch):
    from radiculopathy_desktop.ui import exports
    window.open_case("P-DUE-case")
    dialog = window.print_handout()
    _active(qtbot, dialog)
    asked = []
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: asked.append(a) or None)
    for past in ("2026-01-01", (TODAY - dt.timedelta(days=1)).isoformat()):
        dialog.next_visit.setFocus()
        dialog.next_visit.selectAll()
        type_here(qtbot, past)
        qtbot.keyClick(dialog.pdf_button, Qt.Key_Space)
        assert asked == [], past
        assert f"{past} is before today" in dialog.next_visit.error_label.text()
        assert dialog.next_visit.text() == past  # kept as typed, never corrected
    dialog.next_visit.setFocus()
    dialog.next_visit.selectAll()
    type_here(qtbot, TODAY.isoformat())  # the sheet's own date: the boundary
    qtbot.keyClick(dialog.pdf_button, Qt.Key_Space)
    assert len(asked) == 1
    assert dialog.request().next_follow_up_date == TODAY
    dialog.close()
