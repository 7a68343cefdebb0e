"""The open-case and Save questions name the intake being typed as "this intake (not saved
yet)", with the date its record means (gp21 F7): they said "case P-MIA-2026-11-18 records
pregnant, 33 weeks at the intake of 2026-12-01" for an intake Cancel would never record, under
an ID carrying the onset date beside the visit date. A stored case is still named by its ID.
Driven by keys, offscreen, in the suite's tmp data folder."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus
from .test_intake_open_case import _back_to, _open_intake, _question, _ready_intake
from .test_intake_pregnancy_carried import _pregnancy_question, _type_pregnant_patient


def _stored_not_pregnant(context) -> str:
    """P-MIA's open case, recording "not pregnant" at its intake today."""
    data = case_dict("P-MIA", "Nico Nofollow", 0, red_flags=NO_FLAGS)
    data["patient"]["pregnant"] = False
    context.store.import_cases([parse_case(data)], user="test")
    return data["case_id"]


def test_the_open_case_question_names_the_typed_intake_as_not_saved(window, qtbot, context):
    old = _stored_not_pregnant(context)
    wiz = _open_intake(window, qtbot)
    _type_pregnant_patient(qtbot, wiz, pid="P-MIA", weeks="33")
    box = _question(qtbot, wiz)
    text = box.text()
    assert f"this intake (not saved yet) records pregnant, 33 weeks on its visit date, {TODAY.isoformat()}" in text
    assert f"case {old} records her not pregnant that day" in text  # the stored case keeps its ID
    assert "case P-MIA-2026" not in text.replace(f"case {old}", "")  # the typed intake has no case ID here
    qtbot.keyClick(box, Qt.Key_Escape)  # Cancel: nothing is recorded
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    _back_to(qtbot, window)


def test_the_save_question_names_the_typed_intake_as_not_saved(window, qtbot, context):
    old = _stored_not_pregnant(context)
    wiz = _open_intake(window, qtbot)
    data = _ready_intake("P-MIA")
    data["patient"]["pregnancy_weeks"] = 33
    wiz.load(data)
    wiz._go(len(wiz.pages) - 1)
    count = context.store.case_count()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)  # Start a &new episode
    box = _pregnancy_question(qtbot, wiz)
    text = box.text()
    assert f"this intake (not saved yet) records pregnant, 33 weeks on its visit date, {TODAY.isoformat()}" in text
    assert f"case {old} records her not pregnant that day" in text
    qtbot.keyClick(box, Qt.Key_Escape)  # Go back: nothing saved
    qtbot.waitUntil(lambda: wiz.pregnancy_question is None)
    assert context.store.case_count() == count
