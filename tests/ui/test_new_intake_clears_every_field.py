"""A new intake starts empty: nothing of the previous patient is kept or saved (gp16 F1, H-UI-232).

A GP saved an intake with weight 70 kg, ODI 41 % and a serum creatinine of 3.5 mg/dL, pressed
New intake, and the next patient's Patient, Scores and Conditions steps already held those
values: the page loaders set a weight, height, ODI, creatinine or eGFR only when the data held
one, so the new intake (``reset`` loads nothing) kept the old values, and they were saved into
the next patient's case, where creatinine and weight feed the CrCl-based dose limits and ODI is
the baseline that judges improvement.

The first test is general on purpose: every input of every step (whatever it is, added later
too) must be back where a fresh intake has it after any example case was loaded. The second
does what the GP did, by keyboard.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTableWidget, QTextEdit,
                               QWidget)

from .keyboard import focus, type_here
from .test_draft_autosave import new_wizard
from .test_pregnancy_intake import key, patient_step, start, to_review

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.json"))


def _inputs(wiz) -> list[tuple[str, object]]:
    """What every input of every step holds, in creation order (the Review step's read-only text,
    which is made from the inputs, is left out)."""
    out: list[tuple[str, object]] = []
    for number, page in enumerate(wiz.pages):
        for w in page.findChildren(QWidget):
            where = f"step {number + 1} {type(w).__name__} {w.objectName() or w.accessibleName()}"
            if isinstance(w, QLineEdit):
                out.append((where, w.text()))
            elif isinstance(w, QComboBox):
                out.append((where, w.currentIndex()))
            elif isinstance(w, QAbstractButton) and w.isCheckable():
                out.append((where, w.isChecked()))
            elif isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly():
                out.append((where, w.toPlainText()))
            elif isinstance(w, QTableWidget):
                out.append((where, [[w.item(r, c).text() if w.item(r, c) else "" for c in range(w.columnCount())]
                                    for r in range(w.rowCount())]))
    return out


def test_after_any_case_a_new_intake_has_every_field_as_a_fresh_one(qtbot, context):
    wiz = new_wizard(qtbot, context)
    fresh = _inputs(wiz)
    assert len(fresh) > 60  # the steps' inputs were found (a list of nothing would prove nothing)
    for path in EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        wiz.load(data)
        assert _inputs(wiz) != fresh, path.name  # the example did fill the form
        wiz.reset()
        left = [(where, value, then) for (where, value), (_, then) in zip(_inputs(wiz), fresh) if value != then]
        assert not left, f"{path.name}: kept after New intake: {left}"


def test_the_next_patient_gets_none_of_the_last_patients_weight_odi_or_creatinine(window, qtbot, context):
    wiz = start(window, qtbot)
    p = patient_step(qtbot, wiz, sex_letter="m")
    p.weight.setFocus()
    type_here(qtbot, "70")
    p.height.setFocus()
    type_here(qtbot, "181")
    p.onset.setFocus()
    to_review(qtbot, wiz, medicine=None)  # ODI 30 typed on the Scores step
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    saved = context.store.get_case(window.patient_view.case_id)
    assert saved.patient.weight_kg == 70 and saved.intake.function.odi_percent == 30

    again = start(window, qtbot)  # New intake for the next patient
    assert again is wiz and again.index == 0
    patient, scores, conditions = again.pages[0], again.pages[4], again.pages[5]
    assert (patient.weight.text(), patient.height.text()) == ("", "")
    assert scores.odi.text() == ""
    assert (conditions.creat.text(), conditions.egfr.text()) == ("", "")
    assert focus() is not None
