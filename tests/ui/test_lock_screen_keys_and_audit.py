"""The start-up lock screen's keys when its window is not the active one, and what a failed
unlock writes to the audit (gp17 F9).

Under X11 without a window manager the window was never made active: keys went to the field
under the pointer, but Qt's mnemonics (&Who, &Passphrase, &Unlock) fire only in the active
window, so Alt+P arrived in the name field as a "p" and the passphrase typed after it stayed
there in clear; the failed unlock then wrote that text to the audit as the user. These tests
send the keys to a window that is shown but not active (another window of the app has the
activation), as X11 delivered them.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from radiculopathy_desktop.storage import access
UNKNOWN_USER = "unknown user"  # what the audit shows for a name the record does not know

PASS = "correct horse battery"


def _lock(window, qtbot, context) -> None:
    access.set_passphrase(context.store, PASS, PASS, user="GP")
    window.lock.reload()
    assert window.lock.lock("manual")
    qtbot.waitUntil(window.lock.screen.isVisible)


@pytest.fixture
def other_window_active(qtbot, window):
    """Another window has the activation: the locked window gets keys but no shortcuts."""
    other = QWidget()
    other.setWindowTitle("another window")
    qtbot.addWidget(other)
    other.show()
    qtbot.waitExposed(other)
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other, timeout=10000)
    return other


def _focused(window):
    """The field the window's keys go to (hasFocus() needs the active window)."""
    return window.focusWidget()


def test_alt_p_and_alt_w_move_between_fields_when_the_window_is_not_active(window, qtbot, context,
                                                                          other_window_active):
    _lock(window, qtbot, context)
    screen = window.lock.screen
    assert QApplication.activeWindow() is not window
    assert _focused(window) is screen.user_edit
    qtbot.keyClicks(screen.user_edit, "GP")
    qtbot.keyClick(screen.user_edit, Qt.Key_P, Qt.AltModifier)
    assert screen.user_edit.text() == "GP", "Alt+P typed a letter into the name"
    assert _focused(window) is screen.pass_edit
    qtbot.keyClicks(screen.pass_edit, "not it")
    qtbot.keyClick(screen.pass_edit, Qt.Key_W, Qt.AltModifier)
    assert screen.pass_edit.text() == "not it"
    assert _focused(window) is screen.user_edit
    qtbot.keyClick(screen.user_edit, Qt.Key_X, Qt.AltModifier)  # not one of the screen's keys: typed nowhere
    assert screen.user_edit.text() == "GP"
    qtbot.keyClick(screen.user_edit, Qt.Key_Left, Qt.AltModifier)  # Alt+arrow is not swallowed as a letter
    qtbot.keyClick(screen.user_edit, Qt.Key_P, Qt.AltModifier)
    qtbot.keyClick(screen.pass_edit, Qt.Key_U, Qt.AltModifier)  # Unlock: refused, the name kept as typed
    qtbot.waitUntil(lambda: "not right" in screen.error.text())
    assert window.lock.locked and screen.user_edit.text() == "GP"


def test_alt_keys_on_the_buttons_of_a_window_not_active(window, qtbot, context, other_window_active):
    _lock(window, qtbot, context)
    screen = window.lock.screen
    qtbot.keyClick(screen.unlock_button, Qt.Key_P, Qt.AltModifier)
    assert _focused(window) is screen.pass_edit
    qtbot.keyClick(screen.pass_edit, Qt.Key_W, Qt.AltModifier)
    qtbot.keyClicks(screen.user_edit, "AB")
    qtbot.keyClick(screen.user_edit, Qt.Key_P, Qt.AltModifier)
    qtbot.keyClicks(screen.pass_edit, PASS)
    qtbot.keyClick(screen.pass_edit, Qt.Key_U, Qt.AltModifier)
    qtbot.waitUntil(lambda: not window.lock.locked)
    assert context.user == "AB"


def test_a_failed_unlock_never_records_free_text_as_the_user(window, qtbot, context):
    """gp17 F9: two unlock_failed rows had the user "GPpcorrect horse battery". A name the
    record does not know is audited as "unknown user"; the attempt number is kept."""
    _lock(window, qtbot, context)
    screen = window.lock.screen
    qtbot.keyClicks(screen.user_edit, "GPp" + "correct horse")
    qtbot.keyClick(screen.user_edit, Qt.Key_Tab)
    qtbot.keyClicks(screen.pass_edit, "wrong guess")
    qtbot.keyClick(screen.pass_edit, Qt.Key_Return)
    failed = [e for e in context.store.audit() if e.action == "unlock_failed"]
    assert [(e.user, e.detail) for e in failed] == [(UNKNOWN_USER, {"attempt": 1})]
    assert screen.user_edit.text() == "GPpcorrect horse"  # kept as typed on the screen, for a correction


def test_a_failed_unlock_by_a_known_user_names_them_in_the_records_spelling(window, qtbot, context):
    _lock(window, qtbot, context)  # "GP" set the lock: the record knows GP
    screen = window.lock.screen
    qtbot.keyClicks(screen.user_edit, "gp")
    qtbot.keyClick(screen.user_edit, Qt.Key_Tab)
    qtbot.keyClicks(screen.pass_edit, "wrong guess")
    qtbot.keyClick(screen.pass_edit, Qt.Key_Return)
    failed = [e.user for e in context.store.audit() if e.action == "unlock_failed"]
    assert failed == ["GP"]


def test_the_passphrase_typed_as_the_name_is_cleared_and_never_recorded(window, qtbot, context):
    """Even with the right passphrase in its own field, a name that is the passphrase is not
    taken as the user (it would be shown as "User: ..." and written on every row after)."""
    _lock(window, qtbot, context)
    screen = window.lock.screen
    for passphrase in ("wrong guess", PASS):
        qtbot.keyClicks(screen.user_edit, PASS)
        qtbot.keyClick(screen.user_edit, Qt.Key_Tab)
        qtbot.keyClicks(screen.pass_edit, passphrase)
        qtbot.keyClick(screen.pass_edit, Qt.Key_Return)
        assert window.lock.locked
        assert screen.user_edit.text() == "" and screen.pass_edit.text() == ""
        assert "held the passphrase" in screen.error.text()
        assert window.focusWidget() is screen.user_edit
    rows = context.store.audit()
    assert all(PASS not in (e.user or "") and PASS not in json.dumps(e.detail) for e in rows)
    assert [e.user for e in rows if e.action == "unlock_failed"] == [UNKNOWN_USER, UNKNOWN_USER]
    assert not [e for e in rows if e.action == "unlocked"]
    qtbot.keyClicks(screen.user_edit, "GP")
    qtbot.keyClick(screen.user_edit, Qt.Key_Tab)
    qtbot.keyClicks(screen.pass_edit, PASS)
    qtbot.keyClick(screen.pass_edit, Qt.Key_Return)
    assert not window.lock.locked and context.user == "GP"
