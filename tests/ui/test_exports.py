"""Printing and exporting from the window, driven by the keyboard as a clinician would.

Modal dialogs never block: ``exports.ask_save_path`` (the file dialog) and
``reports.printing.open_dialog`` (the print preview) are replaced per test.
"""

from __future__ import annotations

import csv
import json
import os

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import exports
from radiculopathy_desktop.ui.errors import ErrorDialog


def _pdf_text(path) -> tuple[str, list]:
    from pypdf import PdfReader
    reader = PdfReader(str(path))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split()), reader.pages


@pytest.fixture
def save_to(monkeypatch):
    """Answer the next file dialog with ``path``; records what was asked."""
    asked = []

    def set_answer(path):
        monkeypatch.setattr(exports, "ask_save_path",
                            lambda parent, title, suggested, flt: asked.append((title, suggested)) or path)
        return asked
    return set_answer


@pytest.fixture
def patient(window, qtbot):
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return window.patient_view


def _press(qtbot, window, key, modifiers=Qt.ControlModifier):
    qtbot.keyClick(window, key, modifiers)


def _handout_dialog(qtbot, window) -> exports.HandoutDialog:
    _press(qtbot, window, Qt.Key_P)
    dialogs = window.patient_view.findChildren(exports.HandoutDialog)
    assert len(dialogs) == 1, "Ctrl+P should open the handout dialog"
    dialog = dialogs[0]
    qtbot.waitExposed(dialog)
    return dialog


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_patient_actions_only_on_a_patient(window, qtbot):
    assert not window.print_handout_action.isEnabled()
    _press(qtbot, window, Qt.Key_P)  # nothing happens on the worklist
    window.open_case("P-DUE-case")
    assert all(a.isEnabled() for a in window.patient_actions)
    assert window.patient_view.handout_button.accessibleName() == "Print handout"
    assert window.print_handout_action.shortcut().toString() == "Ctrl+P"


