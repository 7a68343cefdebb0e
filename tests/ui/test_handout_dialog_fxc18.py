"""The handout dialog (fxc18): under uk the sheet list names paracetamol as the printed sheet
does (gp18 F7: the list said "Your medicine: acetaminophen (paracetamol)" and the sheet
"Your medicine: paracetamol"); under us the list keeps the US name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import exports


def _open_dialog(window, qtbot, context, profile):
    from radiculopathy_desktop.domain.intake import parse_case

    from .conftest import case_dict
    context.set_profile(profile)
    data = case_dict("P-APAP", "Pat Paracetamol", 21)
    data["medicines"] = [{"name": "paracetamol", "daily_dose_mg": 3000}]
    context.store.import_cases([parse_case(data)], user="test")
    window.open_case("P-APAP-case")
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)
    dialog = window.patient_view.findChildren(exports.HandoutDialog)[-1]
    qtbot.waitExposed(dialog)
    return dialog


def _titles(dialog):
    return [dialog.sheets.item(i).text() for i in range(dialog.sheets.count())]


@pytest.mark.parametrize("profile, says, never", [
    ("uk", "Your medicine: paracetamol", "acetaminophen"),
    ("us", "Your medicine: acetaminophen (paracetamol)", None),
])
def test_the_sheet_list_names_the_medicine_as_the_sheet_prints_it(window, qtbot, context, profile, says, never):
    dialog = _open_dialog(window, qtbot, context, profile)
    titles = _titles(dialog)
    assert any(t.startswith(says) for t in titles), titles
    if never:
        assert not any(never in t.lower() for t in titles), titles
        assert never not in dialog.note.text().lower()
    dialog.close()
