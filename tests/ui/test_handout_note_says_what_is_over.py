"""The handout dialog's note names exactly what is over its maximum (sheet19 item 1; gp18 F8).

gp18 F8 (Opi-1, Alt+U): the note read "The current dose of Paracetamol, Opioid (including
tramadol) is above this patient's maximum" while paracetamol was 2,400 mg a day and only the
codeine was over; class names were capitalised mid-sentence; and "codeine 30mg qds (dose not
recorded) and tylenol no. 3 2 tabs qds (dose not recorded)" beside an alert that had read both
doses from the names and summed them to 360 mg.

Primary sources (resources/medicines/sources.toml):
- UK codeine SmPC (codeine-phosphate-smpc), section 4.2: "maximum daily dose of codeine should
  not exceed 240 mg" (uk profile); US codeine sulfate label (codeine-sulfate-label): "do not
  exceed 360 mg in 24 hours" (us profile).
- Paracetamol: 4 g a day (acetaminophen label; UK paracetamol SmPC): Tylenol No. 3 2 tablets four
  times a day is 2,400 mg, under it.
Boundaries (uk, codeine read from the names): 240 mg a day (at the maximum: nothing is over) and
360 mg (over); under us 360 is at the maximum.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.ui import exports

from .conftest import case_dict

OPI = [{"name": "codeine 30mg qds"}, {"name": "oxycodone 10mg bd"}, {"name": "Tylenol No. 3 2 tabs qds"}]
AT_MAX_UK = [{"name": "codeine 30mg bd"}, {"name": "Tylenol No. 3 2 tabs tds"}]  # 60 + 180 = 240 mg


def _dialog(window, qtbot, context, profile, meds, pid="P-OPI"):
    context.set_profile(profile)
    data = case_dict(pid, "Mia Two", 21)
    data["medicines"] = meds
    context.store.import_cases([parse_case(data)], user="test")
    window.open_case(f"{pid}-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)  # as the clinician opens it
    dialog = window.patient_view.findChildren(exports.HandoutDialog)[-1]
    qtbot.waitExposed(dialog)
    return dialog


def _close(window, qtbot, dialog):
    qtbot.keyClick(dialog, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(exports.HandoutDialog))


def test_uk_the_note_names_codeine_and_its_limit_never_paracetamol(window, qtbot, context):
    dialog = _dialog(window, qtbot, context, "uk", OPI)
    note = dialog.note.text()
    assert "Codeine 360 mg a day, above this patient's maximum of 240 mg a day: the" in note, note
    assert "paracetamol 2400 mg a day, above" not in note.lower()
    assert "The current dose of" not in note             # the classes were named, not the medicine
    assert "Paracetamol, Opioid" not in note and ", Opioid" not in note  # no capitals mid-sentence
    assert "acetaminophen" not in note.lower()           # the uk profile's name
    assert "dose not recorded" not in note               # both doses were read from the names
    assert "read from the name (qds)" in note and "read from the name (2 tabs qds)" in note
    # since fxh20 (rt21 F1) a sheet's box follows the strongest rating: the paracetamol sheet of
    # Tylenol No. 3, rated Avoid (the codeine in both products adds up; two opioids), asks first
    # whatever the dose, the codeine over its maximum said under that box; the note says so
    assert "yet taken now (codeine 360 mg a day, above this patient's maximum of 240 mg a day" in note, note
    assert "it asks the patient to ask you before the next dose whether to keep taking it" in note
    # since fxl20 the opioid sheet leads with its "taken together" box (codeine and oxycodone,
    # rated Avoid together, stronger than the codeine's Reduce dose); the codeine over its
    # maximum is said under it, and the note says where
    assert ("Codeine 360 mg a day, above this patient's maximum of 240 mg a day: the opioid (including tramadol) "
            "sheet says so under the \"taken together\" box (no \"take no more than\")") in note, note
    _close(window, qtbot, dialog)


def test_us_360_mg_of_codeine_is_at_the_maximum_and_nothing_is_said_over(window, qtbot, context):
    dialog = _dialog(window, qtbot, context, "us", OPI, pid="P-OPI-US")
    note = dialog.note.text()
    assert "above this patient's maximum" not in note, note
    assert "dose not recorded" not in note
    _close(window, qtbot, dialog)


def test_uk_240_mg_of_codeine_is_at_the_maximum_and_nothing_is_said_over(window, qtbot, context):
    dialog = _dialog(window, qtbot, context, "uk", AT_MAX_UK, pid="P-AT-240")
    note = dialog.note.text()
    assert "above this patient's maximum" not in note, note
    assert "dose not recorded" not in note
    _close(window, qtbot, dialog)


@pytest.mark.parametrize("dose, over", [(3600, False), (3700, True)])
def test_a_single_medicine_over_is_named_by_its_ingredient_and_limit(window, qtbot, context, dose, over):
    """Gabapentin: label maximum 3600 mg a day (Neurontin label). At it nothing is over; above it
    the note names gabapentin and both numbers, lower-case mid-sentence."""
    dialog = _dialog(window, qtbot, context, "us", [{"name": "gabapentin", "daily_dose_mg": dose}],
                     pid=f"P-GABA-{dose}")
    note = dialog.note.text()
    said = "Gabapentin 3700 mg a day, above this patient's maximum of 3600 mg a day: the gabapentin or " \
           "pregabalin sheet says so first and gives no starting dose."
    assert (said in note) is over, note
    assert "Gabapentin or pregabalin is above" not in note
    _close(window, qtbot, dialog)
