"""Steps many window tests take the same way: read a case's worklist status, open the
visit or decision dialog of a case and wait until it is the active window (keys reach
only the active window, and activation comes late on a loaded machine)."""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QApplication


def worklist_status(window, case_id: str) -> str | None:
    """The status the worklist shows for ``case_id`` (None when it is not listed)."""
    view = window.views["worklist"]
    view.set_status_filter("worklist")
    for r in range(view.model.rowCount()):
        if view.model.rows[r].case_id == case_id:
            return view.model.data(view.model.index(r, 0))
    return None


def active_dialog(qtbot, dialog):
    """``dialog`` once shown and active."""
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def open_visit_dialog(window, qtbot, case_id: str):
    """Open the case and its Add visit dialog, ready for keys."""
    window.open_case(case_id)
    return active_dialog(qtbot, window.patient_view.add_visit())


def open_decision_dialog(window, qtbot, case_id: str):
    """Open the case and its Record decision dialog, ready for keys."""
    window.open_case(case_id)
    return active_dialog(qtbot, window.patient_view.record_decision())


def back_to_window(qtbot, dialog, window):
    """After ``dialog`` was told to close: once it is hidden (or deleted, WA_DeleteOnClose),
    ``window`` active again (:func:`window_active`), ready for the next key."""
    from shiboken6 import isValid
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())
    return window_active(qtbot, window)


def record_referral_by_keys(window, qtbot, case_id: str, by: str = "Dr A Patel, GP"):
    """Record a referral for a surgical opinion for ``case_id`` as a user does: its Record decision dialog,
    Space on the referral choice, Alt+B and ``by``, Ctrl+Return; the window active again afterwards."""
    from PySide6.QtCore import Qt

    from .keyboard import focus
    dialog = open_decision_dialog(window, qtbot, case_id)
    dialog.kind.buttons["referred_for_surgical_opinion"].setFocus()
    qtbot.keyClick(focus(), Qt.Key_Space)
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)
    qtbot.keyClicks(dialog.by, by)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    return back_to_window(qtbot, dialog, window)


def window_active(qtbot, window):
    """``window`` active again after a dialog over it closed. On a desktop the window manager
    gives the activation back to the window under the dialog; the offscreen test platform has
    none, and a dialog's own activation still queued when it closed leaves no window active
    (ui13: the Alt+A flake after the visit dialog). Keys reach only the active window, so the
    test activates it, as the window manager would, and waits for that event (never a sleep)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def enter_text(qtbot, text: str, paste: bool = False) -> None:
    """Into the focused field: ``text`` typed, or pasted with Ctrl+V (``paste``)."""
    from PySide6.QtCore import Qt

    from .keyboard import focus, type_here
    if not paste:
        type_here(qtbot, text)
        return
    widget = focus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key_V, Qt.ControlModifier)


def intake_first_step(window, qtbot, pid: str, name: str, paste=()):
    """A new intake's first step filled as a user does, then Ctrl+Return: Ctrl+N, the patient ID
    and the name (each typed, or pasted when "pid"/"name" is in ``paste``), Tab, the birth date
    1970-05-06, Alt+T and the onset 2026-02-01. Returns the wizard and its first page (the tests
    of hidden characters, look-alikes and marks in identifiers and names start this way)."""
    from PySide6.QtCore import Qt

    from .keyboard import focus, tab, type_here
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    wiz = window.views["intake"]
    page = wiz.pages[0]
    assert focus() is page.pid
    enter_text(qtbot, pid, "pid" in paste)
    tab(qtbot)
    assert focus() is page.name
    enter_text(qtbot, name, "name" in paste)
    tab(qtbot)
    type_here(qtbot, "1970-05-06")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)
    type_here(qtbot, "2026-02-01")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    return wiz, page


def retype(qtbot, field, text: str, paste: bool = False) -> None:
    """Back to ``field`` to fix it: everything in it replaced by ``text`` (typed, or pasted)."""
    field.setFocus()
    field.selectAll()
    enter_text(qtbot, text, paste)


def why_cells(view) -> dict[str, str]:
    """Each listed case's Why cell in the worklist ``view``, by case id (the column found by its title)."""
    from PySide6.QtCore import Qt

    column = next(i for i in range(view.model.columnCount()) if view.model.headerData(i, Qt.Horizontal) == "Why")
    return {view.model.rows[r].case_id: view.model.data(view.model.index(r, column))
            for r in range(view.model.rowCount())}


@contextlib.contextmanager
def demo_store(folder, cases: int, as_of):
    """A store in ``folder`` holding the demo cohort (``cases`` cases, seed 1) dated to
    ``as_of``, closed when the ``with`` block ends."""
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.app import populate_demo

    s = CaseStore.open(folder)
    try:
        populate_demo(s, cases, seed=1, as_of=as_of)
        yield s
    finally:
        s.close()
