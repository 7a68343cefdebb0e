"""Closing the window while a visit or decision dialog holds typed values asks first (gp14 G9).

G9 (lost typed data): closing the main window (its close button, Quit, or the lock screen's
Quit) while the follow-up visit dialog (or the decision dialog) held typed values destroyed
the dialog with everything in it, without a word. Now the close asks Save / Discard / Cancel
(Cancel the default, Esc too), naming the patient and the case; Save that does not go
through keeps the window and the dialog open; while locked (nobody identified to ask, nothing
of the patient shown) the window stays open and the lock screen says why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import pytest

from radiculopathy_desktop.ui import dialogs

from .keyboard import focus, type_here
from .window_steps import open_decision_dialog, open_visit_dialog

CASE = "P-NFU-case"  # Nico Nofollow
ASK = dialogs.ask_unsaved_record  # the real question (the suite's conftest answers "discard" elsewhere)


@pytest.fixture(autouse=True)
def real_question(no_modal_questions, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_unsaved_record", ASK)


def _answer(qtbot, key, modifiers=Qt.NoModifier) -> dict:
    """When the close question is on screen, press ``key`` in it (as the clinician would);
    what it said is returned (filled in once it was asked). A question never seen active in
    10 s is closed as cancelled, so a test fails on its assertions instead of hanging."""
    said: dict = {}
    tries = [0]

    def look():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            if QApplication.activeWindow() is box:
                said["text"] = box.text() + " " + box.informativeText()
                said["default"] = box.defaultButton().text()
                qtbot.keyClick(box, key, modifiers)
                return
            box.activateWindow()  # keys reach the active window only (no window manager offscreen)
        tries[0] += 1
        if tries[0] < 1000:
            QTimer.singleShot(10, look)
        elif isinstance(box, QMessageBox):
            box.reject()
    QTimer.singleShot(0, look)
    return said


def _typed_visit(window, qtbot, leg="3"):
    dialog = open_visit_dialog(window, qtbot, CASE)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now
    type_here(qtbot, leg)
    assert dialog.has_input()
    return dialog


def _visits(context):
    return [v.leg_nrs for v in context.store.get_case(CASE).visits]


def test_cancel_is_the_default_and_keeps_the_window_and_what_was_typed(window, qtbot, context):
    dialog = _typed_visit(window, qtbot)
    said = _answer(qtbot, Qt.Key_Return)  # Enter: the default
    window.close()
    assert said["default"] == "&Cancel"
    assert "The visit typed for Nico Nofollow (case P-NFU-case) is not saved" in said["text"]
    assert window.isVisible() and dialog.isVisible()
    assert dialog.leg.text() == "3" and _visits(context) == []
    said = _answer(qtbot, Qt.Key_Escape)  # Esc cancels too
    window.close()
    assert said and window.isVisible() and dialog.isVisible()
    dialog.discard()  # the test's end closes the window


def test_save_saves_the_visit_then_closes(window, qtbot, context):
    _typed_visit(window, qtbot, "3")
    said = _answer(qtbot, Qt.Key_S, Qt.AltModifier)  # &Save the visit
    window.close()
    assert said
    assert not window.isVisible()
    assert _visits(context) == [3]


def test_discard_closes_without_saving(window, qtbot, context):
    _typed_visit(window, qtbot)
    said = _answer(qtbot, Qt.Key_D, Qt.AltModifier)  # &Discard the visit
    window.close()
    assert said and not window.isVisible()
    assert _visits(context) == []


def test_an_untouched_dialog_does_not_ask(window, qtbot, context):
    open_visit_dialog(window, qtbot, CASE)
    window.close()  # a question here would wait forever: no answer is scheduled
    assert not window.isVisible()


def test_a_decision_save_that_is_refused_keeps_everything_open(window, qtbot, context):
    """A note typed, no decision chosen: Save in the question is refused by the dialog's own
    check (it asks for a choice); the window does not close and the note is kept."""
    dialog = open_decision_dialog(window, qtbot, CASE)
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)  # &Note
    type_here(qtbot, "discussed options")
    said = _answer(qtbot, Qt.Key_S, Qt.AltModifier)  # &Save the decision
    window.close()
    assert "The decision typed for Nico Nofollow (case P-NFU-case)" in said["text"]
    assert window.isVisible() and dialog.isVisible()
    assert dialog.note.toPlainText() == "discussed options"
    assert context.store.get_case(CASE).decisions == ()
    dialog.discard()  # the test's end closes the window


def test_while_locked_the_window_stays_open_and_the_visit_comes_back(window, qtbot, context):
    from .test_lock import set_passphrase, unlock

    settings = set_passphrase(window, qtbot)
    settings.close()
    dialog = _typed_visit(window, qtbot, "4")
    qtbot.keyClick(focus(), Qt.Key_L, Qt.ControlModifier)  # Lock now (from the dialog too)
    qtbot.waitUntil(lambda: window.lock.locked)
    assert not dialog.isVisible()
    window.close()  # the lock screen's Quit does this; no question: nobody identified to ask
    assert window.isVisible()
    shown = window.lock.screen.error.text()
    assert "not saved" in shown and "Unlock to save or discard it" in shown
    assert "Nico" not in shown and CASE not in shown  # nothing of the patient on the lock screen
    unlock(window, qtbot)
    qtbot.waitUntil(lambda: dialog.isVisible())
    assert dialog.leg.text() == "4"
    said = _answer(qtbot, Qt.Key_S, Qt.AltModifier)
    window.close()
    assert said and not window.isVisible() and _visits(context) == [4]
