"""Nothing typed at an intake is lost when it is carried into a visit on the open case (rt18 F1),
and an intake's "not pregnant" never ends the case's recorded pregnancy (rt18 F2).

rt18 F1 (harm, data loss): an intake typed for P-NFU with CKD, a GI bleed, creatinine 2.4 mg/dL,
a failed NSAID, weight 52 kg and the right side (the case is left); Save, Alt+O (Open case),
Ctrl+Return. The dialog said "Not carried (a visit does not record them): conditions, treatments
tried" and "then the draft is discarded"; after the save the draft was gone and the case still held
no conditions, side left, no weight. Weight and side were not even named. The draft was kept only
when medicines were typed.

Now every field typed is compared with the case, field by field: the draft is kept unless all of it
reached the case (carried on the visit, or the case already holds the same); each field left behind
is named (weight and side with both values); the kept draft says what it holds and why.

rt18 F2 (harm): the intake's "Pregnant? No" was carried as the visit's "no longer pregnant", and one
Ctrl+Return ended the case's 33-week pregnancy with no question and no end date. PregnancyUpdate
(preg17): "False: no longer pregnant (birth or loss), or found not to be" — an intake's "is she
pregnant? no" beside a pregnancy the case records is a contradiction to ask about, not an
observed end: it is left unanswered with a note naming both answers.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import FollowUpVisit, PregnancyUpdate, case_to_dict

from .conftest import TODAY
from .keyboard import focus
from .test_intake_open_case import _open_intake, _question, _ready_intake
from .test_intake_pregnancy_carried import _visit_dialog
from .test_intake_same_episode import _episode_question

DRAFT = "intake-wizard"


def _case_own_intake(context, **patient):
    """An intake holding exactly what P-NFU's open case holds, dated today (what a visit takes)."""
    data = case_to_dict(context.store.get_case("P-NFU-case"))
    for key in ("case_id", "visits", "decisions"):
        data.pop(key, None)
    data["visit_date"] = TODAY.isoformat()
    data["patient"].update(patient)
    return data


def _save_into_visit(qtbot, wiz, data):
    """Save, then "Open case" on the question: the open-case question, or, for an intake with the
    case's own onset date (the same episode, gp18 F5), "This case already exists"; both open the
    case's visit dialog carrying the intake."""
    wiz.load(data)
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save: the question
    if data["onset_date"] == case_to_dict(wiz.context.store.get_case("P-NFU-case"))["onset_date"]:
        box = _episode_question(qtbot, wiz)
    else:
        box = _question(qtbot, wiz)
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)  # &Open case
    return _visit_dialog(qtbot)


def _save(qtbot, dialog):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_conditions_treatments_weight_and_side_are_named_and_the_draft_is_kept(window, qtbot, context):
    wiz = _open_intake(window, qtbot)
    data = _ready_intake()
    data["patient"]["weight_kg"] = 52
    data["side"] = "right"
    data["conditions"] = {"ckd": True, "gi_bleed_or_ulcer": True, "serum_creatinine": {"value": 2.4, "unit": "mg/dL"}}
    data["treatments_tried"] = [{"code": "nsaid", "started": TODAY.isoformat(), "response": "no_help"}]
    dialog = _save_into_visit(qtbot, wiz, data)
    said = dialog.carried_label.text()
    assert "Not carried (this visit does not record them, and the case does not hold them):" in said
    assert "weight (52.0 kg; the case records none)" in said
    assert "side (right; the case records left)" in said
    assert "conditions (ckd, gi bleed or ulcer, serum creatinine)" in said
    assert "treatments tried" in said and "onset date" in said
    assert "then the draft is discarded" not in said and "stays kept as a draft, now and after" in said
    _save(qtbot, dialog)
    draft = context.store.load_draft(DRAFT)
    assert draft is not None, "the draft holding the conditions was discarded"
    held = draft["data"]
    assert held["conditions"]["ckd"] is True and held["conditions"]["serum_creatinine"]["value"] == 2.4
    assert held["patient"]["weight_kg"] == 52 and held["side"] == "right"
    assert held["treatments_tried"][0]["code"] == "nsaid"
    # the kept draft says what it holds and why, on the page and when reopened
    assert "side (right; the case records left)" in draft["kept_because"]
    assert "Visit saved. This intake is kept as a draft" in wiz.draft_status.text()
    assert "conditions (ckd" in wiz.draft_status.text()
    wiz.reset()
    assert wiz.restore_draft()
    assert wiz.draft_status.text() == draft["kept_because"]
    assert wiz.page("patient").pid.text() == "P-NFU"


