"""From the worklist search to the patient with the keyboard only (walk-through ui11).

A GP typing a name into Search (Alt+S) and pressing Enter or Down stayed where they were: the
results were two Tabs away, past "Export CSV". Now the search works as Patients' Find box:
Enter searches at once (the first match highlighted), Enter again opens the highlighted
patient; Up and Down move the highlight while the typing stays in the box. With nothing
found, Enter opens nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .keyboard import focus


def _search(window, qtbot, text):
    view = window.views["worklist"]
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)  # the worklist
    qtbot.keyClick(focus() or window, Qt.Key_S, Qt.AltModifier)  # &Search
    assert focus() is view.search_box
    qtbot.keyClicks(view.search_box, text)
    return view


def _highlighted(view) -> str | None:
    index = view.table.currentIndex()
    return view.model.case_id(index.row()) if index.isValid() else None


def test_enter_searches_then_enter_again_opens_the_highlighted_match(window, qtbot):
    view = _search(window, qtbot, "dana")
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert view.model.rowCount() == 1 and _highlighted(view) == "P-DUE-case"
    assert window.stack.currentWidget() is not window.patient_view  # the first Enter searched only
    assert focus() is view.search_box
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert window.stack.currentWidget() is window.patient_view
    assert window.patient_view.case_id == "P-DUE-case"


def test_down_and_up_move_the_highlight_and_the_typing_stays_in_the_search(window, qtbot):
    view = _search(window, qtbot, "P-")  # every seeded id: several matches
    qtbot.keyClick(focus(), Qt.Key_Down)  # searches now if the pause has not passed yet
    assert view.model.rowCount() > 2
    first = _highlighted(view)
    assert first == view.model.case_id(0)
    qtbot.keyClick(focus(), Qt.Key_Down)
    assert _highlighted(view) == view.model.case_id(1)
    qtbot.keyClick(focus(), Qt.Key_Up)
    qtbot.keyClick(focus(), Qt.Key_Up)  # never above the first
    assert _highlighted(view) == first
    qtbot.keyClick(focus(), Qt.Key_Down)
    assert focus() is view.search_box and view.search_box.text() == "P-"
    second = _highlighted(view)
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert window.patient_view.case_id == second


def test_nothing_found_opens_nothing(window, qtbot):
    view = _search(window, qtbot, "nobody-by-this-name")
    qtbot.keyClick(focus(), Qt.Key_Return)
    qtbot.keyClick(focus(), Qt.Key_Down)
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert view.model.rowCount() == 0
    assert focus() is view.search_box
    assert window.stack.currentWidget() is not window.patient_view
