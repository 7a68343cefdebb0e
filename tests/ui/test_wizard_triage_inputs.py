"""The intake as a clinician types it: both legs answer the both-legs red flag; the
examination records sensation and upper motor neurone signs (issue 12 sections 4 and 8)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import ValidationError, parse_case

from .keyboard import focus
from .test_wizard import fill_patient_page, next_step, open_wizard, open_wizard_loaded


def test_ticking_both_legs_answers_the_both_legs_question(window, qtbot):
    wiz = open_wizard(window, qtbot)
    fill_patient_page(qtbot, wiz, pid="P-BOTH")
    page = wiz.pages[1]
    assert focus() is page.side.buttons["left"]
    for _ in range(3):
        if focus() is page.side.buttons["bilateral"]:
            break
        qtbot.keyClick(focus(), Qt.Key_Right)
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert page.side.value() == "bilateral"
    red = wiz.pages[2]
    assert red.groups["bilateral_leg_symptoms"].value() == "yes"
    page.load({"side": "bilateral", "regions": ["buttock", "posterior_calf"]})
    next_step(qtbot, wiz)
    assert wiz.index == 2
    assert red.banner.isVisible() and "EMERGENCY" in red.banner.text()
    assert "both legs" in red.banner.text()


def test_a_one_sided_side_leaves_the_question_to_the_clinician(window, qtbot):
    wiz = open_wizard(window, qtbot)
    fill_patient_page(qtbot, wiz, pid="P-ONE")
    qtbot.keyClick(focus(), Qt.Key_Space)  # Left
    assert wiz.pages[1].side.value() == "left"
    assert wiz.pages[2].groups["bilateral_leg_symptoms"].value() is None  # never answered for them


def test_examination_records_sensation_plantar_and_clonus(window, qtbot):
    wiz = open_wizard_loaded(window, qtbot, "P-EXAM", 40)
    wiz._go(3)
    exam = wiz.pages[3]
    assert exam.isVisible()
    for box, wanted in ((exam.sensation, "reduced"), (exam.plantar, "extensor"), (exam.clonus, "present")):
        box.setFocus()
        for key in (Qt.Key_Up, Qt.Key_Down):  # "Not tested" is last: walk up, then down
            for _ in range(box.count()):
                if box.currentData() == wanted:
                    break
                qtbot.keyClick(box, key)
    data = exam.data()["examination"]
    assert (data["sensation"], data["plantar"], data["clonus"]) == ("reduced", "extensor", "present")
    # not tested is left out of the record, as the case format documents
    exam.load({"examination": {}})
    assert "plantar" not in exam.data()["examination"]
    exam.load({"examination": data})
    assert exam.plantar.currentData() == "extensor"


def test_the_format_rejects_bilateral_with_the_answer_no():
    """What the wizard would save if a clinician ticked both legs and then answered No."""
    from .conftest import case_dict
    data = case_dict("P-X", "Invented", 10)
    data["side"] = "bilateral"
    try:
        parse_case(data)
    except ValidationError as exc:
        assert [e.field for e in exc.errors] == ["red_flags.bilateral_leg_symptoms"]
    else:
        raise AssertionError("side bilateral with bilateral_leg_symptoms no must not validate")
