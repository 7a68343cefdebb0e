"""The decision and visit dialogs on a closed case while the same patient has another open case
(rt16 F2, H-FU-229), driven by keys and clicks.

rt16 F2: the command line's ``decide OLD --kind continue`` re-opened a discharged case beside
the patient's newer open case with no question and no audit mark; the window's decision dialog
did the same. Now the dialog asks, naming the open case (Go back the default and Esc, as the
intake's open-case question has Cancel); re-opening deliberately is kept in the audit
(``new_episode_while_open``). A visit on the closed case is said above the visit form.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import NO_FLAGS, TODAY, case_dict
from .window_steps import open_decision_dialog, open_visit_dialog


def _seed(store, open_too: bool = True) -> None:
    old = case_dict("P-RO", "Rita Reopen", 200, red_flags=NO_FLAGS,
                    decisions=[{"date": (TODAY - dt.timedelta(days=100)).isoformat(), "kind": "resolved_discharged",
                                "acknowledged_red_flags": []}])
    old["case_id"] = "RO-OLD"
    cases = [old]
    if open_too:
        cases.append(_new_case())
    store.import_cases([parse_case(c) for c in cases], user="test")


def _new_case(pid: str = "P-RO") -> dict:
    new = case_dict(pid, "Rita Reopen", 5, red_flags=NO_FLAGS)
    new["case_id"] = "RO-NEW"
    new["onset_date"] = (TODAY - dt.timedelta(days=12)).isoformat()
    return new


def _continue_and_save(qtbot, dialog):
    qtbot.mouseClick(dialog.kind.buttons["continue_conservative_care"], Qt.LeftButton)
    qtbot.keyClick(dialog.kind.buttons["continue_conservative_care"], Qt.Key_Return)


def _question(qtbot, dialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.reopen_box is not None and dialog.reopen_box.isVisible())
    box = dialog.reopen_box
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


def test_continue_on_the_closed_case_asks_and_enter_goes_back(window, qtbot, context):
    _seed(context.store)
    dialog = open_decision_dialog(window, qtbot, "RO-OLD")
    _continue_and_save(qtbot, dialog)
    box = _question(qtbot, dialog)
    text = box.text() + " " + box.informativeText()
    assert "would re-open case RO-OLD, which is closed" in text
    assert f"patient P-RO already has an open case: case RO-NEW (intake {(TODAY - dt.timedelta(days=5)).isoformat()}" \
        in text
    assert box.defaultButton().text().replace("&", "") == "Go back" and box.escapeButton() is box.defaultButton()
    qtbot.keyClick(box, Qt.Key_Return)  # the default: nothing recorded, the dialog stays open as typed
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and dialog.choice() == "continue_conservative_care"
    assert len(context.store.get_case("RO-OLD").decisions) == 1
    assert context.store.review("RO-OLD", TODAY).status.value == "closed"


def test_escape_goes_back_too(window, qtbot, context):
    _seed(context.store)
    dialog = open_decision_dialog(window, qtbot, "RO-OLD")
    _continue_and_save(qtbot, dialog)
    box = _question(qtbot, dialog)
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and len(context.store.get_case("RO-OLD").decisions) == 1


def test_re_opening_deliberately_records_and_audits(window, qtbot, context):
    _seed(context.store)
    dialog = open_decision_dialog(window, qtbot, "RO-OLD")
    _continue_and_save(qtbot, dialog)
    box = _question(qtbot, dialog)
    reopen = next(b for b in box.buttons() if b.text().replace("&", "") == "Re-open as a new episode")
    qtbot.mouseClick(reopen, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [d.kind for d in context.store.get_case("RO-OLD").decisions][-1] == "continue_conservative_care"
    entry = [a for a in context.store.audit("RO-OLD") if a.action == "decision_recorded"][-1]
    [item] = entry.detail["new_episode_while_open"]
    assert item["reopened"] is True and [o["case_id"] for o in item["open_cases"]] == ["RO-NEW"]


def test_no_other_open_case_no_question(window, qtbot, context):
    _seed(context.store, open_too=False)
    dialog = open_decision_dialog(window, qtbot, "RO-OLD")
    _continue_and_save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.reopen_box is None
    entry = [a for a in context.store.audit("RO-OLD") if a.action == "decision_recorded"][-1]
    assert "new_episode_while_open" not in entry.detail


def test_a_case_opened_meanwhile_is_asked_about_at_save(window, qtbot, context):
    """Another workstation adds the patient's new case after the dialog opened: the store's own
    check refuses the save, the dialog asks, naming it; nothing saved."""
    _seed(context.store, open_too=False)
    dialog = open_decision_dialog(window, qtbot, "RO-OLD")
    qtbot.mouseClick(dialog.kind.buttons["continue_conservative_care"], Qt.LeftButton)
    # the dialog's own look finds nothing now; the store finds the case opened "meanwhile"
    dialog._reopens_beside = lambda item: []
    context.store.import_cases([parse_case(_new_case("p-ro"))], user="elsewhere")  # capitals differ: one patient
    qtbot.keyClick(dialog.kind.buttons["continue_conservative_care"], Qt.Key_Return)
    box = _question(qtbot, dialog)
    assert "case RO-NEW" in box.text()
    assert len(context.store.get_case("RO-OLD").decisions) == 1
    qtbot.keyClick(box, Qt.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible()


def test_visit_dialog_on_the_closed_case_names_the_open_case(window, qtbot, context):
    _seed(context.store)
    dialog = open_visit_dialog(window, qtbot, "RO-OLD")
    assert dialog.elsewhere_label.isVisible()
    assert dialog.elsewhere_label.text().startswith(
        "Case RO-OLD is closed and patient P-RO already has an open case: case RO-NEW")
    dialog.reject()


def test_visit_dialog_on_the_open_case_says_nothing(window, qtbot, context):
    _seed(context.store)
    dialog = open_visit_dialog(window, qtbot, "RO-NEW")
    assert not dialog.elsewhere_label.isVisible() and dialog.elsewhere_label.text() == ""
    dialog.reject()
