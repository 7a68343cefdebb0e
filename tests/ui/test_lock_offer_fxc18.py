"""Lock settings opened by Ctrl+L with no passphrase (gp18 F10, fxc18): after the lock is turned
on from it, the dialog no longer says "No passphrase is set" above "The lock is on."."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from radiculopathy_desktop.ui.lock import LockSettingsDialog

from .test_lock import PASS, _press


def _alt_o(qtbot, dialog) -> None:
    """Alt+O ("Turn lock &on") as the clinician types it, the dialog being the active window."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    qtbot.keyClick(dialog.again, "o", Qt.AltModifier)


def _shown_texts(dialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel) if label.isVisible() and label.text()]


def test_turning_the_lock_on_from_the_ctrl_l_offer_says_only_that_it_is_on(window, qtbot):
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    [dialog] = [d for d in window.findChildren(LockSettingsDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    assert any("No passphrase is set" in t for t in _shown_texts(dialog))
    qtbot.keyClicks(dialog.new, PASS)
    qtbot.keyClick(dialog.new, Qt.Key_Tab)
    qtbot.keyClicks(dialog.again, PASS)
    _alt_o(qtbot, dialog)
    texts = _shown_texts(dialog)
    assert not any("No passphrase is set" in t for t in texts), texts
    assert dialog.state.text().startswith("<b>The lock is on.</b>")
    assert any("Ctrl+L locks the window now" in t for t in texts)
    dialog.close()


def test_a_wrong_second_passphrase_keeps_the_offer(window, qtbot):
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    [dialog] = [d for d in window.findChildren(LockSettingsDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.new, PASS)
    qtbot.keyClick(dialog.new, Qt.Key_Tab)
    qtbot.keyClicks(dialog.again, PASS + "x")
    _alt_o(qtbot, dialog)
    texts = _shown_texts(dialog)
    assert any("No passphrase is set" in t for t in texts) and "different" in dialog.error.text()
    dialog.close()
