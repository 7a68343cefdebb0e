"""rt12 F2 in the window: the case discharged this morning acknowledging saddle anaesthesia;
this afternoon the visit dialog (which opens on today's date) records it "yes" again. The
dialog says, before saving, that the case will be Immediate until a decision is recorded
after this visit; after Save the patient page and the worklist say Immediate, not Closed.
The other order (the visit typed first, then the discharge) stays Closed."""

from __future__ import annotations

from radiculopathy_desktop.domain.followup import standing_red_flags
from radiculopathy_desktop.domain.intake import Decision
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus

from .conftest import TODAY
from .test_one_rule_in_the_window import _rescreen, _save
from .window_steps import open_visit_dialog

CASE = "P-RED-case"  # saddle anaesthesia answered yes at the intake


def _discharge_today(store):
    standing = standing_red_flags(store.get_case(CASE), TODAY)
    assert standing is not None and "saddle_anaesthesia" in standing.flags
    store.record_decision(CASE, Decision(date=TODAY, kind=DecisionKind.RESOLVED_DISCHARGED, by="Dr A",
                                         acknowledged_red_flags=standing.flags), user="dr.a")
    assert store.review(CASE, TODAY).status == ReviewStatus.CLOSED


def _type_leg_pain(qtbot, dialog, value: str):
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), value)


def test_a_yes_typed_after_todays_discharge_makes_the_case_immediate(window, qtbot, context):
    store = context.store
    _discharge_today(store)
    dialog = open_visit_dialog(window, qtbot, CASE)
    assert dialog.date.day() == TODAY  # the default flow: the dialog opens on today
    _type_leg_pain(qtbot, dialog, "8")
    _rescreen(qtbot, dialog, "saddle_anaesthesia", "yes")
    assert dialog.banner.isVisible()
    text = dialog.banner.text()
    assert "EMERGENCY" in text
    assert "Immediate until a decision is recorded after this visit" in text
    assert "record a decision when acted on" not in text  # the earlier wording, which let it stay Closed
    _save(qtbot, dialog)
    assert store.review(CASE, TODAY).status == ReviewStatus.IMMEDIATE
    rows = {r.case_id: r.status for r in store.worklist(TODAY, statuses=list(ReviewStatus))}
    assert rows[CASE] == ReviewStatus.IMMEDIATE
    qtbot.waitUntil(lambda: "Closed" not in window.patient_view.status.text())
    assert "Immediate" in window.patient_view.status.text()


def test_a_yes_typed_before_todays_discharge_is_acknowledged_by_it(window, qtbot, context):
    store = context.store
    dialog = open_visit_dialog(window, qtbot, CASE)
    _type_leg_pain(qtbot, dialog, "8")
    _rescreen(qtbot, dialog, "saddle_anaesthesia", "yes")
    _save(qtbot, dialog)
    assert store.review(CASE, TODAY).status == ReviewStatus.IMMEDIATE
    _discharge_today(store)  # made knowing the visit: it stands for it


def test_a_no_typed_after_todays_discharge_keeps_it_closed(window, qtbot, context):
    store = context.store
    _discharge_today(store)
    dialog = open_visit_dialog(window, qtbot, CASE)
    _type_leg_pain(qtbot, dialog, "3")
    _rescreen(qtbot, dialog, "saddle_anaesthesia", "no")
    assert not dialog.banner.isVisible()
    _save(qtbot, dialog)
    assert store.review(CASE, TODAY).status == ReviewStatus.CLOSED
