"""The window's handout dialog for a medicine taken now that the check rates AVOID, and for two
products of one opioid (red-team rt11 F3, F4).

FDA Drug Safety Communication 31 August 2016: opioids with benzodiazepines, avoid (boxed
warning); Ultram label: tramadol with an SSRI, serotonin syndrome; CDC 2022: add up every
opioid's daily dose. The note tells the clinician the AVOID alert (the engine's reason) and
that the sheet does not say "keep taking"; the saved PDF asks the patient to ask first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .handout_dialog import close_dialog, saved_pdf_words as _save_pdf
from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on


def _close(dialog, window, qtbot):
    close_dialog(window, qtbot, dialog)


def test_opioid_with_a_benzodiazepine_the_note_names_the_avoid_and_the_pdf_asks_first(
        window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-OXY-DIAZ",
                              [{"name": "oxycodone", "daily_dose_mg": 20}, {"name": "diazepam", "daily_dose_mg": 10}])
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_opioid"].checkState() == Qt.Checked  # the patient takes it: kept, ticked
    note = dialog.note.text()
    assert "AVOID for this patient, yet taken now (oxycodone, 20 mg a day: Taking diazepam (benzodiazepine)" in note
    assert "Taken now, so its sheet says to keep taking" not in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "avoid.pdf")
    assert ("You take oxycodone 20 mg a day. Ask your clinician before your next dose whether to keep taking it: "
            "it should not be taken with your diazepam.") in text
    assert "Your dose: ask your clinician before your next dose whether to keep taking your oxycodone." in text
    assert "keep taking your oxycodone, 20 mg a day" not in text and "as prescribed" not in text
    assert "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step." in text
    _close(dialog, window, qtbot)


def test_tramadol_with_sertraline_the_sheet_is_offered_and_the_note_says_why(window, qtbot, context):
    dialog = _open_patient_on(window, qtbot, context, "P-TRAM-SERT",
                              [{"name": "tramadol", "daily_dose_mg": 200}, {"name": "sertraline", "daily_dose_mg": 100}])
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_opioid"].checkState() == Qt.Checked and "(not offered)" not in items["med_opioid"].text()
    note = dialog.note.text()
    assert "AVOID for this patient, yet taken now (tramadol 200 mg a day: Taking sertraline" in note
    assert "serotonin syndrome" in note
    # every sheet not offered is named, with why (no bare count)
    not_offered = [dialog.sheets.item(i).text() for i in range(dialog.sheets.count())
                   if dialog.sheets.item(i).text().endswith("(not offered)")]
    for title in not_offered:
        assert title.removesuffix(" (not offered)") + " (" in note
    _close(dialog, window, qtbot)


def test_oxycodone_and_oxycontin_both_named_with_the_total(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-OXY-OXYC",
                              [{"name": "oxycodone", "daily_dose_mg": 40}, {"name": "oxycontin", "daily_dose_mg": 40}])
    note = dialog.note.text()
    assert "oxycodone 40 mg a day and oxycontin 40 mg a day (80 mg of oxycodone a day in all)" in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "oxy.pdf")
    # 80 mg of oxycodone is 120 MME/day (x 1.5): the high-dose sheet names both with their amounts
    # and the total, and says neither "keep taking" nor "stop" (mme21, CDC 2022 recommendations 5, 8)
    flat = " ".join(text.split())
    assert "You take oxycodone 40 mg a day and oxycontin 40 mg a day. Your dose of opioid pain medicine is high " \
           "(about 120 mg of morphine a day" in flat
    assert "take your oxycodone and oxycontin as prescribed, and do not change the dose or stop it on your own" in flat
    assert "keep taking" not in flat
    _close(dialog, window, qtbot)
