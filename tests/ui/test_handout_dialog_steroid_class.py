"""The window's handout dialog for a steroid other than prednisolone taken now (red-team rt12 F7,
F9; H-MED-164, H-MED-165): the steroid sheet is ticked as the command prints it, and the note
names the CAUTION of the new NSAID sheet beside it.

Dexamethasone / methylprednisolone / hydrocortisone labels: withdraw gradually after long-term
therapy. NICE CKS NSAIDs: a corticosteroid with an NSAID raises GI bleeding risk.
"""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import case_dict
from .test_exports import _handout_dialog, _pdf_text, save_to  # noqa: F401 - save_to is a fixture


@pytest.mark.parametrize("drug", ["dexamethasone", "hydrocortisone"])
def test_a_steroid_of_the_class_is_ticked_and_the_saved_pdf_says_do_not_stop_suddenly(
        window, qtbot, context, save_to, tmp_path, drug):
    c = case_dict("P-" + drug[:4].upper(), "Stella Dexa", 20)
    c["medicines"] = [{"name": drug, "daily_dose_mg": 20}]
    c["red_flags"]["prolonged_corticosteroid_use"] = "yes"
    if drug == "dexamethasone":  # an NSAID given: its sheet ticked, with its starting dose
        c["treatments_tried"] = [{"code": "nsaid", "started": c["visit_date"]}]
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_oral_steroid"].checkState() == Qt.Checked
    note = dialog.note.text()
    assert f"Taken now, so its sheet says to keep taking the current dose as prescribed (no starting dose): " \
           f"{drug}, 20 mg a day." in note
    # the NSAID sheet: ticked when an NSAID was given, and then its starting dose beside the steroid is
    # named; not ticked (nobody prints it), no such sentence
    # the sheet named as the clinician reads it, never its id "med_nsaid" (gp17 F13)
    caution = f"NSAID: the medicine check rates it CAUTION with {drug} (Taking {drug} (systemic corticosteroid)"
    if drug == "dexamethasone":
        assert items["med_nsaid"].checkState() == Qt.Checked and caution in note
    else:
        assert items["med_nsaid"].checkState() == Qt.Unchecked and caution not in note
    out = tmp_path / f"{drug}.pdf"
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists)
    text = " ".join(unicodedata.normalize("NFKC", _pdf_text(out)[0]).split())
    assert f"keep taking your {drug}, 20 mg a day" in text
    assert "Do not stop it suddenly. After some weeks of steroid pills, stopping at once can make you very " \
           "unwell." in text
    assert "Finish the course" not in text
    if drug == "dexamethasone":
        assert "You take dexamethasone. Before you start ibuprofen, ask your clinician whether it is right for " \
               "you: together they raise the chance of bleeding from the stomach" in text
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
