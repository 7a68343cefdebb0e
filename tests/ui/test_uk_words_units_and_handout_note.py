"""A UK clinic's window (gp17 F13): its words, its creatinine unit, and the handout note.

* "Treatments already tried" said "Acetaminophen (paracetamol)" under the uk profile.
* The creatinine unit was mg/dL first under uk, where laboratories report µmol/L ("80" is
  80 µmol/L); a value the unit chosen cannot hold, or may misread, is now questioned beside it.
* The handout dialog's note showed internal ids ("med_nsaid: ..."), doubled punctuation
  ("ductus arteriosus).; betnesol", "...sciatica.):") and was one unbroken paragraph.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.lab_units import creatinine_unit_question, default_creatinine_unit

from .conftest import case_dict
from .test_exports import _handout_dialog
from tests.ui.keyboard import focus


def _profile(context, profile, country=None):
    context.store.set_clinic_settings(context.clinic().updated(profile=profile, country=country), user="test")


def _conditions(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(wiz.page_index["conditions"])
    page = wiz.page("conditions")
    qtbot.waitUntil(page.isVisible)
    return wiz, page


def _tried_labels(page):
    return [b.text() for b in page.findChildren(QCheckBox) if b.accessibleName().startswith("Already tried:")]


# --------------------------------------------------------------------------- words
@pytest.mark.parametrize("profile, shown, not_shown", [("uk", "Paracetamol", "Acetaminophen"),
                                                       ("us", "Acetaminophen (paracetamol)", None)])
def test_treatments_already_tried_speak_the_profiles_names(window, qtbot, context, profile, shown, not_shown):
    _profile(context, profile)
    wiz, page = _conditions(window, qtbot)
    labels = _tried_labels(page)
    assert shown in labels
    if not_shown:
        assert not [label for label in labels if not_shown.lower() in label.lower()]
    box = page.tried["acetaminophen"]
    assert box.accessibleName() == f"Already tried: {shown}"
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_Space)
    assert {"code": "acetaminophen"} in page.data()["treatments_tried"]  # the stored code is the data's


# --------------------------------------------------------------------------- creatinine unit
@pytest.mark.parametrize("profile, country, unit", [("uk", None, "umol/L"), ("us", None, "mg/dL"),
                                                    ("us", "uk", "umol/L"), ("uk", "us", "mg/dL")])
def test_the_creatinine_unit_offered_first_is_the_clinics_laboratorys(window, qtbot, context, profile, country, unit):
    _profile(context, profile, country)
    wiz, page = _conditions(window, qtbot)
    page.load({})  # a new intake
    assert page.creat_unit.currentData() == unit
    assert default_creatinine_unit(country, profile) == unit


def test_80_typed_under_uk_is_read_as_80_micromol_per_litre(window, qtbot, context):
    _profile(context, "uk")
    wiz, page = _conditions(window, qtbot)
    page.load({})
    page.creat.setFocus()
    qtbot.keyClicks(page.creat, "80")
    assert page.data()["conditions"]["serum_creatinine"] == {"value": 80.0, "unit": "umol/L"}
    assert not page.creat_question.isVisible()


def test_a_value_the_unit_cannot_hold_is_questioned_and_not_saved_as_typed(window, qtbot, context):
    _profile(context, "us")
    wiz, page = _conditions(window, qtbot)
    page.load({})
    assert page.creat_unit.currentData() == "mg/dL"
    page.creat.setFocus()
    qtbot.keyClicks(page.creat, "80")  # a UK result typed under mg/dL
    said = page.creat_question.text()
    assert page.creat_question.isVisible()
    assert "80 is not a possible creatinine in mg/dL (0.1-25)" in said and "choose µmol/L" in said
    assert "0.90 mg/dL" in said
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next: refused, nothing changed
    assert wiz.index == wiz.page_index["conditions"]
    assert page.creat.text() == "80" and page.creat_unit.currentData() == "mg/dL"
    page.creat_unit.setFocus()
    qtbot.keyClick(page.creat_unit, Qt.Key_Down)  # the unit changed to µmol/L: no question
    assert page.creat_unit.currentData() == "umol/L"
    assert not page.creat_question.isVisible()


@pytest.mark.parametrize("value, unit, asked", [
    # the intake's ranges: mg/dL 0.1-25, µmol/L 10-2200 (domain/intake.py CREATININE_RANGES)
    (9.9, "mg/dL", None), (10, "mg/dL", "either"), (25, "mg/dL", "either"), (25.1, "mg/dL", "cannot"),
    (9.9, "umol/L", "cannot"), (10, "umol/L", "either"), (25, "umol/L", "either"), (25.1, "umol/L", None),
    (0.09, "umol/L", None), (2200, "mg/dL", "cannot"), (2201, "mg/dL", None), (1.2, "mg/dL", None),
])
def test_the_values_questioned_are_those_the_other_unit_could_mean(value, unit, asked):
    said = creatinine_unit_question(value, unit)
    if asked is None:
        assert said is None
    elif asked == "either":
        assert said.startswith("Check the unit on the report:")
    else:
        assert "is not a possible creatinine" in said


def test_a_value_both_units_can_hold_is_questioned_with_both_readings(window, qtbot, context):
    _profile(context, "uk")
    wiz, page = _conditions(window, qtbot)
    page.load({})
    page.creat.setFocus()
    qtbot.keyClicks(page.creat, "15")
    said = page.creat_question.text()
    assert "15 is read as 15 µmol/L (0.17 mg/dL)" in said and "as mg/dL it would be 1326 µmol/L" in said
    page.creat.clear()
    assert not page.creat_question.isVisible()


# --------------------------------------------------------------------------- the handout note
def _pregnant_on(window, qtbot, context, profile):
    _profile(context, profile)
    c = case_dict("P-PREG-NOTE", "Pia Note", 20)
    c["patient"]["pregnancy_weeks"] = 31
    c["medicines"] = [{"name": "ibuprofen 400mg tds"}, {"name": "co-codamol 30/500 2 tablets qds"},
                      {"name": "betnesol"}]
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return _handout_dialog(qtbot, window)


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_handout_note_is_one_readable_item_a_line(window, qtbot, context, profile):
    dialog = _pregnant_on(window, qtbot, context, profile)
    note = dialog.note.text()
    lines = note.splitlines()
    assert len(lines) >= 3, note
    assert all(line.startswith("• ") for line in lines[1:]), note
    assert not re.search(r"\bmed_[a-z_]+", note), "an internal sheet id is shown"
    assert not re.search(r"[.;:]\s*[.;:)]|\.\)", note.replace("...", "")), "doubled punctuation"
    assert "Pregnant (" in note  # the pregnancy is still said
    assert any(line.startswith("• Not offered: ") for line in lines), note  # the NSAID in pregnancy
    if profile == "uk":
        assert "acetaminophen" not in note.lower()
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
