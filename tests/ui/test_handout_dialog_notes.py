"""The window's handout dialog: what its note says (red-team rt9 F2 and F4).

F2, a medicine the patient takes now.
A patient on gabapentin 3600 mg/day (the Neurontin label maximum) must not be handed "start
300 mg a day ... we start with a low dose": the dialog's note names the medicine whose sheet
says "keep taking your current dose", and the saved PDF says it, with the label's warning
not to stop it suddenly. Above the maximum the note says the dose is too high instead.

F4, a referral recorded while a cauda equina flag stands: the emergency sheet still leads
(the patient must still know to go now), and the note says a referral was recorded and why.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import case_dict
from .test_exports import _handout_dialog, _pdf_text, save_to  # noqa: F401 - save_to is a fixture


def _open_patient_on(window, qtbot, context, pid, meds):
    c = case_dict(pid, "Gabi " + pid, 20)
    c["medicines"] = meds
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return _handout_dialog(qtbot, window)


def test_the_dialog_says_which_medicine_keeps_its_current_dose_and_the_pdf_says_so(
        window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-AT-MAX", [{"name": "gabapentin", "daily_dose_mg": 3600}])
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_gabapentinoid"].checkState() == Qt.Checked  # the medicine they take: ticked
    note = dialog.note.text()
    assert "Taken now, so its sheet says to keep taking the current dose as prescribed (no starting dose): " \
           "gabapentin 3600 mg a day." in note
    assert "above this patient's maximum" not in note
    out = tmp_path / "kept.pdf"
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists)
    text = unicodedata.normalize("NFKC", _pdf_text(out)[0])
    assert "keep taking gabapentin 3600 mg a day, as prescribed, unless your clinician changes it" in text
    assert "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step." in text
    assert "start 300 mg" not in text and "We start with a low dose" not in text
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_above_the_maximum_the_note_says_too_high_not_keep_it(window, qtbot, context):
    dialog = _open_patient_on(window, qtbot, context, "P-OVER-MAX", [{"name": "gabapentin", "daily_dose_mg": 3700}])
    note = dialog.note.text()
    # the ingredient and its limit, the sheet by its name in lower case mid-sentence (gp17 F13, gp18 F8)
    assert "Gabapentin 3700 mg a day, above this patient's maximum of 3600 mg a day: the gabapentin or " \
           "pregabalin sheet says so first" in note
    assert "Taken now" not in note
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_a_patient_not_taking_it_gets_no_current_dose_note(window, qtbot, context):
    dialog = _open_patient_on(window, qtbot, context, "P-NONE", [])
    assert "Taken now" not in dialog.note.text()
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_after_a_referral_the_emergency_sheet_still_leads_and_the_note_says_why(window, qtbot, context):
    from .conftest import TODAY
    referral = (TODAY - dt.timedelta(days=2)).isoformat()
    c = case_dict("P-CES-REF", "Cara Referred", 10, red_flags={"saddle_anaesthesia": "yes"},
                  decisions=[{"date": referral, "kind": "referred_for_surgical_opinion", "by": "Dr A",
                              "acknowledged_red_flags": ["saddle_anaesthesia"]}])
    context.store.import_cases([parse_case(c)], user="test", acknowledge_red_flags=True)
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    assert dialog.selected_sheets()[0] == "emergency_now"
    note = dialog.note.text()
    assert "EMERGENCY red flag standing" in note
    assert (f"A referral for a surgical opinion was recorded on {referral}; the emergency sheet still leads because "
            "the red flag stands (a decision does not clear it; a later visit answering its questions "
            "\u201cno\u201d does).") in note
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
