"""The window's handout dialog for a fentanyl patch with a fentanyl buccal tablet, and for a long-term
opioid taken now (rt24 F5, F6; gp21 F9; H-MED-405, H-MED-406, H-MED-408).

Driven as a user would: open the case, open the handout dialog (Ctrl+P), read its note, tick the
opioid sheet, save the PDF and read it.

Sources: EMA EPAR summary of Effentora ("a gap of at least four hours between treating each episode
of pain"); the US opioid labels on driving (not until you know how it affects you).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .handout_dialog import close_dialog, saved_pdf_words as _save_pdf
from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on


def _close(dialog, window, qtbot):
    close_dialog(window, qtbot, dialog)


def test_a_patch_and_a_buccal_tablet_the_note_and_the_sheet_name_each_form(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-FENT-BUCCAL",
                              [{"name": "Fentalis 25"}, {"name": "Effentora 100"}])
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_opioid"].checkState() == Qt.Checked  # the medicines they take: ticked
    note = " ".join(dialog.note.text().split())
    assert "prescribed in micrograms an hour (skin patch)" not in note
    assert "Effentora 100 (a buccal tablet, not a skin patch" in note  # as its maker prints it (sht24)
    assert "counted as 60 MME/day (x 2.4, CDC 2022)" in note
    assert "asks the patient to ask you before the next dose" not in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "fentanyl.pdf")
    assert "Your medicines: a strong pain patch and other strong painkillers (opioids)" in text
    assert "If you use buccal tablets for flare-ups" in text
    assert "Wait at least 4 hours before you treat another flare-up." in text
    assert "If you wear a pain patch" in text
    _close(dialog, window, qtbot)


def test_an_opioid_taken_now_prints_no_new_prescription_words(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-OXY-LONG", [{"name": "oxycodone 10mg bd"}])
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "oxy.pdf")
    assert "only for a short time" not in text
    assert "We will help you cut down slowly" not in text
    assert "while you take it" not in text
    assert "Talk to your prescriber before any change to your dose." in text
    assert "until you know how it affects you" in text
    _close(dialog, window, qtbot)
