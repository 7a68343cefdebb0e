"""A new intake's patient ID that looks the same as a different stored one (an all-Cyrillic copy
"РТ-100" of "PT-100", or "PT-1OO" with capital O's) is refused at Next beside the field, naming
the stored ID, and kept as typed; the stored ID itself (a new episode of that patient) and an ID
that differs visibly go on. Save checks again, the case ID too, as the store may have changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import case_dict
from .keyboard import focus
from .window_steps import intake_first_step, retype


@pytest.fixture
def stored_pt100(context):
    context.store.import_cases([parse_case(case_dict("PT-100", "Alex Example", 40))], user="test")
    return "PT-100"


@pytest.mark.parametrize("typed, paste", [("\u0420\u0422-100", ("pid",)), ("PT-1OO", ())],
                         ids=["cyrillic-pasted", "letter-o-typed"])
def test_a_patient_id_like_a_stored_one_is_refused_at_next_naming_it(window, qtbot, stored_pt100, typed, paste):
    wiz, page = intake_first_step(window, qtbot, typed, "Alex Example", paste=paste)
    assert wiz.index == 0
    error = page.form.errors["patient.id"]
    assert error.isVisible()
    assert f"Patient ID {typed} looks the same as the patient ID PT-100 already in the tracker" in error.text()
    assert page.pid.text() == typed  # nothing typed is lost
    retype(qtbot, page.pid, "PT-101")  # an ID that differs visibly
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, {k: v.text() for k, v in page.form.errors.items() if v.text()}


def test_the_stored_patient_id_itself_goes_on(window, qtbot, stored_pt100):
    """No look-alike refusal; its case being open, the intake asks about it first (gp14 G10)."""
    from .test_intake_open_case import _question

    wiz, page = intake_first_step(window, qtbot, "PT-100", "Alex Example")
    assert not any(v.text() for v in page.form.errors.values())
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)  # a new episode, deliberately
    qtbot.waitUntil(lambda: wiz.index == 1)


def test_save_refuses_an_id_stored_after_next_and_keeps_the_intake(window, qtbot, context):
    """Another clinician saved PT-100 while this intake was typed with its copy: Save refuses."""
    from .test_wizard import _ready_intake

    wiz = window.show_view("intake")
    data = _ready_intake("\u0420\u0422-100")
    wiz.load(data)
    context.store.import_cases([parse_case(case_dict("PT-100", "Alex Example", 40))], user="test")
    count = context.store.case_count()
    wiz._go(len(wiz.pages) - 1)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    assert context.store.case_count() == count
    assert wiz.index == 0 and wiz.pages[0].pid.text() == "\u0420\u0422-100"
    error = wiz.pages[0].form.errors["patient.id"]
    assert error.isVisible() and "looks the same as the patient ID PT-100 already in the tracker" in error.text()


def test_save_refuses_a_case_id_like_a_stored_one(window, qtbot, context):
    """An older tracker could store PT-100 and PT-1OO side by side. A new episode of PT-100
    (its own ID: no look-alike) whose case ID (patient ID and onset date) looks the same as
    PT-1OO's case of that onset is refused at Save, naming that case."""
    from .test_wizard import _ready_intake

    data = _ready_intake("PT-100")
    older = dict(case_dict("PT-1OO", "Other Person", 0), case_id=f"PT-1OO-{data['onset_date']}")
    context.store.import_cases([parse_case(case_dict("PT-100", "Sam Saved", 400)), parse_case(older)], user="test")
    wiz = window.show_view("intake")
    data["onset_date"] = older["onset_date"]
    wiz.load(data)
    count = context.store.case_count()
    wiz._go(len(wiz.pages) - 1)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    assert context.store.case_count() == count
    assert wiz.index == 0 and wiz.pages[0].pid.text() == "PT-100"
    said = f"case ID PT-100-{older['onset_date']} looks the same as the case ID {older['case_id']} already in the tracker"
    assert said in wiz.page_error.text()
