""""Start a new episode" for the same person typed another way is kept in the audit, exactly
once (fxn20 leftover, H-FU-387).

fxn20 (rt22 F5) made the window ask the open-case question for the same person typed another way
("Nofollow, Nico", "NICÓ NOFOLLOW", a slip) under a new ID sharing the stored ID's patient key. But
Save's own check in the store still used the strict join, saw no open case of that person, and
saved the case with no ``new_episode_while_open`` entry: the clinician's deliberate answer was
lost from the audit. Save now uses the question's own rule (``domain.identity.cases_of_person``),
so the answer is audited once; a person clearly someone else ("Bob Jones") is neither asked nor
audited (test_intake_open_case_other_person). Driven by keys, as a user types.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .keyboard import focus
from .test_intake_open_case_other_person import _new_cases, _next_past_the_capitals_note
from .test_intake_open_case_same_person_typed_otherwise import _asked, _typed


@pytest.mark.parametrize("typed", ["Nofollow, Nico", "NICÓ NOFOLLOW", "Nico Nofolow"])
def test_a_new_episode_chosen_for_the_same_person_typed_otherwise_is_audited_once(window, qtbot, context, typed):
    wiz = _typed(window, qtbot, typed)
    _next_past_the_capitals_note(qtbot, wiz)
    box = _asked(qtbot, wiz)
    assert "P-NFU-case" in box.text()
    before = len([e for e in context.store.audit() if e.action == "import"])
    qtbot.keyClick(box, Qt.Key_N, Qt.AltModifier)  # Start a &new episode
    qtbot.waitUntil(lambda: wiz.index == 1)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save case: not asked again
    qtbot.waitUntil(lambda: len(_new_cases(context)) == 1)
    assert wiz.open_case_question is None
    [new_id] = _new_cases(context)
    saved = context.store.get_case(new_id)
    assert saved.patient.id == "p-nfu" and saved.patient.name == typed  # what was typed, never joined
    entries = [e for e in context.store.audit() if e.action == "import"][before:]
    items = [item for e in entries for item in e.detail.get("new_episode_while_open", [])]
    assert [(i["case_id"], i["patient_id"], [o["case_id"] for o in i["open_cases"]]) for i in items] == \
        [(new_id, "p-nfu", ["P-NFU-case"])]
    # the stored person's own cases are still hers alone
    assert [c.case_id for c in context.store.patient_cases("P-NFU")] == ["P-NFU-case"]
