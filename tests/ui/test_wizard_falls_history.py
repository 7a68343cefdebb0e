"""History of falls or fractures is recorded on the conditions page with its own Alt+Y
(issue 12 section 7: the AGS Beers 2023 falls criteria need it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui.wizard import ConditionsPage

from .test_wizard import open_wizard_loaded


def test_alt_y_reaches_the_falls_question_and_yes_is_recorded(window, qtbot):
    wiz = open_wizard_loaded(window, qtbot, "P-FALLS", 70)
    index = next(i for i, p in enumerate(wiz.pages) if isinstance(p, ConditionsPage))
    wiz._go(index)
    page = wiz.pages[index]
    box = page.flags["falls_history"]
    assert box.isVisible() and box.currentData() == ""  # not recorded until asked
    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key_Y, Qt.AltModifier)
    assert QApplication.focusWidget() is box
    for _ in range(box.count()):
        if box.currentData() == "yes":
            break
        qtbot.keyClick(box, Qt.Key_Down)
    assert page.data()["conditions"]["falls_history"] is True
    box.setCurrentIndex(box.findData("no"))
    assert page.data()["conditions"]["falls_history"] is False
    box.setCurrentIndex(box.findData(""))
    assert "falls_history" not in page.data()["conditions"] or page.data()["conditions"]["falls_history"] is None