def test_print_handout_preview_renders_the_patients_pages(window, patient, qtbot, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

    from radiculopathy_desktop.reports import printing
    shown = {}

    def fake_open(dialog):  # what the preview would paint, and the same painting sent to a PDF "printer"
        preview = dialog.findChild(QPrintPreviewWidget)
        preview.updatePreview()
        shown["preview_pages"] = preview.pageCount()
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        dialog.paintRequested.emit(printer)
        return 1

    monkeypatch.setattr(printing, "open_dialog", fake_open)
    dialog = _handout_dialog(qtbot, window)
    # the general sheets are ticked; this patient takes no medicine, so the medicine sheets the
    # engine does not advise against are offered (enabled) but not ticked
    ticked = dialog.selected_sheets()
    assert {"about_sciatica", "warning_signs"} <= set(ticked)
    assert not [s for s in ticked if s.startswith("med_")]
    offered = {dialog.sheets.item(i).data(Qt.UserRole) for i in range(dialog.sheets.count())
               if dialog.sheets.item(i).flags() & Qt.ItemIsEnabled}
    assert {"med_nsaid", "med_acetaminophen"} <= offered
    for i in range(dialog.sheets.count()):
        item = dialog.sheets.item(i)
        if not item.flags() & Qt.ItemIsEnabled:
            assert item.data(Qt.UserRole).startswith("med_") and item.checkState() == Qt.Unchecked
    qtbot.mouseClick(dialog.print_button, Qt.LeftButton)
    assert shown["preview_pages"] >= 1
    text, pages = _pdf_text(tmp_path / "printed.pdf")
    assert "Dana Due" in text and len(pages) >= 1
    dialog.close()


def test_save_handout_as_pdf_on_letter_in_spanish(window, patient, qtbot, save_to, tmp_path):
    out = tmp_path / "handout.pdf"
    save_to(out)
    dialog = _handout_dialog(qtbot, window)
    dialog.lang.setCurrentIndex(dialog.lang.findData("es"))
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    dialog.large_print.setChecked(True)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    text, pages = _pdf_text(out)
    assert "Dana Due" in text
    box = pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter in points
    assert _leftovers(tmp_path) == []
    dialog.close()


def test_export_summary_pdf_by_keyboard(window, patient, qtbot, save_to, tmp_path):
    out = tmp_path / "summary"  # the .pdf suffix is added
    save_to(out)
    _press(qtbot, window, Qt.Key_E)
    text, pages = _pdf_text(tmp_path / "summary.pdf")
    assert "Dana Due" in text and len(pages) >= 1


def test_export_fhir_bundle_by_keyboard(window, patient, qtbot, save_to, tmp_path):
    out = tmp_path / "bundle.json"
    save_to(out)
    _press(qtbot, window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    assert any(e["resource"]["resourceType"] == "Patient" for e in bundle["entry"])


def test_export_worklist_csv_uses_the_current_filter(window, qtbot, save_to, tmp_path):
    from radiculopathy_desktop.reports.csv_export import COLUMN_NAMES
    out = tmp_path / "worklist.csv"
    save_to(out)
    window.views["worklist"].set_status_filter("overdue")
    _press(qtbot, window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == COLUMN_NAMES
    status = rows[0].index("status")
    assert [r[status] for r in rows[1:]] == ["overdue"]


def test_unwritable_path_shows_a_plain_message_and_writes_nothing(window, patient, qtbot, save_to, tmp_path):
    out = tmp_path / "no-such-folder" / "summary.pdf"
    save_to(out)
    _press(qtbot, window, Qt.Key_E)
    errors = patient.findChildren(ErrorDialog)
    assert len(errors) == 1
    message = errors[0].message_label.text()
    assert "does not exist" in message and "Traceback" not in message
    assert not out.exists()
    errors[0].close()


def test_disk_full_shows_a_plain_message_and_leaves_no_file(window, patient, qtbot, save_to, tmp_path, monkeypatch):
    from radiculopathy_desktop.reports import common
    out = tmp_path / "bundle.json"
    save_to(out)

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(common.os, "replace", full)
    _press(qtbot, window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    errors = patient.findChildren(ErrorDialog)
    assert len(errors) == 1
    assert "No space left on device" in errors[0].message_label.text()
    assert not out.exists() and _leftovers(tmp_path) == []
    errors[0].close()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder_is_refused(window, patient, qtbot, save_to, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        save_to(folder / "bundle.json")
        _press(qtbot, window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
        errors = patient.findChildren(ErrorDialog)
        assert "no permission" in errors[0].message_label.text()
        errors[0].close()
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_cancelled_file_dialog_writes_nothing(window, patient, qtbot, save_to, tmp_path):
    save_to(None)
    _press(qtbot, window, Qt.Key_E)
    assert not patient.findChildren(ErrorDialog)
    assert not list(tmp_path.glob("*.pdf"))


def test_replacing_a_file_the_dialog_did_not_ask_about_asks_first(window, patient, qtbot, save_to, tmp_path,
                                                                  monkeypatch):
    """The user typed "summary"; the app adds ".pdf" and summary.pdf exists: it asks, and No keeps it."""
    existing = tmp_path / "summary.pdf"
    existing.write_bytes(b"an earlier summary")
    asked = []
    monkeypatch.setattr(exports, "confirm_overwrite", lambda parent, path: asked.append(path) or False)
    save_to(tmp_path / "summary")
    _press(qtbot, window, Qt.Key_E)
    assert asked == [existing]
    assert existing.read_bytes() == b"an earlier summary"
    assert not patient.findChildren(ErrorDialog)
    monkeypatch.setattr(exports, "confirm_overwrite", lambda parent, path: asked.append(path) or True)
    _press(qtbot, window, Qt.Key_E)
    assert existing.read_bytes().startswith(b"%PDF-") and len(asked) == 2
    assert oct(existing.stat().st_mode & 0o777) == oct(0o600)


def test_an_export_the_audit_cannot_record_is_not_saved_and_the_user_is_told(window, patient, qtbot, save_to,
                                                                             tmp_path, monkeypatch):
    from radiculopathy_desktop.storage.db import StorageError

    def refuse(*_a, **_k):
        raise StorageError("disk_full", "The disk is full, so the change could not be saved.")
    monkeypatch.setattr(window.context.store, "record_audit", refuse)
    out = tmp_path / "bundle.json"
    save_to(out)
    _press(qtbot, window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    errors = patient.findChildren(ErrorDialog)
    assert len(errors) == 1
    text = errors[0].message_label.text()
    assert "audit" in text and "not saved" in text
    assert not out.exists() and _leftovers(tmp_path) == []
    errors[0].close()


HOSTILE_NAMES = ['=cmd|"/c calc"!A1', "+SUM(1)", "-1", "@x", "Ann \"Q\" O'Neil, Jr\\", "\U0001F600 Zoë",
                 "a\x01b\x1fc\x7f", "line\u2028sep", "", None]


def test_window_worklist_csv_is_the_checked_dict_writers_bytes(store, qtbot, save_to, tmp_path, request):
    """The window's worklist export (per-column writer) gives byte for byte what the generic
    writer gives for ``row_from_worklist`` rows: hostile names, a search, every status."""
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.reports.common import guideline_content_version
    from radiculopathy_desktop.reports.csv_export import export_csv, row_from_worklist
    from radiculopathy_desktop.storage.worklist import STATUS_ORDER
    from tests.ui.conftest import TODAY, case_dict

    cases = []
    for n, name in enumerate(HOSTILE_NAMES):
        d = case_dict(f"P-H{n}", name, 10 + 9 * n)
        if name is None:
            del d["patient"]["name"]
        cases.append(parse_case(d))
    store.import_cases(cases, user="test")
    window = request.getfixturevalue("window")
    view = window.views["worklist"]

    def expected(statuses, search):
        path = tmp_path / f"expected-{len(statuses)}-{bool(search)}.csv"
        profile = window.context.profile()  # the window's rows say theirs (guideline_profile, prof30)
        rows = store.worklist(TODAY, statuses=statuses, search=search, profile=profile)
        export_csv((row_from_worklist(r, guideline_content_version(), profile=profile) for r in rows), path)
        return path.read_bytes()

    # the default worklist filter, as the window opens
    out = tmp_path / "worklist.csv"
    save_to(out)
    _press(qtbot, window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    assert out.read_bytes() == expected(list(view.model.statuses), None)
    assert out.read_bytes().count(b"\r\n") > 5

    # a search the user types: every status, the hostile names among them
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "P-H")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "P-H")
    searched = tmp_path / "searched.csv"
    save_to(searched)
    _press(qtbot, window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    data = searched.read_bytes()
    assert data == expected([s.value for s in STATUS_ORDER], "P-H")
    with open(searched, encoding="utf-8-sig", newline="") as fh:
        names = [r[2] for r in list(csv.reader(fh))[1:]]
    assert len(names) == len(HOSTILE_NAMES)
    assert {"'=cmd|\"/c calc\"!A1", "'+SUM(1)", "'-1", "'@x", "\U0001F600 Zoë", ""} <= set(names)


def test_a_red_flag_patients_handout_leads_with_what_to_do_now_and_cannot_leave_it_out(
        window, qtbot, save_to, tmp_path):
    """Saddle anaesthesia (suspected cauda equina: NICE NG59, the GIRFT pathway: emergency
    assessment) stands for Rory: the dialog offers "Go to the emergency department now"
    ticked and fixed, leaves the reassuring sheets unticked, says why; space on the fixed
    item does not untick it; the PDF holds no "Will it get better? Yes"."""
    from radiculopathy_desktop.reports import handout_content as hc

    window.open_case("P-RED-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert "urgent_today" not in items  # only the tier that stands is offered
    lead = items["emergency_now"]
    assert lead.checkState() == Qt.Checked and not (lead.flags() & Qt.ItemIsUserCheckable)
    assert dialog.selected_sheets()[0] == "emergency_now"
    assert not set(dialog.selected_sheets()) & hc.REASSURING_SHEETS
    assert "EMERGENCY red flag standing" in dialog.note.text() and "Act on the red flag now" in dialog.note.text()
    dialog.sheets.setFocus()
    dialog.sheets.setCurrentItem(lead)
    qtbot.keyClick(dialog.sheets, Qt.Key_Space)
    assert lead.checkState() == Qt.Checked
    out = tmp_path / "red.pdf"
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    import unicodedata
    text = unicodedata.normalize("NFKC", _pdf_text(out)[0])  # the PDF's text layer carries ligatures (fl)
    assert "Go to the nearest emergency department now" in text and "Rory Redflag" in text
    assert "Will it get better" not in text and "rarely a sign of something serious" not in text
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(exports.HandoutDialog))  # deleted on close
    window.open_case("P-DUE-case")  # a patient without a red flag is never offered the sheet
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    from PySide6.QtWidgets import QApplication
    window.activateWindow()  # shortcuts reach the active window only
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
    dialog = _handout_dialog(qtbot, window)
    ids = [dialog.sheets.item(i).data(Qt.UserRole) for i in range(dialog.sheets.count())]
    assert not set(ids) & set(hc.RED_FLAG_SHEETS.values())
    assert set(dialog.selected_sheets()) >= {"about_sciatica", "warning_signs"}
    dialog.close()
