"""Finding and seeing (issue 13): search finds a patient whatever filter is on, Enter in
Patients' Find box opens the highlighted patient, the window remembers its place per
screen, file dialogs start in the last folder used, the leg diagram says what each region
means, and the status counts do not change the window's width."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt


def _worklist(window, qtbot):
    view = window.show_view("worklist")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    return view


def test_search_finds_a_patient_outside_the_status_filter_and_says_so(window, qtbot):
    view = _worklist(window, qtbot)
    qtbot.mouseClick(view.filter_buttons["due"], Qt.LeftButton)
    assert view.model.rowCount() == 1  # Dana Due only
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "nell")  # Nell New is "Not due": outside this filter
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    ids = [view.model.case_id(r) for r in range(view.model.rowCount())]
    assert ids == ["P-NEW-case"]
    assert view.search_note.isVisible()
    note = view.search_note.text()
    assert "all cases" in note and "outside this filter" in note and "Due" in note
    # the empty search goes back to the filter, and the note goes
    view.search_box.clear()
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    assert [view.model.case_id(r) for r in range(view.model.rowCount())] == ["P-DUE-case"]
    assert not view.search_note.isVisible()
    # Enter on the found row opens it
    qtbot.keyClicks(view.search_box, "nell")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert window.patient_view.case_id == "P-NEW-case"


def test_enter_in_patients_find_box_opens_the_highlighted_patient(window, qtbot):
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)
    patients = window.show_view("patients")
    patients.search_box.setFocus()
    qtbot.keyClicks(patients.search_box, "P-")  # several matches
    qtbot.keyClick(patients.search_box, Qt.Key_Down)  # the highlight moves, focus stays in Find
    assert patients.search_box.hasFocus()
    assert patients.table.rowCount() >= 2 and patients.table.currentRow() == 1
    wanted = patients.table.item(1, 4).text()
    qtbot.keyClick(patients.search_box, Qt.Key_Return)
    assert window.patient_view.case_id == wanted
    assert window.stack.currentWidget() is window.patient_view


def test_enter_straight_after_typing_opens_the_first_match(window, qtbot):
    patients = window.show_view("patients")
    patients.search_box.setFocus()
    qtbot.keyClicks(patients.search_box, "olga")
    qtbot.keyClick(patients.search_box, Qt.Key_Return)  # before the search timer fired
    assert window.patient_view.case_id == "P-OVR-case"


def test_the_window_remembers_its_size_and_place_per_screen(qtbot, context):
    from radiculopathy_desktop.ui.main_window import MainWindow
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    available = first.screen().availableGeometry()
    assert first.width() <= available.width() and first.height() <= available.height()
    size = QSize(min(700, available.width()), min(520, available.height()))
    first.resize(size)
    first.move(QPoint(available.x() + 30, available.y() + 20))
    first.close()
    second = MainWindow(context)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == size
    assert second.screen().name() == first.screen().name()
    second.close()


def test_file_dialogs_start_in_the_last_folder_used(monkeypatch, tmp_path):
    from radiculopathy_desktop.ui import exports
    asked = []
    target = tmp_path / "letters"
    target.mkdir()

    def fake(parent, title, start, flt):
        asked.append(start)
        return str(target / "first.pdf"), flt

    monkeypatch.setattr(exports.QFileDialog, "getSaveFileName", fake)
    documents = Path.home() / "Documents"  # the test's own home folder
    documents.mkdir(exist_ok=True)
    first = exports.ask_save_path(None, "Save", "summary.pdf", "PDF (*.pdf)")
    assert first == target / "first.pdf"
    assert Path(asked[0]) == documents / "summary.pdf"  # not the home folder root
    exports.ask_save_path(None, "Save", "other.pdf", "PDF (*.pdf)")
    assert Path(asked[1]) == target / "other.pdf"


def test_leg_diagram_regions_say_what_they_are(qtbot):
    from radiculopathy_desktop.ui.leg_diagram import LegDiagram
    diagram = LegDiagram()
    qtbot.addWidget(diagram)
    diagram.show()
    regions = diagram.region_descriptions()
    assert regions, "every region has a description"
    for code, text in regions.items():
        assert any(root in text for root in ("L3", "L4", "L5", "S1", "buttock", "Buttock", "back", "Back")), (code, text)
    assert regions["lateral_leg"].endswith("L5 dermatome") and regions["sole"].endswith("S1 dermatome")
    assert "not localising" in regions["buttock"]
    # keyboard: the focused region's description is the diagram's tooltip and accessible text
    diagram.setFocus()
    qtbot.keyClick(diagram, Qt.Key_Right)
    from radiculopathy_desktop.ui.leg_diagram import ORDER, RegionChecklist
    assert diagram.toolTip() == regions[ORDER[1]]
    assert regions[ORDER[1]] in diagram.accessibleDescription()
    checklist = RegionChecklist()
    qtbot.addWidget(checklist)
    assert checklist.boxes["lateral_leg"].text().endswith("(L5)")
    assert checklist.boxes["great_toe"].toolTip() == regions["great_toe"]


def test_status_counts_arriving_do_not_change_the_window_width(window, qtbot):
    view = _worklist(window, qtbot)
    qtbot.waitUntil(lambda: view.counts_as_of is not None)
    before = (window.width(), window.minimumSizeHint().width())
    # counts of any size arrive: the bar wraps instead of widening the window
    view.context.store.status_counts = lambda as_of: {s: 888888 for s in view.filter_buttons}
    view._update_counts(view.counts_as_of)
    bar = view.filter_bar
    # every button inside the bar, none off the edge, once the bar's re-layout (posted events) has
    # run: waited for, not a fixed 10 ms, which a loaded machine did not always give it
    qtbot.waitUntil(lambda: all(bar.rect().contains(b.geometry()) for b in view.filter_buttons.values()))
    # the window keeps its width, and its minimum stays within it. The minimum itself may grow to
    # the widest label, "Improving: keep under review (888888)" (no label is clipped, below): on
    # main it read unchanged only because the view kept a minimum (279) below its own bar's (303)
    # after the counts, a layout not yet worked out again; with wl17's twelfth button it is.
    assert window.width() == before[0]
    assert window.minimumSizeHint().width() <= window.width()
    from PySide6.QtGui import QFont, QFontMetrics
    for button in view.filter_buttons.values():  # and no label is clipped, even in bold (the active one)
        bold = QFont(button.font())
        bold.setBold(True)
        assert button.width() >= QFontMetrics(bold).horizontalAdvance(button.text()) + 16, button.text()


def test_the_why_column_is_readable_at_the_default_size(window, qtbot):
    window.open_case("P-DUE-case")
    pathway = window.patient_view.pathway
    qtbot.waitUntil(lambda: pathway.isVisible())
    doc = pathway.document()
    layout = doc.documentLayout()
    block = doc.begin()
    widths = {}
    while block.isValid():  # the first cell under each header of the step table
        text = block.text()
        if text in ("Step", "Where this patient is", "Why") and text not in widths:
            widths[text] = layout.blockBoundingRect(block).width()
        block = block.next()
    assert set(widths) == {"Step", "Where this patient is", "Why"}
    assert widths["Why"] >= pathway.fontMetrics().averageCharWidth() * 40  # about 40 characters a line
    assert widths["Why"] > widths["Step"] and widths["Why"] > widths["Where this patient is"]


def test_the_visit_dialogs_notes_are_not_clipped(window, qtbot):
    window.open_case("P-DUE-case")
    qtbot.mouseClick(window.patient_view.visit_button, Qt.LeftButton)
    from radiculopathy_desktop.ui.dialogs import VisitDialog
    dialog = window.patient_view.findChildren(VisitDialog)[-1]
    qtbot.waitExposed(dialog)
    notes = dialog.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "first line")
    dialog.scroll.ensureWidgetVisible(notes)
    lines = notes.fontMetrics().lineSpacing()
    assert notes.viewport().height() >= 3 * lines
    top_left = notes.mapTo(dialog.scroll.viewport(), notes.rect().topLeft())
    assert dialog.scroll.viewport().rect().contains(top_left)
    assert notes.toPlainText() == "first line"
    dialog.reject()


def test_the_worklists_why_is_readable_at_the_default_size(window, qtbot):
    view = _worklist(window, qtbot)
    window.resize(1200, 780)  # the default size on a 1920x1080 screen (the test screen is smaller)
    qtbot.wait(10)
    why = len(__import__("radiculopathy_desktop.ui.worklist", fromlist=["COLUMNS"]).COLUMNS) - 1
    assert view.table.columnWidth(why) >= view.table.fontMetrics().averageCharWidth() * 30
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Down)  # the highlighted patient's whole reason, word-wrapped
    row = view.table.currentIndex().row()
    reason = view.model.text(view.model.rows[row], "reason")
    assert reason and reason in view.why_label.text() and view.why_label.isVisible()
