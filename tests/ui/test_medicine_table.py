"""Issue 12 §1/§3 in the window: the patient's medicine table never shows a plain OK when a
medicine is not recognised, offers "did you mean", and shows "Reduce dose" loudly."""

from __future__ import annotations

import datetime as dt

from tests.ui.conftest import TODAY, case_dict


def _open(window, qtbot, store, meds, conditions=None, **patient):
    from radiculopathy_desktop.domain.intake import parse_case
    d = case_dict("P-MED", "Mo Medicine", 10)
    d["patient"].update(patient)
    if conditions:
        d["conditions"] = conditions
    d["medicines"] = meds
    store.import_cases([parse_case(d)], user="test")
    window.open_case("P-MED-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return " ".join(window.patient_view.pathway.toPlainText().split())


def test_an_unrecognised_medicine_is_named_with_a_suggestion_and_no_row_is_ok(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "apixiban", "daily_dose_mg": 10}])
    assert "Not recognised" in text and "“apixiban” is not in the medicine list" in text
    assert "Did you mean apixaban?" in text
    medicines = text[text.index("Medicines"):]
    assert "Not fully checked" in medicines
    table = window.patient_view.pathway.toHtml()
    assert ">OK<" not in table.replace(" ", "")


def test_a_dose_above_the_renal_maximum_says_reduce_dose(window, qtbot, store):
    # man of 80, 60 kg, creatinine 2.0 mg/dL: CrCl (140-80) x 60 / (72 x 2.0) = 25 mL/min,
    # gabapentin label band 15-29: 200-700 mg/day
    text = _open(window, qtbot, store, [{"name": "gabapentin", "daily_dose_mg": 3600}],
                 conditions={"serum_creatinine": {"value": 2.0, "unit": "mg/dL"}},
                 age_years=80, sex="male", weight_kg=60)
    medicines = text[text.index("Medicines Kidney function"):]
    row = medicines[medicines.index("Gabapentin"):medicines.index("Pregabalin")]
    assert "Reduce dose" in row and "700 mg/day (adjusted)" in row and "ABOVE MAXIMUM" in row


def test_reduce_dose_badge_in_the_medicine_table():
    from radiculopathy_desktop.domain.intake import Conditions, Intake, Medicine, Patient
    from radiculopathy_desktop.domain.medications import assess_medications
    from radiculopathy_desktop.ui.pathway_view import medications_html
    intake = Intake(
        patient=Patient("t", age_years=80, sex="male", weight_kg=60), onset_date=TODAY - dt.timedelta(days=14),
        visit_date=TODAY, care_start_date=TODAY, side="left", regions=("lateral_leg",), leg_nrs=7, back_nrs=3,
        red_flags={}, conditions=Conditions(flags={}, creatinine_value=2.0, creatinine_unit="mg/dL"),
        medicines=(Medicine("gabapentin", 3600),))
    html = medications_html(assess_medications(intake, TODAY).to_dict())
    row = html[html.index("Gabapentin"):html.index("Pregabalin")]
    assert "Reduce dose" in row and "700 mg/day (adjusted)" in row and "ABOVE MAXIMUM" in row


def test_handout_with_doses_needs_confirmation_while_a_medicine_is_unrecognised(window, qtbot, store, monkeypatch,
                                                                                  tmp_path):
    from PySide6.QtCore import Qt

    from radiculopathy_desktop.ui import exports
    _open(window, qtbot, store, [{"name": "apixiban", "daily_dose_mg": 10}])
    asked, saved = [], []
    monkeypatch.setattr(exports, "confirm_unrecognised_doses", lambda parent, msg: asked.append(msg) or False)
    monkeypatch.setattr(exports, "ask_save_path", lambda *a: saved.append(a) or tmp_path / "h.pdf")
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)
    dialog = window.patient_view.findChildren(exports.HandoutDialog)[0]
    qtbot.waitExposed(dialog)
    for i in range(dialog.sheets.count()):
        item = dialog.sheets.item(i)
        if item.data(Qt.UserRole) == "med_acetaminophen":
            item.setCheckState(Qt.Checked)
    assert "med_acetaminophen" in dialog.selected_sheets()
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    assert asked and "apixiban" in asked[0]
    assert not saved and not (tmp_path / "h.pdf").exists()  # "Go back": nothing written, nothing asked
    assert "not recognised" in dialog.note.text()
    monkeypatch.setattr(exports, "confirm_unrecognised_doses", lambda parent, msg: True)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    assert (tmp_path / "h.pdf").exists()
    dialog.close()


def test_the_intake_says_did_you_mean_as_a_medicine_is_typed(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(5)  # the "Conditions and medicines" step
    page = wiz.pages[5]
    from tests.ui.keyboard import focus, type_here

    qtbot.mouseClick(next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Add medicine row"),
                     Qt.LeftButton)
    assert page.meds.hasFocus()
    qtbot.keyClick(page.meds, Qt.Key_F2)  # edit the name cell, then type as a clinician would
    type_here(qtbot, "apixiban")
    qtbot.keyClick(focus(), Qt.Key_Return)
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())
    # the Review step's words (intakemed: one line for both, domain/medicine_step.not_recognised_words)
    assert page.meds_unknown.text() == ("Not recognised: “apixiban” (did you mean apixaban?): not checked for doses, "
                                        "interactions or the pregnancy and kidney rules. Correct the name, or check it "
                                        "yourself.")
    assert page.medicines()[0] == [{"name": "apixiban"}]  # never replaced for the user
    page.meds.item(0, 0).setText("Eliquis 5mg")  # corrected: the note goes
    assert not page.meds_unknown.isVisible()


def test_handout_dialog_self_care_prints_the_over_the_counter_ibuprofen_maximum(window, qtbot, store):
    from PySide6.QtCore import Qt

    from radiculopathy_desktop.ui import exports
    _open(window, qtbot, store, [], conditions={"serum_creatinine": {"value": 0.9, "unit": "mg/dL"}})
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)
    dialog = window.patient_view.findChildren(exports.HandoutDialog)[0]
    qtbot.waitExposed(dialog)
    assert dialog._doses["nsaid"].max_daily_dose == "3200 mg"  # us profile: the prescription label
    dialog.self_care.setFocus()
    qtbot.keyClick(dialog.self_care, Qt.Key_Space)
    assert dialog.self_care.isChecked()
    assert dialog._doses["nsaid"].max_daily_dose == "1200 mg"
    assert "200-400 mg every 4-6 hours" in dialog._doses["nsaid"].dose_range
    dialog.close()
