"""The window's handout dialog: a nicotine patch beside codeine tablets leaves the codeine sheet a
tablet sheet with its daily limit, and the sciatica sheet says "If you wear a pain patch"; a buccal
fentanyl brand is read as fentanyl with no patch wording (rt23 F1, F2; H-MED-397, H-MED-398).

Effentora SmPC (effentora-eu, a copy): "3. PHARMACEUTICAL FORM: Buccal tablet." The fentanyl patch
label (fentanyl-patch-label) warns of heat over a patch only: nothing of it belongs on a codeine
tablet's sheet.

Driven as a user would: open the case, open the handout dialog, tick and untick sheets with the
keyboard, read the note, save the PDF.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on
from .test_handout_dialog_patch_and_taper import _close, _save_pdf

HEAT_PAD = "Use a heat pad, a warm bath or a warm shower"


def _only(dialog, qtbot, wanted):
    for i in range(dialog.sheets.count()):
        item = dialog.sheets.item(i)
        ticked = item.checkState() == Qt.Checked
        if ticked != (item.data(Qt.UserRole) in wanted):
            dialog.sheets.setCurrentItem(item)
            qtbot.keyClick(dialog.sheets, Qt.Key_Space)
    assert sorted(dialog.selected_sheets()) == sorted(wanted)


def test_a_nicotine_patch_leaves_the_codeine_sheet_a_tablet_sheet(window, qtbot, context, save_to, tmp_path,
                                                                  monkeypatch):
    from radiculopathy_desktop.ui import exports

    asked = []  # the clinician is asked before doses print beside an unrecognised medicine: "Print with doses"
    monkeypatch.setattr(exports, "confirm_unrecognised_doses", lambda parent, msg: asked.append(msg) or True)
    dialog = _open_patient_on(window, qtbot, context, "P-COD-NIC",
                              [{"name": "codeine 30mg tablets", "daily_dose_mg": 120},
                               {"name": "nicotine patch 21mg"}])
    note = " ".join(dialog.note.text().split())
    assert "no medicine sheet becomes a patch sheet" in note
    _only(dialog, qtbot, ["about_sciatica", "med_opioid"])
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "cod_nic.pdf")
    assert asked and "nicotine patch 21mg" in asked[0]
    assert "strong pain pills" in text and "a strong pain patch" not in text
    assert "Do not take more than the amount on its label or your prescriber's instructions in a day" in text
    assert "Change your patch only as often as your prescriber says" not in text
    assert "If you wear a pain patch, heat on or near the patch" in text and "You wear a pain patch" not in text
    assert HEAT_PAD not in text
    _close(dialog, window, qtbot)


def test_a_buccal_fentanyl_brand_is_fentanyl_with_no_patch_words(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-EFFENTORA", [{"name": "Effentora 100"}])
    note = " ".join(dialog.note.text().split())
    assert "not recognised" not in note and "names no form" not in note
    _only(dialog, qtbot, ["about_sciatica"])
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "effentora.pdf")
    assert HEAT_PAD in text and "pain patch" not in text
    _close(dialog, window, qtbot)
