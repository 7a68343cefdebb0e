"""The window's handout dialog for a patch wearer and for a CAUTION medicine beside one rated Avoid
(gp20 F13, fxl20 and fxo20 leftovers; H-MED-393, H-MED-394).

Before: the dialog's note said "Taken now, so its sheet says to keep taking the current dose" for a
fentanyl patch whose sheet says "keep using"; an avoided patch's sheet said "Ask before your next
dose"; pregabalin rated Avoid with the patch printed "take care" with diazepam in a second box.

MHRA Drug Safety Update, October 2018 (mhra-fentanyl-patches-2018, gov.uk): patients are told about
"following the correct frequency of patch application" and "properly disposing of used patches or
those which are not needed".

Driven as a user would: open the case, open the handout dialog, read its note, save the PDF.
"""

from __future__ import annotations

from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on
from .test_handout_dialog_patch_and_taper import _close, _save_pdf


def test_a_worn_patch_is_keep_using_in_the_note_and_on_paper(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-PATCH-KEEP", [{"name": "fentanyl 12 mcg/h patch"}])
    note = dialog.note.text()
    assert "Worn now (a skin patch), so its sheet says to keep using it as prescribed" in note
    assert "keep taking the current dose" not in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "patch.pdf")
    assert "keep using your fentanyl 12 mcg/h patch as prescribed" in text
    assert "Take any pills you do not use back to a pharmacy" not in text
    assert "Ask your pharmacist how to get rid of patches or pills you no longer need." in text
    _close(dialog, window, qtbot)


def test_an_avoided_patch_asks_before_the_next_patch(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-PATCH-DIAZ",
                              [{"name": "Fentalis 25"}, {"name": "diazepam 5mg tds"}])
    note = dialog.note.text()
    assert "yet worn now" in note and "before they put on the next patch whether to keep using it" in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "avoided_patch.pdf")
    assert "Ask before your next patch" in text
    assert "Before you put on your next patch, call" in text
    assert "Ask before your next dose" not in text and "Before you take another dose" not in text
    _close(dialog, window, qtbot)


def test_diazepam_beside_an_avoided_pregabalin_is_asked_about_never_take_care(window, qtbot, context, save_to,
                                                                              tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-GAB-THREE",
                              [{"name": "Fentalis 25"}, {"name": "diazepam 5mg tds"}, {"name": "pregabalin 150mg bd"}])
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "gab.pdf")
    assert "Also ask about your diazepam 5mg (three times a day) before your next dose" in text
    assert "take care with them together" not in text
    _close(dialog, window, qtbot)
