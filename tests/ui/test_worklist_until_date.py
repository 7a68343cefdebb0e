"""The worklist's Why cell of a snoozed case shows the whole "until" date (rt12 F11: the column cut
"continue conservative care until 2027-0..."). The date comes first; the tooltip and the screen
reader keep the engine's whole sentence. Checked as the table draws the cell: its text elided to
the cell's text rectangle at the window's default size."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QDialogButtonBox, QStyle, QStyleOptionViewItem

from radiculopathy_desktop.ui.worklist import COLUMNS, why_shown

from .conftest import TODAY
from .keyboard import focus, type_here
from .window_steps import back_to_window, open_decision_dialog

CASE = "P-DUE-case"
WHY = [key for key, _title in COLUMNS].index("reason")


def _continue_until(window, qtbot, until: dt.date) -> None:
    """Record "continue conservative care until ``until``" in the decision dialog, by keys."""
    dialog = open_decision_dialog(window, qtbot, CASE)
    qtbot.mouseClick(dialog.kind.buttons["continue_conservative_care"], Qt.LeftButton)
    qtbot.keyClick(focus(), Qt.Key_U, Qt.AltModifier)
    assert focus() is dialog.until
    type_here(qtbot, until.isoformat())
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)
    type_here(qtbot, "Dr Avery")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    back_to_window(qtbot, dialog, window)


def _drawn_text(table, index) -> str:
    """The cell's text as the view paints it: the delegate's text, elided (the view's mode) to
    the width of the style's text rectangle less its margins, one line (no word wrap)."""
    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    option.rect = table.visualRect(index)
    option.font = table.font()
    option.fontMetrics = QFontMetrics(option.font)
    table.itemDelegateForIndex(index).initStyleOption(option, index)
    option.textElideMode = table.textElideMode()
    style = table.style()
    rect = style.subElementRect(QStyle.SE_ItemViewItemText, option, table)
    margin = style.pixelMetric(QStyle.PM_FocusFrameHMargin, None, table) + 1
    assert not table.wordWrap()
    return QFontMetrics(option.font).elidedText(option.text, option.textElideMode, rect.width() - 2 * margin)


def _snoozed_cell(window, qtbot):
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    view = window.views["worklist"]
    view.set_status_filter("snoozed")
    qtbot.waitUntil(lambda: any(r.case_id == CASE for r in view.model.rows))
    row = next(n for n, r in enumerate(view.model.rows) if r.case_id == CASE)
    return view, view.model.index(row, WHY)


#: The window's first size (MainWindow: 1200x780 where there is room, else 95% x 92% of the
#: screen) on a 1280x800 laptop screen, and a small 1024x600 one. The offscreen test screen is
#: 800x800, where the window opens narrower than on any clinic screen.
SIZES = {"default-on-1280x800": (min(1200, 1280 * 95 // 100), min(780, 800 * 92 // 100)), "1024x600": (1024, 600)}


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_snoozed_row_shows_its_whole_until_date(window, qtbot, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    until = TODAY + dt.timedelta(days=365)  # the furthest a decision may set: the longest wait
    _continue_until(window, qtbot, until)
    view, index = _snoozed_cell(window, qtbot)
    view.table.scrollTo(index)
    shown = _drawn_text(view.table, index)
    assert until.isoformat() in shown, shown
    assert shown.startswith(f"Until {until.isoformat()}")
    # the tooltip and the screen reader keep the engine's whole sentence, with the same date
    full = view.model.data(index, Qt.ToolTipRole)
    assert full == view.model.data(index, Qt.AccessibleTextRole)
    assert f"continue conservative care until {until.isoformat()} (decided {TODAY.isoformat()})" in full
    # the status column's tooltip is the same sentence
    assert view.model.data(view.model.index(index.row(), 0), Qt.ToolTipRole) == full


def test_the_engine_sentence_is_kept_for_every_other_status(window, qtbot):
    view = window.views["worklist"]
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    for row in view.model.rows:
        assert row.status.value != "snoozed"
        assert why_shown(row) == view.model.full_why(row) == view.model.text(row, "reason")
