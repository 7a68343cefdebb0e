"""window31 (GP tryout): typing a search and reaching the list by keyboard faster than the
search's 250 ms timer (type, Tab, Tab, Enter) opened the patient highlighted BEFORE the search.
Opening acts on the list for the typed text, whatever the timing. The timer is set long here so
the keys always beat it, as a fast typist's do on any machine."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _worklist(window, qtbot):
    view = window.show_view("worklist")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    view._search_timer.setInterval(600_000)  # the keys always come before the search has run
    return view


def _tab_to(widget, target, qtbot, most=6):
    for _ in range(most):
        if target.hasFocus():
            return
        qtbot.keyClick(widget.focusWidget() or widget, Qt.Key_Tab)
    assert target.hasFocus(), "the list is not reached by Tab from the search"


def test_typed_search_tab_tab_enter_opens_the_searched_patient_not_the_old_highlight(window, qtbot):
    view = _worklist(window, qtbot)
    old = [view.model.case_id(r) for r in range(view.model.rowCount())]
    assert "P-NEW-case" not in old  # Nell New is "Not due": not on the worklist before the search
    view.table.setCurrentIndex(view.model.index(1, 0))  # someone else highlighted
    highlighted_before = view.model.case_id(1)
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "nell")
    assert view._search_timer.isActive()  # the search has not run yet
    _tab_to(window, view.table, qtbot)
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert window.patient_view.case_id == "P-NEW-case" != highlighted_before
    assert window.stack.currentWidget() is window.patient_view
    # the list shows the search's result as well
    assert [view.model.case_id(r) for r in range(view.model.rowCount())] == ["P-NEW-case"]


def test_a_search_matching_nobody_opens_nobody(window, qtbot):
    view = _worklist(window, qtbot)
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "zzz-nobody")
    _tab_to(window, view.table, qtbot)
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert window.stack.currentWidget() is not window.patient_view
    assert view.model.rowCount() == 0


def test_while_a_write_holds_the_search_back_enter_opens_nothing(window, qtbot, monkeypatch):
    view = _worklist(window, qtbot)
    ops = view.context.ops
    monkeypatch.setattr(ops, "_writing", True)  # a worker write is running: reads are held back
    view.table.setCurrentIndex(view.model.index(0, 0))
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "nell")
    _tab_to(window, view.table, qtbot)
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert window.stack.currentWidget() is not window.patient_view  # never the old list's row
    monkeypatch.setattr(ops, "_writing", False)
    ops._run_deferred()  # the write has committed: the held-back search runs
    assert [view.model.case_id(r) for r in range(view.model.rowCount())] == ["P-NEW-case"]
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert window.patient_view.case_id == "P-NEW-case"


def test_patients_find_typed_tab_enter_opens_the_found_patient(window, qtbot):
    patients = window.show_view("patients")
    patients._timer.setInterval(600_000)
    patients.search_box.setFocus()
    qtbot.keyClicks(patients.search_box, "P-")
    qtbot.keyClick(patients.search_box, Qt.Key_Return)  # the results for "P-", first one opened
    window.show_view("patients")
    patients.search_box.setFocus()
    patients.table.selectRow(1)
    old = patients.table.item(1, 4).text()
    patients.search_box.selectAll()
    qtbot.keyClicks(patients.search_box, "olga")
    assert patients._timer.isActive()
    _tab_to(window, patients.table, qtbot)
    qtbot.keyClick(patients.table, Qt.Key_Return)
    assert window.patient_view.case_id == "P-OVR-case" != old
