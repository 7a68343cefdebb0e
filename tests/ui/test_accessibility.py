"""Every input has an accessible name; views build at large scaling; dark palette works."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox,
                               QLineEdit, QPlainTextEdit, QTextEdit, QWidget)

from radiculopathy_desktop.ui.main_window import NAV

INPUTS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractItemView)


def _unnamed(root: QWidget) -> list[str]:
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INPUTS):
            continue
        if isinstance(w.parent(), (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView)):
            continue  # parts of a named control (spin box editor, clear button, table header)
        if type(w.parent()).__name__ == "QComboBoxPrivateContainer" or type(w.parent()).__name__ == "QFrame" \
                and isinstance(w, QAbstractItemView) and isinstance(w.parent().parent(), QComboBox):
            continue  # a combo box's popup list
        if w.objectName().startswith("qt_"):
            continue  # Qt's own internals (scroll-area viewports, calendar popups...)
        text = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not text.strip():
            out.append(f"{type(w).__name__} in {type(w.parent()).__name__}")
    return out


def test_every_input_has_an_accessible_name(window, qtbot):
    for key, _label in NAV:
        window.show_view(key)
    window.open_case("P-DUE-case")
    dialog = window.patient_view.add_visit()
    decision = window.patient_view.record_decision()
    missing = _unnamed(window) + _unnamed(dialog) + _unnamed(decision)
    dialog.close()
    decision.close()
    assert missing == [], sorted(set(missing))


def test_views_build_at_200_percent_font_and_dark_palette(window, qtbot):
    app = QApplication.instance()
    old_font, old_palette = app.font(), app.palette()
    try:
        font = QFont(old_font)
        font.setPointSizeF(old_font.pointSizeF() * 2)
        app.setFont(font)
        dark = QPalette()
        dark.setColor(QPalette.Window, QColor("#202124"))
        dark.setColor(QPalette.WindowText, QColor("#e8eaed"))
        dark.setColor(QPalette.Base, QColor("#121212"))
        dark.setColor(QPalette.Text, QColor("#e8eaed"))
        app.setPalette(dark)
        from radiculopathy_desktop.ui import style
        assert style.is_dark()
        bg, fg = style.status_colours("immediate")
        assert bg.lightness() < fg.lightness()  # light text on a dark badge
        for key, _label in NAV:
            window.show_view(key).grab()
        window.open_case("P-RED-case")
        window.patient_view.grab()
    finally:
        app.setFont(old_font)
        app.setPalette(old_palette)


def test_leg_diagram_click_and_keyboard(qtbot):
    from PySide6.QtCore import QPoint, Qt
    from radiculopathy_desktop.ui.leg_diagram import LegDiagram
    d = LegDiagram()
    qtbot.addWidget(d)
    d.resize(400, 440)
    d.show()
    centre = d.polygon("great_toe").boundingRect().center().toPoint()
    qtbot.mouseClick(d, Qt.LeftButton, pos=centre)
    assert d.selected == {"great_toe"}
    qtbot.mouseClick(d, Qt.LeftButton, pos=centre)
    assert d.selected == set()
    d.setFocus()
    qtbot.keyClick(d, Qt.Key_Space)
    assert "marked" in d.accessibleDescription()
