"""The handout dialog's "Next follow-up" error is read whole at 1366x768 (tryout36 F14,
H-UI-557): "2026-02-30" gave an error cut off at "is not a real date:", the reason lost. The
error now has the row's width under the field and the height its wrapped text needs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .keyboard import tab, type_here


def _shown_whole(label) -> bool:
    """Every line of the wrapped text has room: the label is as tall as its text needs at its
    width, and its text is not wider than the label (nothing elided or clipped)."""
    needed = label.heightForWidth(label.width()) if label.hasHeightForWidth() else label.sizeHint().height()
    return label.isVisible() and label.height() >= needed and label.visibleRegion().boundingRect() == label.rect()


def test_the_next_follow_up_date_error_is_read_whole(window, qtbot):
    window.resize(1366, 768)
    window.open_case("P-DUE-case")
    dialog = window.print_handout()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.next_visit.setFocus()
    qtbot.keyClick(dialog.next_visit, Qt.Key_A, Qt.ControlModifier)
    type_here(qtbot, "2026-02-30")
    tab(qtbot)
    label = dialog.next_visit.error_label
    qtbot.waitUntil(lambda: label.isVisible())
    assert "is not a real date" in label.text() and "February 2026 has 28 days" in label.text()
    qtbot.waitUntil(lambda: _shown_whole(label))
    assert label.width() >= label.sizeHint().width() or label.wordWrap()
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().bottom() <= max(screen.bottom(), 767)
    dialog.close()
