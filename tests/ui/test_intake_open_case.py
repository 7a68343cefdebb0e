"""A new intake for a patient with an open case asks first (gp14 G10), driven by keyboard.

G10 (could harm): "New intake" for a patient who already had an open case (not discharged
or declined) saved a second open episode silently; the worklist then showed two rows for
one patient and visits could land on the wrong one. Now, once the patient ID is typed and
the clinician presses Next (before the rest of the intake), and again at Save (another
workstation may have opened a case meanwhile), the window names the open case (its intake
date and status) and asks: open that case (add a visit), start a new episode deliberately
(recorded as such in the audit), or cancel (the default). The rule is ``domain.episodes``,
the store's, as ``import`` applies it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.ui.dialogs import VisitDialog

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus, tab, type_here

OPEN_INTAKE = (TODAY - dt.timedelta(days=50)).isoformat()  # P-NFU's seeded case: day 50, needs follow-up


def _open_intake(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    assert window.stack.currentWidget() is wiz
    return wiz


def _type_patient(qtbot, wiz, pid="P-NFU", name="Nico Nofollow", onset="2026-02-20"):
    assert focus() is wiz.pages[0].pid
    type_here(qtbot, pid)
    tab(qtbot)
    type_here(qtbot, name)
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)  # …or &age in years
    type_here(qtbot, "44")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)  # Symptoms s&tarted on
    type_here(qtbot, onset)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next


def _question(qtbot, wiz):
    qtbot.waitUntil(lambda: wiz.open_case_question is not None and wiz.open_case_question.isVisible())
    box = wiz.open_case_question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


def _back_to(qtbot, window):
    """The question closed: the window is active again (the offscreen platform does not do it)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _ready_intake(pid="P-NFU", onset_days_ago=3):
    data = case_dict(pid, "Nico Nofollow", 0, red_flags=NO_FLAGS)
    data["onset_date"] = (TODAY - dt.timedelta(days=onset_days_ago)).isoformat()
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    return data


def test_next_names_the_open_case_and_cancel_is_the_default_keeping_what_was_typed(window, qtbot):
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    box = _question(qtbot, wiz)
    assert wiz.index == 0
    text = box.text() + " " + box.informativeText()
    assert f"Patient P-NFU already has an open case: case P-NFU-case (intake {OPEN_INTAKE}, status Needs follow-up)" \
        in text
    assert "recorded as such" in text
    assert box.defaultButton().text() == "&Cancel" and box.escapeButton() is box.defaultButton()
    qtbot.keyClick(box, Qt.Key_Return)  # the default: Cancel
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert wiz.index == 0 and wiz.pages[0].pid.text() == "P-NFU"
    assert "Not started: patient P-NFU already has an open case" in wiz.page_error.text()
    _back_to(qtbot, window)
    assert focus() is wiz.pages[0].pid  # back on the patient ID, to check or correct
    # Esc also cancels
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    box = _question(qtbot, wiz)
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert wiz.index == 0


def test_a_new_episode_is_chosen_by_keyboard_and_saved_as_such(window, qtbot, context):
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    box = _question(qtbot, wiz)
    qtbot.keyClick(box, Qt.Key_N, Qt.AltModifier)  # Start a &new episode
    qtbot.waitUntil(lambda: wiz.index == 1)
    _back_to(qtbot, window)
    # the rest of the intake, then Save: not asked again for the same open case
    wiz.load(_ready_intake())
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save on the last step
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id not in (None,
                                                                                                  "P-NFU-case"))
    assert wiz.open_case_question is None
    store = context.store
    new_id = window.patient_view.case_id
    assert new_id.startswith("P-NFU") and store.has_case("P-NFU-case")
    entry = [e for e in store.audit() if e.action == "import"][-1]
    [item] = entry.detail["new_episode_while_open"]
    assert item["case_id"] == new_id and item["open_cases"][0]["case_id"] == "P-NFU-case"


def test_open_the_case_opens_its_visit_dialog_and_keeps_the_intake(window, qtbot, context):
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    box = _question(qtbot, wiz)
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)  # &Open case P-NFU-case (add a visit)
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id == "P-NFU-case")
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, VisitDialog) and w.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].case.case_id == "P-NFU-case"
    assert context.store.load_draft("intake-wizard")["data"]["patient"]["id"] == "P-NFU"  # nothing typed lost
    assert not any(c.startswith("P-NFU") and c != "P-NFU-case" for c in context.store.stored_ids()[1])
    dialogs[0].reject()


def test_save_asks_again_when_another_workstation_opened_a_case_meanwhile(window, qtbot, context):
    """No open case when the intake began (a new patient); another workstation saves one for the
    same patient before Save: Save asks, and nothing is saved until the clinician answers."""
    wiz = _open_intake(window, qtbot)
    wiz.load(_ready_intake("P-LATE"))
    wiz._go(len(wiz.pages) - 1)
    meanwhile = case_dict("P-LATE", "Nico Nofollow", 30, red_flags=NO_FLAGS)
    meanwhile["case_id"] = "P-LATE-other"
    context.store.import_cases([parse_case(meanwhile)], user="elsewhere")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    box = _question(qtbot, wiz)
    assert "case P-LATE-other (intake" in box.text()
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert wiz.index == 0  # back on the patient step
    assert "Not saved: patient P-LATE already has an open case" in wiz.page_error.text()
    assert [c for c in context.store.stored_ids()[1] if c.startswith("P-LATE")] == ["P-LATE-other"]


def test_the_store_refuses_it_even_when_the_windows_own_look_missed_it(window, qtbot, context, monkeypatch):
    """The open case saved between the window's look and the save's transaction: the store's
    check (one rule, in the write) refuses, and the window asks then."""
    wiz = _open_intake(window, qtbot)
    wiz.load(_ready_intake())
    wiz._go(len(wiz.pages) - 1)
    monkeypatch.setattr(type(context.store), "open_cases", lambda self, *a, **k: [])  # the look saw none
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    box = _question(qtbot, wiz)
    assert "case P-NFU-case (intake" in box.text()
    qtbot.keyClick(box, Qt.Key_N, Qt.AltModifier)  # a new episode, deliberately
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id not in (None,
                                                                                                  "P-NFU-case"))
    entry = [e for e in context.store.audit() if e.action == "import"][-1]
    assert entry.detail["new_episode_while_open"][0]["open_cases"][0]["case_id"] == "P-NFU-case"


def test_a_new_episode_chosen_beside_one_case_is_asked_again_beside_another(window, qtbot, context, monkeypatch):
    """Chosen at Next beside P-NFU-case; another workstation opens a second case of the patient
    after the window's last look: the store refuses (the choice named only P-NFU-case) and the
    window asks again, naming both; nothing is saved meanwhile."""
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)
    qtbot.waitUntil(lambda: wiz.index == 1)
    _back_to(qtbot, window)
    wiz.load(_ready_intake())
    wiz._go(len(wiz.pages) - 1)
    shown = context.store.open_cases("P-NFU", TODAY)
    other = case_dict("P-NFU", "Nico Nofollow", 20, red_flags=NO_FLAGS)
    other["case_id"] = "P-NFU-other"
    other["onset_date"] = (TODAY - dt.timedelta(days=25)).isoformat()
    context.store.import_cases([parse_case(other)], user="elsewhere")
    monkeypatch.setattr(type(context.store), "open_cases", lambda self, *a, **k: shown)  # the look before it
    count = context.store.case_count()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    box = _question(qtbot, wiz)
    assert "P-NFU-other" in box.text() and "P-NFU-case" in box.text()
    assert context.store.case_count() == count
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
