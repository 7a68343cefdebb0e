"""A pregnancy typed at intake reaches the case it is saved into; a contradiction between one
patient's cases is named (gp17 F5), driven by keys as gp17 drove it.

gp17 F5 (harm-risk): Ctrl+3, the patient's ID, Pregnant Yes, 33 weeks, Next; the patient has an
open case, so the one-open-case question; Alt+O (Open case). The visit dialog said "Not pregnant
(answered no at the intake)" and "Not asked at this visit": the 33 weeks just typed were neither
carried nor mentioned, and the case's medicine checks went on as for a woman not pregnant.
And "Start a new episode" saved "Not pregnant" beside her other open case recording 33 weeks the
same day, without a word.

Now what the intake held that a visit records is pre-filled in the visit dialog, each field's
label marked "[from the intake you were typing]", with a line saying what was carried, what was
not (the medicines: a visit does not record them) and what happens to the intake draft (kept
until the visit is saved; then discarded, or kept when it holds medicines). A save that makes
one patient's cases contradict each other on her pregnancy asks first (Go back the default and
Esc), is kept in the audit, and both case pages name it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from radiculopathy_desktop.domain.intake import PregnancyUpdate, parse_case
from radiculopathy_desktop.ui import dialogs
from radiculopathy_desktop.ui.dialogs import VisitDialog

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus, tab, type_here
from .test_intake_open_case import _back_to, _open_intake, _question, _ready_intake

MARK = VisitDialog.CARRIED_MARK.strip()


def _type_pregnant_patient(qtbot, wiz, pid="P-NFU", weeks="33", age="31", onset="2026-02-20"):
    """The patient step by keys, as gp17 typed it: ID, name, age, Pregnant Yes, the weeks, onset; Next."""
    assert focus() is wiz.pages[0].pid
    type_here(qtbot, pid)
    tab(qtbot)
    type_here(qtbot, "Nico Nofollow")
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)  # …or &age in years
    type_here(qtbot, age)
    qtbot.keyClick(focus(), Qt.Key_R, Qt.AltModifier)  # P&regnant?
    assert focus() is wiz.pages[0].pregnant
    qtbot.keyClick(focus(), Qt.Key_Y)  # Yes (type the weeks)
    assert wiz.pages[0].pregnancy_answer() == "yes"
    qtbot.keyClick(focus(), Qt.Key_K, Qt.AltModifier)  # Wee&ks of pregnancy
    type_here(qtbot, weeks)
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)  # Symptoms s&tarted on
    type_here(qtbot, onset)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next


def _visit_dialog(qtbot):
    qtbot.waitUntil(lambda: any(isinstance(w, VisitDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, VisitDialog) and w.isVisible())
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _label(dialog, widget) -> str:
    return dialog._label_of(widget).text()


def test_open_case_carries_the_33_weeks_typed_and_saving_records_them(window, qtbot, context):
    """The age and onset typed are the case's own (rt18 F1: any other value typed is named and
    keeps the draft; test_intake_carry_nothing_lost)."""
    wiz = _open_intake(window, qtbot)
    held = context.store.get_case("P-NFU-case")
    _type_pregnant_patient(qtbot, wiz, age=str(held.patient.age_years), onset=held.intake.onset_date.isoformat())
    # the held case's own onset: the same episode, asked at Next on the Patient step (gp19 F12),
    # whose "Open case" carries the intake as the open-case question's does
    qtbot.waitUntil(lambda: wiz.episode_question is not None and wiz.episode_question.isVisible())
    box = wiz.episode_question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)  # &Open case P-NFU-case
    dialog = _visit_dialog(qtbot)
    assert dialog.case.case_id == "P-NFU-case"
    # pre-filled, and marked where it shows
    assert dialog.pregnancy_answer() == "pregnant" and dialog.pregnancy_weeks.text() == "33"
    assert dialog.pregnancy_weeks.isVisibleTo(dialog)
    assert MARK in _label(dialog, dialog.pregnancy) and MARK in _label(dialog, dialog.pregnancy_weeks)
    assert MARK not in _label(dialog, dialog.leg)  # nothing typed there: not marked
    said = dialog.carried_label.text()
    assert dialog.carried_label.isVisibleTo(dialog)
    assert "From the intake you were typing" in said and "pregnant, 33 weeks" in said
    assert f"visit date {TODAY.isoformat()}" in said
    assert "Not carried" not in said  # nothing else typed yet
    assert "stays kept as a draft until this visit is saved; then the draft is discarded" in said
    # the intake is kept meanwhile: nothing typed is lost
    assert context.store.load_draft("intake-wizard")["data"]["patient"]["pregnancy_weeks"] == 33
    assert dialog.has_input()  # the carried answers count as typed: Esc would ask
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.waitUntil(lambda: not dialog.isVisible())
    case = context.store.get_case("P-NFU-case")
    assert case.visits[-1].pregnancy == PregnancyUpdate(True, 33) and case.visits[-1].date == TODAY
    assert case.pregnancy_on(TODAY).weeks == 33  # the medicine checks read it from today
    assert context.store.load_draft("intake-wizard") is None  # its answers are on the visit
    assert "intake draft was discarded" in wiz.draft_status.text() and wiz.page("patient").pid.text() == ""


def test_what_a_visit_does_not_record_is_named_and_the_draft_stays(window, qtbot, context):
    """At Save of a whole intake: the scores, muscle grades and red-flag answers carried; the
    medicines named as not carried, and the draft kept after the visit is saved."""
    wiz = _open_intake(window, qtbot)
    data = _ready_intake()
    data["patient"]["pregnancy_weeks"] = 33
    data["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    data["examination"] = {"power": {"ankle_dorsiflexion": 4}}
    wiz.load(data)
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save: the open-case question
    box = _question(qtbot, wiz)
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)
    dialog = _visit_dialog(qtbot)
    assert dialog.leg.text() == "7" and dialog.back.text() == "4" and dialog.odi.text() == "44"
    assert dialog.power["ankle_dorsiflexion"].text() == "4"
    assert dialog.rescreen.isChecked() and dialog.rescreened() == dict(NO_FLAGS)
    assert dialog.pregnancy_weeks.text() == "33"
    for widget in (dialog.leg, dialog.back, dialog.odi, dialog.power["ankle_dorsiflexion"], dialog.pregnancy):
        assert MARK in _label(dialog, widget)
    said = dialog.carried_label.text()
    assert "leg pain 7/10" in said and "ODI 44" in said and "red-flag answers" in said
    assert ("Not carried (this visit does not record them, and the case does not hold them): the medicines typed "
            "(ibuprofen 1200 mg a day)") in said
    assert "stays kept as a draft, now and after this visit is saved" in said
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.waitUntil(lambda: not dialog.isVisible())
    visit = context.store.get_case("P-NFU-case").visits[-1]
    assert (visit.leg_nrs, visit.back_nrs, visit.odi_percent, dict(visit.power)) == (7, 4, 44, {"ankle_dorsiflexion": 4})
    assert visit.pregnancy == PregnancyUpdate(True, 33)
    assert context.store.load_draft("intake-wizard")["data"]["medicines"][0]["name"] == "ibuprofen"
    assert "kept as a draft" in wiz.draft_status.text()


def test_esc_on_the_carried_visit_asks_and_the_intake_stays(window, qtbot, context, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: asked.append(what) or True)
    wiz = _open_intake(window, qtbot)
    _type_pregnant_patient(qtbot, wiz)
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_O, Qt.AltModifier)
    dialog = _visit_dialog(qtbot)
    qtbot.keyClick(focus(), Qt.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert asked == ["visit"]
    assert context.store.get_case("P-NFU-case").visits == ()
    assert context.store.load_draft("intake-wizard")["data"]["patient"]["pregnancy_weeks"] == 33
    assert wiz.page("patient").pregnancy_weeks() == 33


# ---------------------------------------------------------------- a contradiction between cases
def _pregnant_case(context, weeks=33):
    """P-MIA's open case: pregnant, ``weeks`` weeks at its intake today (gp17's Mia-2)."""
    data = case_dict("P-MIA", "Mia Example", 0, red_flags=NO_FLAGS)
    data["patient"]["pregnancy_weeks"] = weeks
    context.store.import_cases([parse_case(data)], user="test")
    return data["case_id"]


def _not_pregnant_intake():
    data = _ready_intake("P-MIA")
    data["patient"]["name"] = "Mia Example"
    data["patient"]["pregnant"] = False
    return data


def _pregnancy_question(qtbot, wiz):
    qtbot.waitUntil(lambda: wiz.pregnancy_question is not None and wiz.pregnancy_question.isVisible())
    box = wiz.pregnancy_question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


def test_a_new_episode_saying_not_pregnant_beside_33_weeks_asks_go_back_first(window, qtbot, context):
    old = _pregnant_case(context)
    wiz = _open_intake(window, qtbot)
    wiz.load(_not_pregnant_intake())
    wiz._go(len(wiz.pages) - 1)
    count = context.store.case_count()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)  # Start a &new episode
    box = _pregnancy_question(qtbot, wiz)
    text = box.text()
    assert f"case {old} records pregnant, 33 weeks at the intake of {TODAY.isoformat()}" in text
    assert "records her not pregnant that day" in text
    assert box.defaultButton().text() == "&Go back" and box.escapeButton() is box.defaultButton()
    assert context.store.case_count() == count  # nothing saved while asked
    qtbot.keyClick(box, Qt.Key_Return)  # the default: Go back
    qtbot.waitUntil(lambda: wiz.pregnancy_question is None)
    _back_to(qtbot, window)
    assert wiz.index == 0 and "Not saved: the pregnancy answer differs" in wiz.page_error.text()
    assert focus() is wiz.page("patient").pregnant  # the answer to check
    assert context.store.case_count() == count
    # Esc goes back too
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.keyClick(_pregnancy_question(qtbot, wiz), Qt.Key_Escape)  # the open-case choice stands: not asked again
    qtbot.waitUntil(lambda: wiz.pregnancy_question is None)
    assert context.store.case_count() == count


def test_save_anyway_is_audited_and_both_case_pages_name_it(window, qtbot, context):
    old = _pregnant_case(context)
    wiz = _open_intake(window, qtbot)
    wiz.load(_not_pregnant_intake())
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)
    qtbot.keyClick(_pregnancy_question(qtbot, wiz), Qt.Key_S, Qt.AltModifier)  # &Save anyway
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id not in (None, old))
    new_id = window.patient_view.case_id
    entry = [e for e in context.store.audit() if e.action == "import"][-1]
    [item] = entry.detail["pregnancy_differs_between_cases"]
    assert (item["pregnant_case"], item["weeks"], item["other_case"], item["day"]) == (old, 33, new_id,
                                                                                       TODAY.isoformat())
    page = window.patient_view
    assert page.pregnancy_differs.isVisibleTo(page) and old in page.pregnancy_differs.text()
    window.open_case(old)
    qtbot.waitUntil(lambda: window.patient_view.case_id == old)
    assert window.patient_view.pregnancy_differs.isVisibleTo(window.patient_view)
    assert new_id in window.patient_view.pregnancy_differs.text()


def test_no_question_when_the_cases_agree(window, qtbot, context):
    """Boundary: the new intake says pregnant, 31 weeks (4 from 33: a dating revision)."""
    old = _pregnant_case(context)
    wiz = _open_intake(window, qtbot)
    data = _not_pregnant_intake()
    data["patient"].pop("pregnant")
    data["patient"]["pregnancy_weeks"] = 29
    wiz.load(data)
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id not in (None, old))
    assert wiz.pregnancy_question is None
    assert "pregnancy_differs_between_cases" not in [e for e in context.store.audit() if e.action == "import"][-1].detail
    assert not window.patient_view.pregnancy_differs.isVisibleTo(window.patient_view)


def test_a_visit_saying_no_longer_pregnant_beside_the_other_case_asks(window, qtbot, context):
    """The other way in: a visit on one case records not pregnant while another case of hers
    counts 33 weeks that day; Go back (Esc) saves nothing; Save anyway saves it, audited."""
    old = _pregnant_case(context)
    other = case_dict("P-MIA", "Mia Example", 40, red_flags=NO_FLAGS)
    other["case_id"] = "P-MIA-older"
    context.store.import_cases([parse_case(other)], user="test", new_episode=True)
    window.open_case("P-MIA-older")
    qtbot.waitUntil(lambda: window.patient_view.case_id == "P-MIA-older")
    dialog = window.patient_view.add_visit()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(focus(), Qt.Key_G, Qt.AltModifier)  # Pre&gnancy at this visit
    qtbot.keyClick(focus(), Qt.Key_Down)
    qtbot.keyClick(focus(), Qt.Key_Down)  # No longer pregnant, or not pregnant
    assert dialog.pregnancy_answer() == "not_pregnant"
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.waitUntil(lambda: dialog.pregnancy_box is not None and dialog.pregnancy_box.isVisible())
    box = dialog.pregnancy_box
    assert f"case {old} records pregnant, 33 weeks" in box.text()
    assert box.defaultButton() is box.escapeButton() and box.defaultButton().text() == "&Go back"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: dialog.pregnancy_box is None)
    assert dialog.isVisible() and context.store.get_case("P-MIA-older").visits == ()
    # asked again; Save anyway saves it, and the visit's audit entry keeps the contradiction
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: dialog.pregnancy_box is not None and dialog.pregnancy_box.isVisible())
    box = dialog.pregnancy_box
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_S, Qt.AltModifier)  # &Save anyway
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert context.store.get_case("P-MIA-older").visits[-1].pregnancy == PregnancyUpdate(False)
    [entry] = [e for e in context.store.audit("P-MIA-older") if e.action == "visit_added"]
    [item] = entry.detail["pregnancy_differs_between_cases"]
    assert (item["pregnant_case"], item["other_case"], item["weeks"]) == (old, "P-MIA-older", 33)
    assert window.patient_view.pregnancy_differs.isVisibleTo(window.patient_view)
