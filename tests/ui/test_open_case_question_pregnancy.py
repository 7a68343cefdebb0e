"""The first open-case question names a pregnancy difference between the intake typed and a
stored case, in the Save question's own words (gp20 F12, H-UI-385).

gp20: "The typed intake says pregnant 31 weeks; the stored case says not pregnant. [At Next on the
Patient step] the question offers Open case / Start a new episode with no word about pregnancy.
The difference is named only later, at Save." The rule and its words are
``domain.episodes.pregnancy_contradictions`` and ``PregnancyContradiction.text()``, as the Save
question (``IntakeWizard._pregnancy_settled``) shows them: no second phrasing. Both directions:
typed pregnant beside a stored "not pregnant", and typed "not pregnant" beside a stored pregnancy;
and no line when the answers agree, or the typed answer is not given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.episodes import pregnancy_contradictions
from radiculopathy_desktop.domain.intake import parse_case

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus, type_here
from .test_intake_open_case import _back_to, _open_intake, _question

STORED_DAY = TODAY - dt.timedelta(days=7)
TYPED_ONSET = TODAY - dt.timedelta(days=40)  # another onset than the stored case's: the open-case question


def _store_her(context, pregnant: bool | None, weeks: int | None = None):
    data = case_dict("P-PIA", "Pia Parr", 7, red_flags=NO_FLAGS)
    if pregnant is not None:
        data["patient"]["pregnant"] = pregnant
    if weeks is not None:
        data["patient"]["pregnancy_weeks"] = weeks
    context.store.import_cases([parse_case(data)], user="test")
    return context.store.get_case("P-PIA-case")


def _type_her(qtbot, wiz, answer: str, weeks: str = ""):
    """The Patient step by keys: ID, name, age, the pregnancy answer (Y or N), the weeks, onset; Next."""
    assert focus() is wiz.pages[0].pid
    type_here(qtbot, "P-PIA")
    qtbot.keyClick(focus(), Qt.Key_Tab)
    type_here(qtbot, "Pia Parr")
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)  # …or &age in years
    type_here(qtbot, "44")
    if answer:
        qtbot.keyClick(focus(), Qt.Key_R, Qt.AltModifier)  # P&regnant?
        assert focus() is wiz.pages[0].pregnant
        qtbot.keyClick(focus(), Qt.Key_Y if answer == "yes" else Qt.Key_N)
        assert wiz.pages[0].pregnancy_answer() == answer
    if weeks:
        qtbot.keyClick(focus(), Qt.Key_K, Qt.AltModifier)  # Wee&ks of pregnancy
        type_here(qtbot, weeks)
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)  # Symptoms s&tarted on
    type_here(qtbot, TYPED_ONSET.isoformat())
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next


def _as_save_says(stored, answer: str, weeks: int | None) -> list[str]:
    """The Save question's lines for this intake saved as typed: the whole case the wizard would save."""
    data = case_dict("P-PIA", "Pia Parr", 0, red_flags=NO_FLAGS)
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    data["onset_date"] = TYPED_ONSET.isoformat()
    data["patient"]["pregnant"] = answer == "yes"
    if weeks is not None:
        data["patient"]["pregnancy_weeks"] = weeks
    typed = parse_case(data)
    # the intake being typed is "this intake (not saved yet)" in both questions (mmx22, gp21 F7)
    return [replace(c, unsaved_case=typed.case_id).text() + "." for c in pregnancy_contradictions(typed, [stored])]


def _said(box) -> str:
    return box.text() + "\n" + box.informativeText()


def _cancel(qtbot, window, box):
    qtbot.keyClick(box, Qt.Key_Escape)
    _back_to(qtbot, window)


def test_typed_31_weeks_beside_a_stored_not_pregnant_is_named_at_next(window, qtbot, context):
    stored = _store_her(context, pregnant=False)
    wiz = _open_intake(window, qtbot)
    _type_her(qtbot, wiz, "yes", "31")
    box = _question(qtbot, wiz)
    assert wiz.index == 0  # asked at Next on the Patient step, before the other six steps
    expected = _as_save_says(stored, "yes", 31)
    assert len(expected) == 1 and f"case {stored.case_id}" in expected[0]
    said = _said(box)
    assert expected[0] in said, said  # the Save question's words, whole
    assert "records her not pregnant" in expected[0]
    _cancel(qtbot, window, box)


def test_typed_not_pregnant_beside_a_stored_pregnancy_is_named_at_next(window, qtbot, context):
    stored = _store_her(context, pregnant=True, weeks=20)
    wiz = _open_intake(window, qtbot)
    _type_her(qtbot, wiz, "no")
    box = _question(qtbot, wiz)
    expected = _as_save_says(stored, "no", None)
    assert len(expected) == 1 and "21 weeks" in expected[0]  # 20 weeks a week ago: 21 on the intake's day
    assert expected[0] in _said(box), _said(box)
    _cancel(qtbot, window, box)


def test_answers_that_agree_or_no_answer_add_no_line(window, qtbot, context):
    _store_her(context, pregnant=False)
    wiz = _open_intake(window, qtbot)
    _type_her(qtbot, wiz, "no")  # not pregnant on both: two "no" answers never contradict
    box = _question(qtbot, wiz)
    assert "pregnancy differs" not in _said(box).lower()
    _cancel(qtbot, window, box)


def test_pregnancy_not_asked_at_the_intake_adds_no_line(window, qtbot, context):
    _store_her(context, pregnant=True, weeks=20)
    wiz = _open_intake(window, qtbot)
    _type_her(qtbot, wiz, "")  # the question left at "Not asked"
    box = _question(qtbot, wiz)
    assert "pregnancy differs between two cases" not in _said(box).lower()
    _cancel(qtbot, window, box)
