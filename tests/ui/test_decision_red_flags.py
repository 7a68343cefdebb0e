"""The decision dialog shows standing red flags and asks before closing or pausing such a
case (red-team A4); the default answer is Go back, and an acknowledgement is audited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from .conftest import TODAY
from .window_steps import open_decision_dialog as _dialog


def _choose_and_save(qtbot, dialog, kind):
    qtbot.mouseClick(dialog.kind.buttons[kind], Qt.LeftButton)
    qtbot.keyClick(dialog.kind.buttons[kind], Qt.Key_Return)


def _box(qtbot, dialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.acknowledge_box is not None and dialog.acknowledge_box.isVisible())
    return dialog.acknowledge_box


def test_closing_a_red_flag_case_asks_and_enter_goes_back(window, qtbot, context):
    dialog = _dialog(window, qtbot, "P-RED-case")
    assert not dialog.red_flag_warning.isVisible()
    qtbot.mouseClick(dialog.kind.buttons["resolved_discharged"], Qt.LeftButton)
    # shown as soon as the closing choice is made, naming the red flag
    assert dialog.red_flag_warning.isVisible()
    assert "Saddle" in dialog.red_flag_warning.text() and "EMERGENCY" in dialog.red_flag_warning.text()
    qtbot.keyClick(dialog.kind.buttons["resolved_discharged"], Qt.Key_Return)
    box = _box(qtbot, dialog)
    assert "Saddle (perineal) numbness" in box.text() and "EMERGENCY" in box.text()
    assert box.defaultButton().text().replace("&", "") == "Go back"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_Return)  # the default: nothing recorded, the dialog stays open
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible()
    assert context.store.get_case("P-RED-case").decisions == ()
    assert window.views["worklist"].model.rows[0].case_id == "P-RED-case"  # still Immediate, first


def test_explicit_acknowledgement_records_and_audits(window, qtbot, context):
    dialog = _dialog(window, qtbot, "P-RED-case")
    _choose_and_save(qtbot, dialog, "patient_declined")
    box = _box(qtbot, dialog)
    record = next(b for b in box.buttons() if "acknowledged" in b.text().replace("&", ""))
    qtbot.mouseClick(record, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (decision,) = context.store.get_case("P-RED-case").decisions
    assert decision.kind == "patient_declined" and decision.date == TODAY
    entry = [a for a in context.store.audit("P-RED-case") if a.action == "decision_recorded"][-1]
    assert entry.detail["acknowledged_red_flags"]["flags"] == ["saddle_anaesthesia"]
    assert entry.detail["acknowledged_red_flags"]["tier"] == "emergency"


def test_referral_is_not_asked_about(window, qtbot, context):
    dialog = _dialog(window, qtbot, "P-RED-case")
    qtbot.mouseClick(dialog.kind.buttons["referred_for_surgical_opinion"], Qt.LeftButton)
    assert not dialog.red_flag_warning.isVisible()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.acknowledge_box is None
    (decision,) = context.store.get_case("P-RED-case").decisions
    assert decision.kind == "referred_for_surgical_opinion"
    entry = [a for a in context.store.audit("P-RED-case") if a.action == "decision_recorded"][-1]
    assert "acknowledged_red_flags" not in entry.detail


def test_case_without_red_flags_closes_without_asking(window, qtbot, context):
    dialog = _dialog(window, qtbot, "P-DUE-case")
    _choose_and_save(qtbot, dialog, "resolved_discharged")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.acknowledge_box is None
    assert [d.kind for d in context.store.get_case("P-DUE-case").decisions] == ["resolved_discharged"]
