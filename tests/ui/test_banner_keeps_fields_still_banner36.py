"""A banner that comes, grows, shrinks or goes while a form is filled in does not move the fields
under the pointer (tryout36 F7, H-UI-554).

In the tryout, answering a red-flag question added or removed lines of the "what to do now"
banner above the questions and every row moved by 14-28 px; typing an MRC grade of 3 added a
banner line on the Examination step, and a 3 aimed at plantar flexion went into great-toe
extension (a severe-deficit red flag saved silently). Now the banner's room never shrinks while
the step (or dialog) is on screen, and when it grows the form scrolls as far: each test records
where a field below the banner is on the screen, types answers that make the banner appear, grow,
shrink and go, and checks after each that the field has not moved. Driven with the keys a
clinician uses (Y / N / U on the red-flag questions, digits in the grade boxes)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QScrollArea

from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS

from .keyboard import focus, tab_until, type_here
from .window_steps import intake_first_step
from .window_steps import open_visit_dialog

ASKED = "new_sexual_dysfunction"  # a cauda equina question midway down: clicked where the pointer is


def _click(qtbot, group, code):
    """A click on the answer where it is on the screen now, as the tryout's clinician did: in
    sight, not under the banner."""
    button = group.buttons[code]
    area = button.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    view = QRect(area.viewport().mapToGlobal(QPoint(0, 0)), area.viewport().size())
    assert view.top() <= _where(button).y() and _where(button).y() + button.height() <= view.bottom() + 1
    qtbot.mouseClick(button, Qt.LeftButton)
    assert group.value() == code


def _where(widget) -> QPoint:
    return widget.mapToGlobal(QPoint(0, 0))


def _to_red_flags(window, qtbot, pid: str):
    wiz, _page = intake_first_step(window, qtbot, pid, "Stella Still")
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # Which leg
    qtbot.keyClick(focus(), Qt.Key_Space)  # Left
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)  # no region yet: the focus goes to the first
    qtbot.keyClick(focus(), Qt.Key_Space)
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)
    assert wiz.index == wiz.page_index["red_flags"]
    return wiz, wiz.page("red_flags")


def _still(qtbot, widget, where: QPoint) -> None:
    qtbot.wait(30)  # anything queued by the layout has run: the field stays put after it too
    assert _where(widget) == where


def test_red_flag_answers_do_not_move_the_questions_below_the_banner(window, qtbot):
    wiz, page = _to_red_flags(window, qtbot, "STILL-1")
    keys = list(RED_FLAG_QUESTIONS)
    below = page.groups[keys[-1]]  # the last question: below the banner, whatever its length
    where = _where(below)
    assert not wiz.banner.isVisible()
    asked, later = page.groups[ASKED], page.groups["fever"]
    here = _where(later)
    _click(qtbot, asked, "unknown")  # appears: not excluded, ask now
    assert wiz.banner.isVisible() and "not been excluded" in wiz.banner.text()
    _still(qtbot, below, where)
    _still(qtbot, later, here)
    unknown_height = wiz.banner.height()
    _click(qtbot, later, "yes")  # changes: an urgent flag too, its actions
    assert wiz.banner.isVisible() and wiz.banner.height() != unknown_height
    _still(qtbot, below, where)
    _still(qtbot, later, here)
    _click(qtbot, later, "no")  # back to the shorter one
    assert "not been excluded" in wiz.banner.text()
    _still(qtbot, below, where)
    _click(qtbot, later, "unknown")
    _click(qtbot, later, "yes")
    _still(qtbot, below, where)
    _still(qtbot, later, here)


def test_a_grade_typed_on_the_examination_step_does_not_move_the_grades_below(window, qtbot):
    """The tryout's case: a grade of 3 adds the banner; the next grade box stays where it was aimed."""
    wiz, page = _to_red_flags(window, qtbot, "STILL-2")
    qtbot.keyClick(focus(), Qt.Key_N)
    for _ in list(RED_FLAG_QUESTIONS)[1:]:  # N answers and moves on
        qtbot.keyClick(focus(), Qt.Key_N)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next: examination
    exam = wiz.page("examination")
    assert wiz.index == wiz.page_index["examination"]
    boxes = list(exam.power.values())
    first, below = boxes[0], boxes[-1]
    where = _where(below)
    first.setFocus()
    type_here(qtbot, "3")  # MRC 3: urgent, the banner comes
    assert wiz.banner.isVisible() and exam.isAncestorOf(wiz.banner)
    _still(qtbot, below, where)
    first.selectAll()
    type_here(qtbot, "4")  # MRC 4: the banner goes
    assert not wiz.banner.isVisible()
    _still(qtbot, below, where)
    first.selectAll()
    type_here(qtbot, "2")
    assert wiz.banner.isVisible()
    _still(qtbot, below, where)


def test_visit_red_flag_answers_do_not_move_the_fields_below_the_banner(window, qtbot):
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    dialog.date.setFocus()
    tab_until(qtbot, lambda w: w is dialog.rescreen)
    qtbot.keyClick(dialog.rescreen, Qt.Key_Space)
    assert dialog.flag_screen.isVisible()
    qtbot.wait(30)  # the dialog grown to the questions shown
    below = dialog.flag_screen.groups[list(RED_FLAG_QUESTIONS)[-1]]
    where = _where(below)
    asked = dialog.flag_screen.groups[ASKED]
    assert not dialog.banner.isVisible()
    _click(qtbot, asked, "yes")  # the emergency banner comes
    assert dialog.banner.isVisible() and "EMERGENCY" in dialog.banner.text()
    _still(qtbot, below, where)
    _click(qtbot, asked, "unknown")  # shorter: not excluded
    assert "not been excluded" in dialog.banner.text()
    _still(qtbot, below, where)
    _click(qtbot, asked, "no")  # goes
    assert not dialog.banner.isVisible()
    _still(qtbot, below, where)
    dialog.close()


def test_the_decision_dialogs_red_flag_warning_does_not_move_the_fields(window, qtbot):
    """The decision dialog's "Red flags standing" warning comes with a closing choice and goes
    with another; the choices and the fields below stay where they were."""
    from .window_steps import open_decision_dialog
    dialog = open_decision_dialog(window, qtbot, "P-RED-case")
    qtbot.wait(30)
    closing, carry_on = dialog.kind.buttons["resolved_discharged"], dialog.kind.buttons["referred_for_surgical_opinion"]
    fields = (closing, carry_on, dialog.by)
    where = [_where(w) for w in fields]
    assert not dialog.red_flag_warning.isVisible()
    qtbot.mouseClick(closing, Qt.LeftButton)  # the warning comes, naming the red flag
    assert dialog.red_flag_warning.isVisible() and "EMERGENCY" in dialog.red_flag_warning.text()
    for widget, place in zip(fields, where):
        _still(qtbot, widget, place)
    qtbot.mouseClick(carry_on, Qt.LeftButton)  # and goes
    assert not dialog.red_flag_warning.isVisible()
    for widget, place in zip(fields, where):
        _still(qtbot, widget, place)
    dialog.close()
