"""Printing from the print preview with the keyboard only (walk-through ui11).

Ctrl+P opens the handout dialog, Alt+P its print preview; the preview's Print button sits on
a toolbar that takes no keyboard focus, so the last step needed the mouse. Ctrl+P in the
preview now presses it: the system print dialog opens (here answered with Enter, printing to
a PDF file), and the handout is printed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.reports import printing

from .test_exports import _handout_dialog


def test_ctrl_p_in_the_preview_prints_without_the_mouse(window, qtbot, monkeypatch, tmp_path):
    out = tmp_path / "printed.pdf"
    seen = {}

    def answer_print_dialog():
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintDialog) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, answer_print_dialog)
            return
        seen["print_dialog"] = True
        box.accept()  # Enter on the system print dialog's default button (Print)

    def preview_by_keys(preview: QPrintPreviewDialog) -> int:
        printer = preview.printer()
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(out))
        preview.show()
        qtbot.waitExposed(preview)
        preview.activateWindow()
        qtbot.waitUntil(preview.isActiveWindow)
        QTimer.singleShot(0, answer_print_dialog)
        qtbot.keyClick(QApplication.focusWidget() or preview, Qt.Key_P, Qt.ControlModifier)
        qtbot.waitUntil(lambda: not preview.isVisible())
        return preview.result()

    monkeypatch.setattr(printing, "open_dialog", preview_by_keys)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_P, Qt.AltModifier)  # &Print…
    qtbot.waitUntil(out.exists)
    assert seen.get("print_dialog") is True
    assert out.stat().st_size > 1000
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
