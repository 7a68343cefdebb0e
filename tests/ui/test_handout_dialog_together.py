"""The window's handout dialog for medicines the check flags (red-team rt10 F2, F3).

Acetaminophen label: do not use with another product containing acetaminophen (not more than
4000 mg in 24 hours). Neurontin label: the maximum depends on creatinine clearance. The note
must tell the clinician that the sheet does not say "keep taking" for two products taken
together, and that the kidney maximum could not be checked; the saved PDF says so to the patient.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

from .test_exports import _pdf_text, save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on


def test_two_acetaminophen_products_the_note_and_the_pdf_say_not_both(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-APAP-TWICE",
                              [{"name": "acetaminophen", "daily_dose_mg": 4000}, {"name": "co-codamol 30/500"}])
    note = dialog.note.text()
    assert "Taken together although they should not be (acetaminophen 4000 mg a day and co-codamol 30/500 " \
           "(dose not recorded), both containing acetaminophen)" in note
    assert "dose not recorded)" in note and "acetaminophen, dose not recorded" not in note
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_acetaminophen"].checkState() == Qt.Checked
    out = tmp_path / "apap.pdf"
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists)
    text = " ".join(unicodedata.normalize("NFKC", _pdf_text(out)[0]).split())
    assert "Ask your clinician before your next dose which one to keep taking." in text
    assert "keep taking your acetaminophen" not in text
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_kidney_function_unknown_the_note_says_the_kidney_maximum_was_not_checked(window, qtbot, context):
    # no weight and no creatinine recorded for this patient: Cockcroft-Gault cannot be computed
    dialog = _open_patient_on(window, qtbot, context, "P-GABA-NO-CR", [{"name": "gabapentin", "daily_dose_mg": 3600}])
    note = dialog.note.text()
    assert "The kidney maximum could not be checked (no weight or creatinine recorded) for gabapentin 3600 mg a " \
           "day: the sheet asks the patient to ask you whether the dose is right for their kidneys." in note
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
