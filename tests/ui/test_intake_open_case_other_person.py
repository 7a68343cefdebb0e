"""The open-case question is asked about the typed person's own cases only (dup19 leftover, H-FU-363).

dup19 ("not done"): typing ``p-nfu`` for Bob Jones, a different person from Nico Nofollow whose
stored ID ``P-NFU`` one patient key joins it to, still asked at Next and at Save "Patient p-nfu
already has an open case: case P-NFU-case …" and offered to open Nico's case: a clinician
answering "Open case" would have added Bob's visit to Nico's record. The window now asks the
store with the patient as typed (``open_cases(..., patient=)``; ``domain.identity.same_person``:
one ID, or IDs one key joins whose name, birth date and sex agree, unknown being no difference),
so the question appears only for the same person. Driven by keys, as a user types.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus, tab, type_here

ONSET = (TODAY - dt.timedelta(days=3)).isoformat()  # not P-NFU-case's onset: another episode in any case


def _typed(window, qtbot, name, pid="p-nfu"):
    """A ready intake (every step filled), then on the Patient step the ID and name typed by keys,
    the age typed, the onset typed; Next (Ctrl+Return) pressed."""
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    data = case_dict("X-READY", "Ready Name", 0, red_flags=NO_FLAGS)
    data["onset_date"] = ONSET
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    wiz.load(data)
    wiz._go(0)
    wiz.pages[0].pid.setFocus(Qt.OtherFocusReason)
    type_here(qtbot, pid)
    tab(qtbot)
    assert focus() is wiz.pages[0].name
    if name:
        type_here(qtbot, name)
    else:
        focus().selectAll()
        qtbot.keyClick(focus(), Qt.Key_Delete)
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)  # Symptoms s&tarted on
    type_here(qtbot, ONSET)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next
    return wiz


def _next_past_the_capitals_note(qtbot, wiz):
    """``p-nfu`` differs from the stored ``P-NFU`` only in capitals: said once at Next (rt16 F2);
    Next again goes on."""
    if wiz.index == 0 and "only in capitals" in wiz.page_error.text():
        qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)


def _new_cases(context):
    return sorted(c for c in context.store.stored_ids()[1] if c.lower().startswith("p-nfu") and c != "P-NFU-case")


def test_another_person_under_the_joined_key_is_not_asked_about_the_other_persons_case(window, qtbot, context):
    wiz = _typed(window, qtbot, "Bob Jones")
    _next_past_the_capitals_note(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.index == 1)  # on to the next step: nothing asked about Nico's case
    assert wiz.open_case_question is None
    assert "P-NFU-case" not in wiz.page_error.text()
    # and at Save: saved at once, no question, no "new episode beside an open case" in the audit
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: len(_new_cases(context)) == 1)
    assert wiz.open_case_question is None and wiz.episode_question is None
    [new_id] = _new_cases(context)
    saved = context.store.get_case(new_id)
    assert saved.patient.id == "p-nfu" and saved.patient.name == "Bob Jones"
    entry = context.store.latest_audit("import")
    assert entry is None or "new_episode_while_open" not in entry.detail


def test_the_same_person_under_the_joined_key_is_still_asked(window, qtbot, context):
    """The boundary: the name as stored (other capitals), same age and sex: one person (fxc18),
    so Nico's open case is named and Cancel is the default; nothing is saved."""
    wiz = _typed(window, qtbot, "NICO NOFOLLOW")
    _next_past_the_capitals_note(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.open_case_question is not None and wiz.open_case_question.isVisible())
    box = wiz.open_case_question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    assert "P-NFU-case" in box.text() + box.informativeText()
    assert box.defaultButton() is box.escapeButton()
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert wiz.index == 0 and wiz.pages[0].pid.text() == "p-nfu" and wiz.pages[0].name.text() == "NICO NOFOLLOW"
    assert _new_cases(context) == []


def test_a_name_not_typed_is_no_difference_so_it_is_asked(window, qtbot, context):
    """The boundary: with the name left empty nothing says it is another person (unknown is not a
    difference, as in ``identity_conflicts``): the question is asked."""
    wiz = _typed(window, qtbot, "")
    _next_past_the_capitals_note(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.open_case_question is not None and wiz.open_case_question.isVisible())
    box = wiz.open_case_question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert _new_cases(context) == []


def test_correcting_the_name_to_another_persons_after_cancel_lets_it_go_on(window, qtbot, context):
    """Typed wrong first (Nico's name), Cancel, then the name corrected by keys to the real
    patient's: Next goes on without asking about Nico's case again."""
    wiz = _typed(window, qtbot, "Nico Nofollow")
    _next_past_the_capitals_note(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.open_case_question is not None and wiz.open_case_question.isVisible())
    box = wiz.open_case_question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(focus(), Qt.Key_M, Qt.AltModifier)  # Na&me
    assert focus() is wiz.pages[0].name
    type_here(qtbot, "Nina Other")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next
    qtbot.waitUntil(lambda: wiz.index == 1)
    assert wiz.open_case_question is None