def test_the_draft_goes_only_when_everything_reached_the_case(window, qtbot, context):
    """Boundary: the case's own intake, dated today: everything is carried or already held."""
    wiz = _open_intake(window, qtbot)
    dialog = _save_into_visit(qtbot, wiz, _case_own_intake(context))
    said = dialog.carried_label.text()
    assert "Not carried" not in said and "then the draft is discarded" in said
    _save(qtbot, dialog)
    assert context.store.load_draft(DRAFT) is None
    assert "intake draft was discarded" in wiz.draft_status.text()


def test_one_field_the_case_does_not_hold_keeps_the_draft(window, qtbot, context):
    """Boundary: the same, but a weight the case does not record: named, and the draft stays."""
    wiz = _open_intake(window, qtbot)
    dialog = _save_into_visit(qtbot, wiz, _case_own_intake(context, weight_kg=70))
    said = dialog.carried_label.text()
    assert "Not carried (this visit does not record them, and the case does not hold them): weight (70.0 kg; " \
           "the case records none)." in said
    _save(qtbot, dialog)
    assert context.store.load_draft(DRAFT)["data"]["patient"]["weight_kg"] == 70


def _record_pregnancy(context, update, days_ago=7):
    context.store.add_visit("P-NFU-case", FollowUpVisit(date=TODAY - dt.timedelta(days=days_ago), leg_nrs=6,
                                                        pregnancy=update), user="test")


def test_an_intake_no_beside_a_recorded_pregnancy_is_not_carried_as_an_end(window, qtbot, context):
    _record_pregnancy(context, PregnancyUpdate(True, 32))  # 33 weeks today
    wiz = _open_intake(window, qtbot)
    dialog = _save_into_visit(qtbot, wiz, _case_own_intake(context, pregnant=False))
    assert dialog.pregnancy_answer() == "unchanged"  # left unanswered: not "no longer pregnant"
    said = dialog.carried_label.text()
    assert said.startswith("Pregnancy: the intake said not pregnant; the case records pregnant, 33 weeks")
    assert "ask her" in said and "the date it ended" in said
    assert "not pregnant" not in said.split("carried into this visit:")[1].split("\n")[0]
    _save(qtbot, dialog)
    case = context.store.get_case("P-NFU-case")
    assert case.visits[-1].pregnancy is None
    assert case.pregnancy_status(TODAY).answer == "yes" and case.pregnancy_on(TODAY).weeks == 33
    draft = context.store.load_draft(DRAFT)  # the intake's answer is not lost either
    assert draft is not None and "the pregnancy answer (not pregnant" in draft["kept_because"]


def test_choosing_no_longer_pregnant_there_offers_the_end_date(window, qtbot, context):
    _record_pregnancy(context, PregnancyUpdate(True, 32))
    wiz = _open_intake(window, qtbot)
    dialog = _save_into_visit(qtbot, wiz, _case_own_intake(context, pregnant=False))
    assert not dialog.pregnancy_ended.isVisibleTo(dialog)
    qtbot.keyClick(dialog, Qt.Key_G, Qt.AltModifier)  # Pre&gnancy at this visit
    assert focus() is dialog.pregnancy
    qtbot.keyClicks(dialog.pregnancy, "No longer")  # the clinician asked her: no longer pregnant
    assert dialog.pregnancy_answer() == "not_pregnant"
    assert dialog.pregnancy_ended.isVisibleTo(dialog)


def test_an_intake_no_is_carried_when_the_case_records_no_pregnancy_standing(window, qtbot, context):
    """Boundary: an ended pregnancy (and no pregnancy at all) stands no further: "not pregnant" agrees."""
    _record_pregnancy(context, PregnancyUpdate(True, 30), days_ago=20)
    _record_pregnancy(context, PregnancyUpdate(False, ended_on=TODAY - dt.timedelta(days=10)), days_ago=3)
    wiz = _open_intake(window, qtbot)
    dialog = _save_into_visit(qtbot, wiz, _case_own_intake(context, pregnant=False))
    assert dialog.pregnancy_answer() == "not_pregnant"
    assert not dialog.carried_label.text().startswith("Pregnancy:")
