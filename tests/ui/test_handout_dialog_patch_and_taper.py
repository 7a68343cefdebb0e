"""The window's handout dialog for a fentanyl patch written without "patch" and for a benzodiazepine
named only in a caution box (rt21 F3, F4; H-MED-349, H-MED-351).

Fentanyl transdermal system labeling (fentanyl-patch-label): "avoid exposure of the patch application
site to direct external heat sources because of the potential for temperature-dependent increases in
fentanyl release that may result in overdose and death." FDA Drug Safety Communication, 23 September
2020 (fda-benzodiazepine-boxed-2020): "Stopping them abruptly or reducing the dosage too quickly can
result in withdrawal reactions, including seizures, which can be life-threatening."

Driven as a user would: open the case, open the handout dialog, read its note, save the PDF.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .handout_dialog import close_dialog, saved_pdf_words as _save_pdf
from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on


def _close(dialog, window, qtbot):
    close_dialog(window, qtbot, dialog)


def test_fentanyl_with_no_form_is_printed_as_a_patch_and_the_note_says_so(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-FENT-25", [{"name": "fentanyl 25"}])
    note = dialog.note.text()
    assert "\u201cfentanyl 25\u201d names no form" in note and "record the form" in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "fentanyl.pdf")
    assert "Use a heat pad, a warm bath or a warm shower" not in text
    assert "Use heat before you exercise" not in text
    assert "If you wear a pain patch" in text
    _close(dialog, window, qtbot)


def test_a_patch_brand_gets_no_note_but_the_patch_sheets(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-FENTALIS", [{"name": "Fentalis 25"}])
    assert "names no form" not in dialog.note.text()
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "fentalis.pdf")
    assert "Use a heat pad, a warm bath or a warm shower" not in text and "If you wear a pain patch" in text
    _close(dialog, window, qtbot)


def test_diazepam_in_the_caution_box_is_not_to_be_stopped_suddenly(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-PREG-DIAZ",
                              [{"name": "pregabalin 150mg bd"}, {"name": "diazepam 5mg tds"}])
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_gabapentinoid"].checkState() == Qt.Checked
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "pregab.pdf")
    assert "Ask about your other medicines" in text
    assert "Do not stop your diazepam 5mg (three times a day) suddenly: your clinician will plan any change." in text
    _close(dialog, window, qtbot)
