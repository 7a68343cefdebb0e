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


def _rows_shown(dialog) -> int:
    """How many whole rows of the sheet list the clinician sees without scrolling."""
    lst = dialog.sheets
    seen = 0
    for i in range(lst.count()):
        rect = lst.visualItemRect(lst.item(i))
        if rect.top() >= 0 and rect.bottom() <= lst.viewport().height():
            seen += 1
    return seen


@pytest.mark.parametrize("height", [640, 728, 800])
def test_a_long_note_does_not_shrink_the_sheet_list(window, qtbot, context, monkeypatch, height):
    """gp18 F13: with a long note (a sheet not offered, two products taken together, the kidney
    maximum not checked) the "Sheets to print" list showed about four rows, the ticked medicine
    sheets out of sight. The list keeps every sheet (up to ten) in view where the screen has room;
    the note scrolls instead, its end still reachable."""
    from .test_handout_dialog_long_note import LONG, _last_line_visible, _note_area, _shown
    from .test_handout_dialog_notes import _open_patient_on

    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    room = QRect(0, 0, 1366, height)  # a laptop screen less its task bar, and the test screen
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    meds = LONG + [{"name": "co-codamol 30/500 2 tabs qds"}, {"name": "oxycodone", "daily_dose_mg": 40},
                   {"name": "ibuprofen", "daily_dose_mg": 3200}, {"name": "naproxen", "daily_dose_mg": 1000},
                   {"name": "gabapentin", "daily_dose_mg": 3600}]
    dialog = _open_patient_on(window, qtbot, context, "P-TRAM-LIST", meds)
    _shown(dialog, qtbot)
    assert "Taken together although they should not be" in dialog.note.text()
    wanted = min(dialog.sheets.count(), 10)
    assert dialog.sheets.count() >= 6
    assert _rows_shown(dialog) >= wanted, (_rows_shown(dialog), dialog.sheets.count())
    area = _note_area(dialog)
    area.setFocus()
    for _ in range(40):
        if _last_line_visible(dialog):
            break
        qtbot.keyClick(area, Qt.Key_PageDown)
    assert _last_line_visible(dialog)
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
