"""The handout dialog's keys (gp20 F13, "Tab order in the handout dialog").

gp20: "after closing the print preview, focus lands on the Large print checkbox, so Tab, Space
ticks Large print and Self-care rather than reaching Save as PDF. The Alt+P mnemonic opens Print
preview. There is no mnemonic for Save as PDF, so reaching it takes 6 Tabs past the sheet list."
Now the focus returns to the button that opened the preview (or the save), and every mnemonic in
the dialog is a different letter, Save as PDF's among them, each pressing what it names.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from radiculopathy_desktop.reports import printing
from radiculopathy_desktop.ui import exports

from .test_exports import _handout_dialog


def _open(window, qtbot):
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _a_preview_closed_with_esc(qtbot, seen):
    """The preview as the user meets it: a window of its own, active, its toolbar taking the
    keys; Esc closes it (nothing printed). Its focus was inside it, not in the handout dialog."""
    def fake_open(preview):
        preview.show()
        preview.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
        seen.append(preview.windowTitle())
        qtbot.keyClick(QApplication.focusWidget() or preview, Qt.Key_Escape)
        qtbot.waitUntil(lambda: not preview.isVisible())
        return 0
    return fake_open


def test_after_the_print_preview_the_focus_is_back_on_print(window, qtbot, monkeypatch):
    seen = []
    monkeypatch.setattr(printing, "open_dialog", _a_preview_closed_with_esc(qtbot, seen))
    dialog = _open(window, qtbot)
    dialog.lang.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_P, Qt.AltModifier)  # &Print…
    qtbot.waitUntil(lambda: bool(seen))
    dialog.activateWindow()  # the window manager's part: the dialog is active again
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.wait(20)  # the closed preview deleted meanwhile
    assert QApplication.focusWidget() is dialog.print_button, QApplication.focusWidget()
    assert not dialog.large_print.isChecked() and not dialog.self_care.isChecked()
    qtbot.keyClick(dialog.print_button, Qt.Key_Tab)  # the next button, not the checkboxes
    assert QApplication.focusWidget() is dialog.pdf_button
    dialog.close()


def test_after_save_as_pdf_is_cancelled_the_focus_is_back_on_it(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: asked.append(a[1]) or None)  # Cancel
    dialog = _open(window, qtbot)
    dialog.sheets.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_D, Qt.AltModifier)  # Save as P&DF…
    assert asked == ["Save handout as PDF"]
    assert QApplication.focusWidget() is dialog.pdf_button
    dialog.close()


def _mnemonic(text: str) -> str | None:
    i = text.replace("&&", "").find("&")
    return text.replace("&&", "")[i + 1].lower() if 0 <= i < len(text.replace("&&", "")) - 1 else None


def test_every_mnemonic_in_the_dialog_is_a_different_letter_and_save_as_pdf_has_one(window, qtbot):
    dialog = _open(window, qtbot)
    letters = {}
    for widget in dialog.findChildren(QAbstractButton) + [w for w in dialog.findChildren(QLabel) if w.buddy()]:
        if not widget.isVisibleTo(dialog):
            continue
        letter = _mnemonic(widget.text())
        if letter:
            assert letter not in letters, (widget.text(), letters[letter])
            letters[letter] = widget.text()
    assert _mnemonic(dialog.pdf_button.text()) in letters
    assert _mnemonic(dialog.print_button.text()) in letters
    # the window's own keys do not take them while the dialog is open: Alt+D presses Save as PDF
    pressed = []
    dialog.pdf_button.clicked.disconnect()
    dialog.pdf_button.clicked.connect(lambda: pressed.append("pdf"))
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_D, Qt.AltModifier)
    assert pressed == ["pdf"]
    dialog.close()
