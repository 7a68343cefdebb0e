"""Red-team rt6 F1 in the window: a decision recorded first does not stand for a red flag
raised by a visit saved after it the same day. The worklist shows the case as Immediate
until a decision that names the flag is recorded (README, Follow-up visits), and the
decision dialog asks for that acknowledgement as it does for any standing red flag."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.vocab import ReviewStatus

from .conftest import TODAY
from .test_one_rule_in_the_window import _rescreen, _save
from .test_visit_red_flags import _visit_dialog
from .window_steps import open_decision_dialog

CASE = "P-DUE-case"


def _decision_dialog(window, qtbot):
    return open_decision_dialog(window, qtbot, CASE)


def _worklist_status(window, qtbot):
    model = window.views["worklist"].model
    rows = [r for r in model.rows if r.case_id == CASE]
    return rows[0].status if rows else None


def test_a_red_flag_visit_after_todays_decision_is_immediate_until_acknowledged(window, qtbot, context):
    # 1. today's decision, no red flag standing: continue conservative care (no question asked)
    dialog = _decision_dialog(window, qtbot)
    assert not dialog.red_flag_warning.isVisible()
    qtbot.mouseClick(dialog.kind.buttons["continue_conservative_care"], Qt.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.acknowledge_box is None
    (decision,) = context.store.get_case(CASE).decisions
    assert decision.date == TODAY and decision.acknowledged_red_flags == ()
    assert "Snoozed" in window.patient_view.status.text()

    # 2. later the same day, a visit re-screens and finds saddle anaesthesia
    visit = _visit_dialog(window, qtbot, CASE)
    assert visit.date.day() == TODAY
    _rescreen(qtbot, visit, "saddle_anaesthesia", "yes")
    assert "EMERGENCY" in visit.banner.text()
    _save(qtbot, visit)
    assert "Immediate" in window.patient_view.status.text()
    assert "a new decision is needed" in window.patient_view.status.text()
    qtbot.waitUntil(lambda: _worklist_status(window, qtbot) == ReviewStatus.IMMEDIATE)
    assert window.views["worklist"].model.rows[0].case_id == CASE  # Immediate sorts first

    # 3. a new decision: the dialog names the standing flag and asks; acknowledged -> cleared
    dialog = _decision_dialog(window, qtbot)
    qtbot.mouseClick(dialog.kind.buttons["continue_conservative_care"], Qt.LeftButton)
    assert dialog.red_flag_warning.isVisible() and "Saddle" in dialog.red_flag_warning.text()
    qtbot.keyClick(dialog.kind.buttons["continue_conservative_care"], Qt.Key_Return)
    qtbot.waitUntil(lambda: dialog.acknowledge_box is not None and dialog.acknowledge_box.isVisible())
    box = dialog.acknowledge_box
    record = next(b for b in box.buttons() if "acknowledged" in b.text().replace("&", ""))
    qtbot.mouseClick(record, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    decisions = context.store.get_case(CASE).decisions
    assert [d.acknowledged_red_flags for d in decisions] == [(), ("saddle_anaesthesia",)]
    qtbot.waitUntil(lambda: _worklist_status(window, qtbot) in (ReviewStatus.SNOOZED, None))
    assert "Snoozed" in window.patient_view.status.text()


def test_a_referral_from_the_dialog_names_the_flag_it_acts_on(window, qtbot, context):
    """A referral is not asked about (it acts on the red flag), and it names the flag standing,
    so the case is closed, not left Immediate; what the dialog keeps for a later save (its
    data, the offline copy) says so too."""
    window.open_case("P-RED-case")
    dialog = window.patient_view.record_decision()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.kind.buttons["referred_for_surgical_opinion"], Qt.LeftButton)
    assert dialog.data()["acknowledged_red_flags"] == ["saddle_anaesthesia"]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (decision,) = context.store.get_case("P-RED-case").decisions
    assert decision.acknowledged_red_flags == ("saddle_anaesthesia",)
    assert "Closed" in window.patient_view.status.text()
