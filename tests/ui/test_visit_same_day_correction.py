"""The visit dialog follows import's rule for a same-day red-flag "No" (tryout36 F1, H-UI-550):
a No to a red flag the intake of the same day answers Yes asks to CORRECT it, naming the flag
and that the EMERGENCY is cleared; Go back (the default) saves nothing; Correct saves the visit
with the correction and the user in its notes. Cauda equina: NICE NG59 / GIRFT (the triage data)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from .conftest import case_dict
from .keyboard import answer_by_keyboard, tab_until
from .window_steps import open_visit_dialog, worklist_status


def _same_day_case(context):
    from radiculopathy_desktop.domain.intake import parse_case

    context.store.import_cases([parse_case(case_dict("P-CES", "Cara Same", 0,
                                                     red_flags={"saddle_anaesthesia": "yes"}))], user="test")


def _save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)


def _second_visit_of_the_day(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.same_day_box is not None and dialog.same_day_box.isVisible())
    second = next(b for b in dialog.same_day_box.buttons() if "second visit" in b.text())
    qtbot.mouseClick(second, Qt.LeftButton)


def test_same_day_no_asks_to_correct_and_go_back_saves_nothing(window, qtbot, context):
    _same_day_case(context)
    dialog = open_visit_dialog(window, qtbot, "P-CES-case")
    dialog.date.setFocus()
    tab_until(qtbot, lambda w: w is dialog.rescreen)
    qtbot.keyClick(dialog.rescreen, Qt.Key_Space)
    answer_by_keyboard(qtbot, dialog.flag_screen.groups["saddle_anaesthesia"], "no")
    _save(qtbot, dialog)
    _second_visit_of_the_day(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.correct_box is not None and dialog.correct_box.isVisible())
    box = dialog.correct_box
    assert "Saddle" in box.text() and "(EMERGENCY)" in box.text()
    assert "the EMERGENCY it raises is cleared" in box.text() and "the Yes stands" in box.text()
    assert box.defaultButton().text() == "&Go back"
    qtbot.keyClick(box, Qt.Key_Return)  # the default: nothing saved, what was typed kept
    qtbot.waitUntil(lambda: dialog.correct_box is None)
    assert dialog.isVisible() and context.store.get_case("P-CES-case").visits == ()
    assert dialog.rescreened() == {"saddle_anaesthesia": "no"}
    assert worklist_status(window, "P-CES-case") == "Immediate"
    dialog.close()


def test_correcting_saves_the_no_with_the_correction_kept(window, qtbot, context):
    _same_day_case(context)
    dialog = open_visit_dialog(window, qtbot, "P-CES-case")
    dialog.date.setFocus()
    tab_until(qtbot, lambda w: w is dialog.rescreen)
    qtbot.keyClick(dialog.rescreen, Qt.Key_Space)
    answer_by_keyboard(qtbot, dialog.flag_screen.groups["saddle_anaesthesia"], "no")
    _save(qtbot, dialog)
    _second_visit_of_the_day(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.correct_box is not None and dialog.correct_box.isVisible())
    correct = next(b for b in dialog.correct_box.buttons() if b.text() == "&Correct: clear the red flag")
    qtbot.mouseClick(correct, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.clear_box is None  # asked once, as a correction
    visit = context.store.get_case("P-CES-case").visits[-1]
    assert visit.red_flags == {"saddle_anaesthesia": "no"}
    assert "Red-flag correction" in visit.notes and f"by {context.user}" in visit.notes
    assert "(EMERGENCY)" in visit.notes
    assert worklist_status(window, "P-CES-case") != "Immediate"
