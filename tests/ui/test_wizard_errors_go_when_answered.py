"""An error shown by Next goes as soon as it is answered (keyboard walk-through, ui11).

Walking the intake with the keyboard only: Alt+N on the Symptoms step with nothing chosen
shows "Choose the side of the leg symptoms", "Mark at least one region ..." and "2 things to
fix on this step". Choosing Left (Alt+L, Space) and ticking a region (Space) left all three on
screen until the next Alt+N: a clinician reads "Choose the side" beside the side just chosen
and wonders whether the key press was taken. Now each goes when answered, the count follows,
and nothing new is said while typing (a half-typed date is not called wrong before Next).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from .conftest import TODAY
from .keyboard import focus, tab_until
from .test_wizard_back_next_keys import _wizard, alt


def _shown(label) -> bool:
    return not label.isHidden() and bool(label.text())


def _first_step_by_keys(qtbot, wiz, pid="KB-ERR"):
    p = wiz.pages[0]
    qtbot.keyClicks(focus(), pid)
    tab_until(qtbot, lambda w: w is p.age)
    qtbot.keyClicks(focus(), "40")
    tab_until(qtbot, lambda w: w is p.onset)
    qtbot.keyClicks(focus(), (TODAY - dt.timedelta(days=20)).isoformat())
    alt(qtbot, "n")
    assert wiz.index == 1


def test_the_symptoms_step_errors_go_as_the_side_and_a_region_are_chosen_by_keyboard(window, qtbot):
    wiz = _wizard(window, qtbot)
    _first_step_by_keys(qtbot, wiz)
    page = wiz.pages[1]
    alt(qtbot, "n")  # nothing chosen yet
    assert wiz.index == 1
    side_error, regions_error = page.form.errors["side"], page.form.errors["regions"]
    assert _shown(side_error) and "Choose the side" in side_error.text()
    assert _shown(regions_error)
    assert "2 things to fix" in wiz.page_error.text()
    alt(qtbot, "l")  # to the side
    qtbot.keyClick(focus(), Qt.Key_Space)  # Left
    assert page.side.value() == "left"
    assert not _shown(side_error)  # answered: gone at once
    assert _shown(regions_error)
    assert "1 thing to fix" in wiz.page_error.text()
    box = tab_until(qtbot, lambda w: w in page.checklist.findChildren(type(w)) and hasattr(w, "isChecked"))
    qtbot.keyClick(box, Qt.Key_Space)
    assert page.regions
    assert not _shown(regions_error) and not _shown(wiz.page_error)
    alt(qtbot, "n")
    assert wiz.index == 2


def test_a_wrong_date_stays_named_until_it_is_right_and_nothing_new_is_said_while_typing(window, qtbot):
    wiz = _wizard(window, qtbot)
    p = wiz.pages[0]
    qtbot.keyClicks(focus(), "KB-DATE")
    tab_until(qtbot, lambda w: w is p.birth)
    qtbot.keyClicks(focus(), "31/12/1970")  # refused: only YYYY-MM-DD and the month in words are read
    tab_until(qtbot, lambda w: w is p.onset)
    qtbot.keyClicks(focus(), (TODAY - dt.timedelta(days=20)).isoformat())
    alt(qtbot, "n")
    assert wiz.index == 0
    birth_error = next(label for key, label in p.form.errors.items() if key.endswith("birth_date"))
    assert _shown(birth_error)
    # the clinician goes back to the birth date and retypes it, one key at a time
    p.birth.setFocus()
    p.birth.selectAll()
    qtbot.keyClicks(p.birth, "1970-12")  # typed over the wrong text
    assert _shown(birth_error)  # not a date yet: still named, as what is there now
    assert "1970-12" in birth_error.text() and "31/12/1970" not in birth_error.text()
    qtbot.keyClicks(p.birth, "-31")
    assert not _shown(birth_error) and not _shown(wiz.page_error)
    # typing elsewhere now says nothing new until Next
    p.onset.setFocus()
    p.onset.end(False)
    qtbot.keyClick(p.onset, Qt.Key_Backspace)
    qtbot.keyClick(p.onset, Qt.Key_Backspace)  # "2026-02-": not a date
    assert p.onset.day() is None
    assert not any(_shown(label) for label in p.form.errors.values())
    alt(qtbot, "n")
    assert wiz.index == 0 and any(_shown(label) for label in p.form.errors.values())


def test_answering_the_last_red_flag_question_by_letter_moves_on_to_next_not_start_over(window, qtbot):
    """N answers and moves to the next question; after the last one the focus went on to Start
    over (the next in Tab order), so the next Space asked to discard the intake. Now it is Next."""
    wiz = _wizard(window, qtbot)
    _first_step_by_keys(qtbot, wiz, pid="KB-FLAGS")
    page = wiz.pages[1]
    alt(qtbot, "l")
    qtbot.keyClick(focus(), Qt.Key_Space)
    box = tab_until(qtbot, lambda w: w in page.checklist.findChildren(type(w)) and hasattr(w, "isChecked"))
    qtbot.keyClick(box, Qt.Key_Space)
    alt(qtbot, "n")
    assert wiz.index == 2
    flags = wiz.pages[2]
    questions = list(flags.groups.values())
    for n, group in enumerate(questions):
        assert focus() in group.buttons.values(), f"question {n + 1} should have the focus"
        qtbot.keyClick(focus(), Qt.Key_N)
    assert all(g.value() == "no" for g in questions)
    assert focus() is wiz.next_button  # not wiz.discard_button
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert wiz.index == 3
