"""The same episode is named at the Patient step, not after seven steps (gp19 F12; confusing, no hazard row).

gp19 F12: "Start a new episode" for the same person and onset let the GP fill in all 7 steps,
then Save refused ("This case already exists"). dup19's rule (``domain.identity.same_episode``:
the same person, by patient key and then name, birth date and sex, with the same onset date) is
now asked at Next on the Patient step, with the same question and choices (Open case X, or Go
back, the default and Esc, the onset date focused); Save still checks. A day before or after
the stored onset (just below / above) is another episode and goes on.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.identity import EPISODE_EXISTS

from .keyboard import focus, type_here
from .test_intake_same_episode import SEEDED_ONSET, _episode_question, _new_cases
from .conftest import NO_FLAGS, TODAY, case_dict


def _patient_step_typed(window, qtbot, onset, pid="P-NFU", name="Nico Nofollow"):
    """The Patient step typed by keyboard (the rest of the intake loaded), then Next (Alt+N)."""
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    data = case_dict(pid, name, 0, red_flags=NO_FLAGS)
    data["onset_date"] = (TODAY - dt.timedelta(days=3)).isoformat()
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    wiz.load(data)
    wiz._go(0)
    wiz.pages[0].pid.setFocus(Qt.OtherFocusReason)
    type_here(qtbot, pid)
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)  # Symptoms s&tarted on
    type_here(qtbot, onset)
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)  # &Next >
    return wiz


def test_the_same_onset_is_asked_at_the_patient_step_and_go_back_keeps_everything(window, qtbot, context):
    wiz = _patient_step_typed(window, qtbot, SEEDED_ONSET)
    box = _episode_question(qtbot, wiz)
    assert box.text().startswith(EPISODE_EXISTS)
    assert f"onset date {SEEDED_ONSET}, is already case P-NFU-case in the tracker" in box.text()
    assert [b.text() for b in box.buttons() if "Open" in b.text()] == ["&Open case P-NFU-case"]
    assert box.defaultButton().text() == "&Go back" and box.escapeButton() is box.defaultButton()
    assert wiz.open_case_question is None
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.episode_question is None)
    assert wiz.index == 0 and wiz.pages[0].pid.text() == "P-NFU"  # still on step 1, nothing lost
    assert wiz.case_dict()["onset_date"] == SEEDED_ONSET
    assert "already has case P-NFU-case" in wiz.page_error.text()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert wiz.pages[0].onset.isAncestorOf(focus()) or focus() is wiz.pages[0].onset
    assert _new_cases(context) == []


def test_a_day_before_or_after_the_stored_onset_is_not_this_question(window, qtbot, context):
    for delta in (-1, 1):
        onset = (dt.date.fromisoformat(SEEDED_ONSET) + dt.timedelta(days=delta)).isoformat()
        wiz = _patient_step_typed(window, qtbot, onset)
        qtbot.waitUntil(lambda: wiz.index == 1 or wiz.open_case_question is not None)
        assert wiz.episode_question is None, delta
        if wiz.open_case_question is not None:  # the patient's open case: the other question, as before
            qtbot.keyClick(wiz.open_case_question, Qt.Key_Escape)
            qtbot.waitUntil(lambda: wiz.open_case_question is None)
