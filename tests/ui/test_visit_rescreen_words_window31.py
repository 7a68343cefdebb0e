"""window31 (GP tryout): the case's record of visits said "red flags re-asked: none" when every red
flag was re-asked and answered no, which reads as none asked. Now: every question answered no is
said so, a visit that re-asked nothing says "not re-asked", and a yes is named. Driven by keys."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.visits import rescreen_words
from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS

from .keyboard import answer_by_keyboard, focus, tab_until
from .window_steps import back_to_window, open_visit_dialog


def _visit_detail(window, qtbot) -> str:
    window.open_case("P-NFU-case")
    table = window.patient_view.timeline.table
    rows = [(table.item(r, 2).text(), table.item(r, 5).text()) for r in range(table.rowCount())]
    visits = [detail for what, detail in rows if what == "Follow-up visit"]
    assert len(visits) == 1
    return visits[0]


def _record_visit(window, qtbot, answers: dict[str, str] | None):
    dialog = open_visit_dialog(window, qtbot, "P-NFU-case")
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert focus() is dialog.leg
    qtbot.keyClicks(dialog.leg, "5")
    if answers is not None:
        tab_until(qtbot, lambda w: w is dialog.rescreen)
        qtbot.keyClick(dialog.rescreen, Qt.Key_Space)
        for key, answer in answers.items():
            answer_by_keyboard(qtbot, dialog.flag_screen.groups[key], answer)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    back_to_window(qtbot, dialog, window)


def test_every_red_flag_answered_no_is_said_so_not_none(window, qtbot, context):
    _record_visit(window, qtbot, {k: "no" for k in RED_FLAG_QUESTIONS})
    (visit,) = context.store.get_case("P-NFU-case").visits
    assert set(visit.red_flags.values()) == {"no"} and len(visit.red_flags) == len(RED_FLAG_QUESTIONS)
    detail = _visit_detail(window, qtbot)
    assert f"red flags re-asked (all {len(RED_FLAG_QUESTIONS)}): all answered no" in detail
    assert "none" not in detail


def test_a_visit_that_did_not_re_ask_says_not_re_asked(window, qtbot):
    _record_visit(window, qtbot, None)
    detail = _visit_detail(window, qtbot)
    assert "red flags not re-asked" in detail and "answered no" not in detail


def test_a_yes_is_named_and_the_rest_counted(window, qtbot):
    _record_visit(window, qtbot, {"fever": "yes", "history_of_cancer": "no", "night_or_rest_pain": "unknown"})
    detail = _visit_detail(window, qtbot)
    assert ("red flags re-asked (3 of %d): YES to %s, not known: %s, 1 answered no"
            % (len(RED_FLAG_QUESTIONS), RED_FLAG_QUESTIONS["fever"], RED_FLAG_QUESTIONS["night_or_rest_pain"])) in detail


def test_rescreen_words_boundaries():
    total = len(RED_FLAG_QUESTIONS)
    assert rescreen_words({}) == rescreen_words(None) == "red flags not re-asked"
    assert rescreen_words({"fever": "no"}) == f"red flags re-asked (1 of {total}): answered no"
    some = dict.fromkeys(list(RED_FLAG_QUESTIONS)[: total - 1], "no")
    assert rescreen_words(some) == f"red flags re-asked ({total - 1} of {total}): all answered no"
    assert rescreen_words({"fever": "unknown"}).endswith("not known: " + RED_FLAG_QUESTIONS["fever"])
