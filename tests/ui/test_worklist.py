"""The worklist as a clinician uses it: counts, filter, search, open with Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.followup import ReviewStatus


def _statuses(view):
    return {view.model.rows[r].case_id: view.model.data(view.model.index(r, 0)) for r in range(view.model.rowCount())}


def test_worklist_shows_status_in_words_most_urgent_first(window):
    view = window.views["worklist"]
    rows = _statuses(view)
    assert rows == {"P-RED-case": "Immediate", "P-OVR-case": "Overdue", "P-DUE-case": "Due",
                    "P-NFU-case": "Needs follow-up"}
    assert list(rows)[0] == "P-RED-case"
    assert view.filter_buttons["due"].text() == "Due (1)"
    assert view.all_button.text() == "Needs attention (4)"
    # colour reinforces the words, never replaces them
    assert view.model.data(view.model.index(0, 0), Qt.BackgroundRole) is not None


def test_filter_by_status_and_search(window, qtbot):
    view = window.views["worklist"]
    qtbot.mouseClick(view.filter_buttons["not_due"], Qt.LeftButton)
    assert list(_statuses(view)) == ["P-NEW-case"]
    qtbot.mouseClick(view.all_button, Qt.LeftButton)
    assert len(_statuses(view)) == 4
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "olga")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    assert list(_statuses(view)) == ["P-OVR-case"]
    view.search_box.clear()
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    assert len(_statuses(view)) == 4


def test_enter_opens_patient(window, qtbot):
    view = window.views["worklist"]
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(2, 0))
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert window.stack.currentWidget() is window.patient_view
    assert window.patient_view.case_id == "P-DUE-case"
    assert "Due" in window.patient_view.status.text()
    qtbot.keyClick(window.patient_view, Qt.Key_Escape)
    assert window.stack.currentWidget() is view


def test_lazy_loading_fetches_pages(context, qtbot, monkeypatch):
    from radiculopathy_desktop.ui import worklist
    monkeypatch.setattr(worklist, "PAGE", 2)
    model = worklist.WorklistModel(context.store, context.today())
    model.reload()
    assert model.rowCount() == 2 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 4
    model.fetchMore()  # a full page may have more behind it: one more (empty) page ends the list
    assert model.rowCount() == 4
    assert not model.canFetchMore()


def test_sort_by_patient_name(window, qtbot):
    view = window.views["worklist"]
    view._sort_by(1)
    names = [view.model.data(view.model.index(r, 1)) for r in range(view.model.rowCount())]
    assert names == sorted(names, key=str.lower)


def test_status_counts_match_store(window, context):
    view = window.views["worklist"]
    counts = context.store.status_counts(context.today())
    for status in ReviewStatus:
        assert view.filter_buttons[status.value].text() == f"{status.label} ({counts[status]})"
