"""The window's handout dialog names a current medicine the engine does not recognise, whichever
sheets are ticked, and reads the patch spellings a clinic writes as a patch (rt22 F2; H-MED-371).

Fentanyl transdermal system labeling (fentanyl-patch-label): "avoid exposure of the patch application
site to direct external heat sources because of the potential for temperature-dependent increases in
fentanyl release that may result in overdose and death." An unrecognised patch gets the general sheets'
heat pad: the clinician must be told the sheets give no advice for it.

Driven as a user would: open the case, open the handout dialog, read its note, untick sheets, save the PDF.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on
from .test_handout_dialog_patch_and_taper import _close, _save_pdf

# "Mezolar Matrix 25" was the example until src21 read its SmPC (now a patch): "Qlarvent 25" is a name
# the data does not hold
WARNING = ("\u201cqlarvent 25\u201d is not recognised: the sheets give no advice for it (heat advice "
           "included); check the name")


def test_an_unrecognised_medicine_is_named_whatever_sheets_are_ticked(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-ZORVEX", [{"name": "Qlarvent 25"}])
    assert WARNING in " ".join(dialog.note.text().split())
    # the clinician unticks every sheet but the sciatica one: the warning stays
    for i in range(dialog.sheets.count()):
        item = dialog.sheets.item(i)
        if item.data(Qt.UserRole) != "about_sciatica" and item.checkState() == Qt.Checked:
            dialog.sheets.setCurrentItem(item)
            qtbot.keyClick(dialog.sheets, Qt.Key_Space)  # the keyboard's way to untick it
    assert dialog.selected_sheets() == ["about_sciatica"]
    assert WARNING in " ".join(dialog.note.text().split())
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "qlarvent.pdf")
    assert "Use a heat pad, a warm bath or a warm shower" in text  # the sheet cannot know: hence the warning
    _close(dialog, window, qtbot)


def test_a_patch_written_with_tts_is_a_patch_and_no_warning(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-FENT-TTS", [{"name": "fentanyl TTS 25"}])
    assert "not recognised" not in dialog.note.text()
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "tts.pdf")
    assert "Use a heat pad, a warm bath or a warm shower" not in text
    assert "If you wear a pain patch" in text
    _close(dialog, window, qtbot)


def test_buprenorphine_in_mg_is_not_printed_as_a_patch_and_the_note_says_so(window, qtbot, context, save_to,
                                                                             tmp_path):
    """rt22 F6 (H-MED-372): a patch is micrograms an hour (buprenorphine-patch-label); 8 mg is a
    sublingual tablet's strength (subutex-uk)."""
    dialog = _open_patient_on(window, qtbot, context, "P-BUP-8MG", [{"name": "buprenorphine 8mg od"}])
    note = " ".join(dialog.note.text().split())
    assert "\u201cbuprenorphine 8mg od\u201d is written in mg and names no form" in note
    assert "names no form (patch, buccal" not in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "bup.pdf")
    assert "a strong pain patch" not in text and "If you wear a pain patch" not in text
    _close(dialog, window, qtbot)


def test_co_codamol_with_its_opioid_sheet_unticked_still_says_not_to_stop_it_suddenly(window, qtbot, context,
                                                                                      save_to, tmp_path):
    """rt22 F8 (H-MED-373): FDA 2019 (fda-opioid-tapering-2019) - sudden discontinuation of opioid pain
    medicines harms; co-codamol holds codeine. The clinician unticks the opioid sheet."""
    dialog = _open_patient_on(window, qtbot, context, "P-COCOD", [{"name": "co-codamol 30/500 2 qds"}])
    for i in range(dialog.sheets.count()):
        item = dialog.sheets.item(i)
        if item.data(Qt.UserRole) == "med_opioid" and item.checkState() == Qt.Checked:
            dialog.sheets.setCurrentItem(item)
            qtbot.keyClick(dialog.sheets, Qt.Key_Space)
    assert "med_opioid" not in dialog.selected_sheets()
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "cocod.pdf")
    # sheets36 (H-MED-741): a combination product's bare count after its strength is said as tablets
    assert "You also take co-codamol 2 tablets of 30/500, four times a day. Do not stop it suddenly: your clinician will plan any change." \
        in text
    _close(dialog, window, qtbot)
