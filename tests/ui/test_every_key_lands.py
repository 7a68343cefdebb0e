"""Every key a clinician types on the intake lands somewhere, or is said not to (gp16 F10).

gp16 (a GP driving the real window by keys) found:

* Alt+L on the Symptoms step focused the Left / Right / Bilateral radios with none chosen,
  and the arrow keys did nothing visible; Space chose Left. A radio group's arrows move and
  choose, so the mnemonic and one key make the choice.
* Y / N / U typed after Next was refused by "Mark at least one region" were dropped without a
  word (the focus sat on the first region box, still on step 2). On the red-flag step the
  answer keys now work wherever the focus is (the banner, Back, Next); anywhere else a letter
  that no field takes is said not typed, with the step it is on.

And from the same audit of the steps and dialogs: Tab follows the reading order with no stop
that shows nothing (the bare step page was one), and a side chosen on the way past
Bilateral no longer leaves "symptoms in both legs: yes" on the red-flag screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QRadioButton

from radiculopathy_desktop.ui.wizard import Page

from .keyboard import focus
from .test_wizard_back_next_keys import alt
from .window_steps import back_to_window, open_decision_dialog, open_visit_dialog


def _intake(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    return window.views["intake"]


def _symptoms(window, qtbot):
    wiz = _intake(window, qtbot)
    wiz._go("symptoms")
    return wiz, wiz.page("symptoms")


def _red_flags(window, qtbot):
    wiz = _intake(window, qtbot)
    wiz._go("red_flags")
    return wiz, wiz.page("red_flags")


def key(qtbot, k, text=None):
    qtbot.keyClick(focus(), k) if text is None else qtbot.keyClick(focus(), text)


# --------------------------------------------------------------------------- the side radios
def test_alt_l_then_right_arrow_chooses_right(window, qtbot):
    wiz, page = _symptoms(window, qtbot)
    page.checklist.setFocus()  # somewhere else on the step
    alt(qtbot, "l")
    assert focus() is page.side.buttons["left"] and page.side.value() is None  # the mnemonic only focuses
    key(qtbot, Qt.Key_Right)
    assert page.side.value() == "right" and focus() is page.side.buttons["right"]
    key(qtbot, Qt.Key_Right)
    assert page.side.value() == "bilateral"
    key(qtbot, Qt.Key_Right)  # the last: stays
    assert page.side.value() == "bilateral" and focus() is page.side.buttons["bilateral"]
    key(qtbot, Qt.Key_Left)
    assert page.side.value() == "right"


def test_alt_l_then_left_arrow_chooses_left(window, qtbot):
    """At the first button with nothing chosen, the arrow towards the edge chooses the button it is on."""
    wiz, page = _symptoms(window, qtbot)
    page.checklist.setFocus()
    alt(qtbot, "l")
    key(qtbot, Qt.Key_Left)
    assert page.side.value() == "left" and focus() is page.side.buttons["left"]


def test_up_and_down_are_left_to_the_page_in_a_row_of_radios(window, qtbot):
    wiz, page = _symptoms(window, qtbot)
    page.side.buttons["left"].setFocus()
    key(qtbot, Qt.Key_Down)
    assert page.side.value() is None


def test_passing_bilateral_does_not_leave_both_legs_answered_yes(window, qtbot):
    """Bilateral answers "symptoms in both legs: yes"; a side chosen after it takes that back to
    what it was (unanswered here), so an arrow on the way past Bilateral records nothing."""
    wiz, page = _symptoms(window, qtbot)
    both = wiz.page("red_flags").groups["bilateral_leg_symptoms"]
    page.side.buttons["right"].setFocus()
    key(qtbot, Qt.Key_Right)
    assert page.side.value() == "bilateral" and both.value() == "yes"
    key(qtbot, Qt.Key_Left)
    assert page.side.value() == "right" and both.value() is None


def test_an_answer_given_before_bilateral_comes_back(window, qtbot):
    wiz, page = _symptoms(window, qtbot)
    both = wiz.page("red_flags").groups["bilateral_leg_symptoms"]
    both.set_value("unknown")
    page.side.buttons["right"].setFocus()
    key(qtbot, Qt.Key_Right)
    assert both.value() == "yes"
    key(qtbot, Qt.Key_Left)
    assert both.value() == "unknown"


def test_a_yes_given_by_hand_after_bilateral_stays(window, qtbot):
    wiz, page = _symptoms(window, qtbot)
    both = wiz.page("red_flags").groups["bilateral_leg_symptoms"]
    page.side.buttons["right"].setFocus()
    key(qtbot, Qt.Key_Right)  # bilateral: yes, set by the side
    wiz._go("red_flags")
    both.buttons["no"].setFocus()
    key(qtbot, Qt.Key_N)
    both.buttons["yes"].setFocus()
    key(qtbot, Qt.Key_Y)  # the clinician's own yes
    wiz._go("symptoms")
    page.side.buttons["bilateral"].setFocus()
    key(qtbot, Qt.Key_Left)
    assert page.side.value() == "right" and both.value() == "yes"


# --------------------------------------------------------------------------- the red-flag step
def test_arrows_on_an_unanswered_red_flag_move_but_never_answer(window, qtbot):
    """Unknown is never no: moving through a question does not answer it; Space or Y/N/U does."""
    wiz, page = _red_flags(window, qtbot)
    first = next(iter(page.groups.values()))
    assert focus() is first.buttons["yes"]
    key(qtbot, Qt.Key_Right)
    assert focus() is first.buttons["no"] and first.value() is None
    key(qtbot, Qt.Key_Right)
    assert focus() is first.buttons["unknown"] and first.value() is None
    key(qtbot, Qt.Key_Space)
    assert first.value() == "unknown"
    key(qtbot, Qt.Key_Left)  # answered: the arrow now changes the answer, as in any radio group
    assert first.value() == "no"


def test_answer_keys_work_with_the_focus_on_next(window, qtbot):
    wiz, page = _red_flags(window, qtbot)
    groups = list(page.groups.values())
    wiz.next_button.setFocus(Qt.TabFocusReason)
    key(qtbot, Qt.Key_Y)
    assert groups[0].value() == "yes"
    assert groups[1].isAncestorOf(focus())  # on to the next unanswered question
    wiz.back_button.setFocus(Qt.TabFocusReason)
    key(qtbot, Qt.Key_N)
    assert groups[1].value() == "no" and groups[2].isAncestorOf(focus())
    for _ in groups[2:]:
        wiz.next_button.setFocus(Qt.TabFocusReason)
        key(qtbot, Qt.Key_U)
    assert page.flag_screen.unanswered() == []
    assert focus() is wiz.next_button
    answers = page.answers()
    key(qtbot, Qt.Key_Y)  # all answered: nothing changes, and it is said how to change one
    assert page.answers() == answers
    assert "Every red-flag question is answered" in wiz.page_error.text()
    assert wiz.index == wiz.page_index["red_flags"]


def test_answer_keys_work_with_the_focus_on_the_banner(window, qtbot):
    wiz, page = _red_flags(window, qtbot)
    groups = list(page.groups.values())
    key(qtbot, Qt.Key_Y)  # saddle anaesthesia: yes, the emergency banner shows
    assert wiz.banner.isVisible()
    wiz.banner.setFocus(Qt.TabFocusReason)
    assert focus() is wiz.banner
    key(qtbot, Qt.Key_N)
    assert groups[1].value() == "no" and groups[2].isAncestorOf(focus())


def test_a_skipped_question_is_the_one_a_key_answers(window, qtbot):
    wiz, page = _red_flags(window, qtbot)
    groups = list(page.groups.values())
    groups[1].buttons["yes"].setFocus()
    key(qtbot, Qt.Key_N)  # the second answered first, from the question itself
    wiz.next_button.setFocus(Qt.TabFocusReason)
    key(qtbot, Qt.Key_U)  # from Next: the first unanswered, the first question
    assert groups[0].value() == "unknown" and groups[1].value() == "no"
    assert groups[2].isAncestorOf(focus())


def test_another_letter_on_the_red_flag_step_is_said(window, qtbot):
    wiz, page = _red_flags(window, qtbot)
    wiz.next_button.setFocus(Qt.TabFocusReason)
    key(qtbot, Qt.Key_X, "x")
    assert page.answers() == {}
    assert "answers nothing here" in wiz.page_error.text() and "Y yes, N no, U unknown" in wiz.page_error.text()


# --------------------------------------------------------------------------- a key no field takes
def test_keys_after_a_refused_next_are_said_not_typed_with_the_step(window, qtbot):
    """gp16 F10: Next refused ("Mark at least one region"), the focus on the first region box,
    then Y typed for the red-flag step that never came."""
    wiz, page = _symptoms(window, qtbot)
    page.side.buttons["left"].setFocus()
    key(qtbot, Qt.Key_Space)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next
    assert wiz.index == wiz.page_index["symptoms"]
    assert focus() is next(iter(page.checklist.boxes.values()))
    key(qtbot, Qt.Key_Y, "y")
    said = wiz.page_error.text()
    assert "“y” was not typed" in said and "Symptoms in: Buttock" in said
    assert "step 2 of 7: Symptoms" in said and "1 thing to fix" in said
    assert page.regions == set() and wiz.index == wiz.page_index["symptoms"]
    assert wiz.page("red_flags").answers() == {}


def test_a_letter_typed_into_a_field_is_typed_not_said(window, qtbot):
    wiz = _intake(window, qtbot)
    qtbot.keyClicks(focus(), "P-Y")
    assert wiz.page("patient").pid.text() == "P-Y" and wiz.page_error.isHidden()


# --------------------------------------------------------------------------- Tab order
def _tab_chain(qtbot, top, body, start, limit=250):
    """Tab from ``start`` until it comes back to it; the widgets passed, each with its place in
    ``body`` (None when outside it)."""
    start.setFocus(Qt.TabFocusReason)
    seen = []
    for _ in range(limit):
        w = focus()
        at = w.mapTo(body, QPoint(0, 0)) if body.isAncestorOf(w) else None
        seen.append((w, at))
        qtbot.keyClick(w, Qt.Key_Tab)
        if focus() is start:
            return seen
    raise AssertionError(f"Tab never came back to {start!r}: a trap at {focus()!r}")


def _out_of_order(seen) -> list[str]:
    """Fields of the form reached by Tab above (or left of, on the same row) the one before."""
    out = []
    placed = [(w, at) for w, at in seen if at is not None]
    for (a, pa), (b, pb) in zip(placed, placed[1:]):
        if pb.y() < pa.y() - 6 or (abs(pb.y() - pa.y()) <= 6 and pb.x() <= pa.x()):
            out.append(f"{b.accessibleName()!r} comes after {a.accessibleName()!r}")
    return out


def test_tab_follows_the_reading_order_on_every_step_and_stops_only_where_focus_shows(window, qtbot):
    wiz = _intake(window, qtbot)
    found = []
    for n, page in enumerate(wiz.pages[:-1]):
        wiz._go(n)
        seen = _tab_chain(qtbot, wiz, page.widget(), focus())
        found += [f"step {n + 1}: {p}" for p in _out_of_order(seen)]
        found += [f"step {n + 1}: Tab stops on the bare {type(w).__name__}, which shows no focus" for w, _ in seen
                  if isinstance(w, Page)]
        assert wiz.next_button in [w for w, _ in seen], f"step {n + 1}: Tab never reaches Next"
    assert not found, "\n".join(found)


def test_tab_follows_the_reading_order_in_the_visit_and_decision_dialogs(window, qtbot):
    found = []
    visit = open_visit_dialog(window, qtbot, "P-DUE-case")
    visit.rescreen.setChecked(True)
    seen = _tab_chain(qtbot, visit, visit.body, focus())
    found += [f"visit: {p}" for p in _out_of_order(seen)]
    assert [w for w, _ in seen][-2:] == [visit.buttons.button(b) for b in (QDialogButtonBox.Save, QDialogButtonBox.Cancel)]
    visit.discard()
    back_to_window(qtbot, visit, window)
    decision = open_decision_dialog(window, qtbot, "P-DUE-case")
    decision.kind.buttons["continue_conservative_care"].setChecked(True)
    seen = _tab_chain(qtbot, decision, decision.body, focus())
    found += [f"decision: {p}" for p in _out_of_order(seen)]
    assert decision.until in [w for w, _ in seen]
    decision.discard()
    assert not found, "\n".join(found)


def test_decision_arrow_keys_choose(window, qtbot):
    decision = open_decision_dialog(window, qtbot, "P-DUE-case")
    first, second = list(decision.kind.buttons)[:2]
    assert focus() is decision.kind.buttons[first] and decision.choice() is None
    key(qtbot, Qt.Key_Down)
    assert decision.choice() == second
    key(qtbot, Qt.Key_Up)
    assert decision.choice() == first
    assert isinstance(focus(), QRadioButton)
    decision.discard()
    QApplication.processEvents()
