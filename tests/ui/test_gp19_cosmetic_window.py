"""gp19 F13's window items (fxk20), driven as a GP would.

- The worklist's "Weeks" column read "0 wk" on a row whose Why said "PREGNANT 31 WK": it counted
  weeks of conservative care, and said so nowhere. It is now "In care", and its header's and each
  cell's tooltip and screen-reader text say "... weeks of conservative care (started D), not weeks
  of pregnancy".
- The main window opened at 1200x706 on a 1366x768 screen (95% and 92% of it). It now takes the
  screen's available area (up to 1600x1000); a remembered size and place is kept when it fits.
- The draft kept after a carried visit said "(the pregnancy answer (pregnant, 32 weeks; see
  above))", with nothing above it in the banner: it now names the case and the day.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QScreen

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .keyboard import focus, type_here
from .test_intake_pregnancy_carried import _visit_dialog
from .test_open_case_same_day_visit import CASE, _same_day, _seed, _to_open_case

IN_CARE = "In care"


def _column(model, label):
    return next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Horizontal) == label)


def test_the_in_care_column_says_it_counts_weeks_of_care_not_of_pregnancy(context, request, qtbot):
    d = case_dict("P-NEW31", "Zara Zeroweek", 0)  # intake today: week 0 of care
    d["patient"]["pregnancy_weeks"] = 31
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(d)], user="test")
    window = request.getfixturevalue("window")
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=5000)
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "zara")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.rows[0].case_id == "P-NEW31-case")
    model = view.model
    assert "Weeks" not in [model.headerData(i, Qt.Horizontal) for i in range(model.columnCount())]
    column = _column(model, IN_CARE)
    assert "not weeks of pregnancy" in model.headerData(column, Qt.Horizontal, Qt.ToolTipRole)
    cell = model.index(0, column)
    assert model.data(cell) == "0 wk"
    said = f"0 weeks of conservative care (started {TODAY.isoformat()}), not weeks of pregnancy"
    assert model.data(cell, Qt.ToolTipRole) == said
    assert model.data(cell, Qt.AccessibleTextRole) == said
    assert "PREGNANT 31 WK" in model.data(model.index(0, _column(model, "Why")))
    # the header fits its words (the narrow fixed column is sized from them)
    fm = view.table.fontMetrics()
    assert view.table.columnWidth(column) >= fm.horizontalAdvance(IN_CARE)


def test_one_week_is_said_in_the_singular(context, request, qtbot):
    context.store.import_cases([parse_case(case_dict("P-ONE", "Olly One", 8))], user="test")
    window = request.getfixturevalue("window")
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=5000)
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "olly")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    model = view.model
    qtbot.waitUntil(lambda: [r.case_id for r in model.rows] == ["P-ONE-case"])
    cell = model.index(0, _column(model, IN_CARE))
    assert model.data(cell) == "1 wk"
    assert model.data(cell, Qt.ToolTipRole).startswith("1 week of conservative care (started ")


@pytest.fixture
def laptop(monkeypatch):
    """A 1366x768 screen with nothing taken from it (gp19 ran under Xvfb with no window manager)."""
    room = QRect(0, 0, 1366, 768)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    return room


def _main_window(qtbot, context):
    from radiculopathy_desktop.ui.main_window import MainWindow
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_the_window_opens_on_the_whole_available_area_of_a_1366x768_screen(qtbot, context, laptop):
    w = _main_window(qtbot, context)
    assert laptop.contains(w.frameGeometry())
    assert w.frameGeometry().size() == laptop.size(), w.frameGeometry()  # not 1200x706
    w.close()


def test_a_wide_screen_leaves_room_and_centres_it(qtbot, context, monkeypatch):
    room = QRect(0, 0, 2560, 1400)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    w = _main_window(qtbot, context)
    frame = w.frameGeometry()
    assert frame.size() == QSize(1600, 1000) and room.contains(frame)
    assert abs(frame.center().x() - room.center().x()) <= 1 and abs(frame.center().y() - room.center().y()) <= 1
    w.close()


def test_a_remembered_size_is_kept_when_it_fits_and_refitted_when_it_does_not(qtbot, context, laptop):
    first = _main_window(qtbot, context)
    first.resize(QSize(700, 520))
    first.move(QPoint(30, 20))
    first.close()  # remembered
    second = _main_window(qtbot, context)
    assert second.size() == QSize(700, 520)
    assert abs(second.x() - 30) <= 4 and abs(second.y() - 20) <= 4  # its place (the frame's margin aside)
    second.resize(QSize(1366, 768))
    second.move(QPoint(400, 300))  # partly off the screen when remembered
    second.close()
    third = _main_window(qtbot, context)
    assert laptop.contains(third.frameGeometry()) and third.frameGeometry().size() == laptop.size()
    third.close()


def test_the_kept_draft_banner_names_where_the_other_answer_is(window, qtbot, context):
    _seed(context, TODAY)
    wiz = _to_open_case(window, qtbot, context, "31")
    box = _same_day(qtbot, window)
    qtbot.keyClick(box, Qt.Key_S, Qt.AltModifier)  # Add a &second visit that day
    dialog = _visit_dialog(qtbot)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)
    type_here(qtbot, "6")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.waitUntil(lambda: not dialog.isVisible())
    banner = wiz.draft_status.text()
    assert banner.startswith("Visit saved. This intake is kept as a draft")
    assert "see above" not in banner
    assert (f"the pregnancy answer (pregnant, 31 weeks: case {CASE} records another answer for {TODAY.isoformat()}; "
            "ask her, and record the right one on the case)") in banner


def test_a_size_set_before_showing_is_left_alone(qtbot, context, laptop):
    from radiculopathy_desktop.ui.main_window import MainWindow
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.resize(QSize(900, 600))  # e.g. a caller sizing it for a screenshot
    w.show()
    qtbot.waitExposed(w)
    assert w.size() == QSize(900, 600)
    w.close()
