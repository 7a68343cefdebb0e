"""The intake wizard driven from the keyboard, as a clinician would."""

from __future__ import annotations

import logging

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QRadioButton

from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
from radiculopathy_desktop.ui import wizard as wizard_module

from .conftest import TODAY
from .keyboard import focus, tab, type_here  # noqa: F401
from .keyboard import tab_until as _tab_until


def tab_until(qtbot, predicate, limit=40):  # the intake's tab order is short: 40 presses at most
    return _tab_until(qtbot, predicate, limit)


def next_step(qtbot, wizard):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)


def open_wizard(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    assert window.stack.currentWidget() is wiz
    return wiz


def open_wizard_loaded(window, qtbot, pid: str, age_years: int):
    """The intake wizard with its first two pages loaded (not typed): the patient ``pid``
    aged ``age_years``, left buttock pain."""
    wiz = open_wizard(window, qtbot)
    wiz.pages[0].load({"patient": {"id": pid, "age_years": age_years}})
    wiz.pages[1].load({"side": "left", "regions": ["buttock"]})
    return wiz


def answer_red_flags(qtbot, wiz, yes=()):
    page = wiz.pages[2]
    for key, group in page.groups.items():
        tab_until(qtbot, lambda w: isinstance(w, QRadioButton) and w in group.buttons.values())
        button = group.buttons["yes" if key in yes else "no"]
        while focus() is not button:
            qtbot.keyClick(focus(), Qt.Key_Right)
        qtbot.keyClick(focus(), Qt.Key_Space)
        assert group.value() == ("yes" if key in yes else "no")


def fill_patient_page(qtbot, wiz, pid="P-KEY"):
    assert focus() is wiz.pages[0].pid
    type_here(qtbot, pid)
    tab(qtbot)
    type_here(qtbot, "Kim Keyboard")
    tab(qtbot)
    type_here(qtbot, "1970-05-06")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)  # Symptoms s&tarted on: empty and required
    assert focus() is wiz.pages[0].onset and wiz.pages[0].onset.text() == ""
    type_here(qtbot, "2026-02-01")
    next_step(qtbot, wiz)


def test_full_intake_by_keyboard_appears_on_worklist(window, qtbot):
    wiz = open_wizard(window, qtbot)
    # Next is blocked with the reason beside the field
    next_step(qtbot, wiz)
    assert wiz.index == 0
    assert "required" in wiz.pages[0].form.errors["patient.id"].text().lower()
    fill_patient_page(qtbot, wiz)
    assert wiz.index == 1

    # symptoms: side, then regions on the diagram with the keyboard
    page = wiz.pages[1]
    qtbot.keyClick(focus(), Qt.Key_Space)  # "Left"
    assert page.side.value() == "left"
    tab_until(qtbot, lambda w: w is page.diagram)
    qtbot.keyClick(page.diagram, Qt.Key_Space)  # buttock
    for _ in range(3):
        qtbot.keyClick(page.diagram, Qt.Key_Right)
    qtbot.keyClick(page.diagram, Qt.Key_Space)
    assert len(page.regions) == 2
    assert page.checklist.boxes["buttock"].isChecked()
    assert "Suggested root" in page.root.text()
    next_step(qtbot, wiz)
    assert wiz.index == 2

    # red flags: Next blocked until every question is answered
    next_step(qtbot, wiz)
    assert wiz.index == 2
    answer_red_flags(qtbot, wiz)
    assert not wiz.pages[2].banner.isVisible()
    next_step(qtbot, wiz)
    assert wiz.index == 3
    next_step(qtbot, wiz)  # examination: nothing required
    assert wiz.index == 4

    # scores: leg and back pain required
    next_step(qtbot, wiz)
    assert wiz.index == 4
    assert focus() is wiz.pages[4].leg
    type_here(qtbot, "8")
    tab(qtbot)
    type_here(qtbot, "3")
    next_step(qtbot, wiz)
    assert wiz.index == 5
    next_step(qtbot, wiz)
    assert wiz.index == 6
    next_step(qtbot, wiz)  # on the last step Ctrl+Return saves

    assert window.stack.currentWidget() is window.patient_view
    case_id = window.patient_view.case_id
    assert case_id.startswith("P-KEY-")
    case = window.context.store.get_case(case_id)
    assert case.patient.name == "Kim Keyboard" and case.intake.leg_nrs == 8
    # on the worklist filter for its status (new today: not due yet)
    view = window.views["worklist"]
    view.set_status_filter("not_due")
    ids = [view.model.rows[r].case_id for r in range(view.model.rowCount())]
    assert case_id in ids
    assert window.context.store.load_draft(wizard_module.DRAFT_KEY) is None


def test_red_flag_yes_shows_emergency_banner_at_once(window, qtbot):
    wiz = open_wizard_loaded(window, qtbot, "P-RF", 40)
    wiz._go(2)
    page = wiz.pages[2]
    assert not page.banner.isVisible()
    group = page.groups["saddle_anaesthesia"]
    assert focus() is group.buttons["yes"]
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert page.banner.isVisible()
    assert "EMERGENCY" in page.banner.text()
    assert wiz.index == 2  # shown before the last page


def test_intake_with_red_flag_is_immediate_on_worklist(window, qtbot):
    wiz = open_wizard(window, qtbot)
    fill_patient_page(qtbot, wiz, pid="P-CES")
    wiz.pages[1].load({"side": "left", "regions": ["buttock"]})
    next_step(qtbot, wiz)
    answer_red_flags(qtbot, wiz, yes=("urinary_retention_or_incontinence",))
    assert "EMERGENCY" in wiz.pages[2].banner.text()
    next_step(qtbot, wiz)
    next_step(qtbot, wiz)
    wiz.pages[4].load({"pain": {"leg_nrs": 6, "back_nrs": 6}})
    next_step(qtbot, wiz)
    next_step(qtbot, wiz)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    view = window.views["worklist"]
    view.set_status_filter("worklist")
    top = view.model.rows[0]
    assert top.case_id.startswith("P-CES") or view.model.data(view.model.index(0, 0)) == "Immediate"
    statuses = {view.model.rows[r].case_id: view.model.data(view.model.index(r, 0))
                for r in range(view.model.rowCount())}
    assert [v for k, v in statuses.items() if k.startswith("P-CES")] == ["Immediate"]


def test_draft_kept_on_close_and_reopened_where_it_stopped(window, qtbot, context, monkeypatch):
    monkeypatch.setattr(wizard_module, "ask_keep_draft", lambda parent: "keep")
    wiz = open_wizard(window, qtbot)
    fill_patient_page(qtbot, wiz, pid="P-DRAFT")
    assert wiz.index == 1
    window.close()
    assert not window.isVisible()
    draft = context.store.load_draft(wizard_module.DRAFT_KEY)
    assert draft["page"] == 1 and draft["data"]["patient"]["id"] == "P-DRAFT"

    from radiculopathy_desktop.ui.main_window import MainWindow
    again = MainWindow(context)
    qtbot.addWidget(again)
    again.show()
    wiz2 = again.show_view("intake")
    assert wiz2.index == 1
    assert wiz2.pages[0].pid.text() == "P-DRAFT"
    assert wiz2.pages[0].name.text() == "Kim Keyboard"


def test_closing_can_be_cancelled_and_discard_removes_draft(window, qtbot, context, monkeypatch):
    wiz = open_wizard(window, qtbot)
    fill_patient_page(qtbot, wiz, pid="P-GONE")
    monkeypatch.setattr(wizard_module, "ask_keep_draft", lambda parent: "cancel")
    window.close()
    assert window.isVisible()
    monkeypatch.setattr(wizard_module, "ask_keep_draft", lambda parent: "discard")
    window.close()
    assert not window.isVisible()
    assert context.store.load_draft(wizard_module.DRAFT_KEY) is None


def test_wrong_dates_blocked_with_reason(window, qtbot):
    wiz = open_wizard(window, qtbot)
    p = wiz.pages[0]
    p.pid.setText("P-DATE")
    p.age.setValue(50)
    p.onset.set_day(TODAY)
    p.visit.set_day(TODAY.replace(day=1))
    next_step(qtbot, wiz)
    assert wiz.index == 0
    assert "before" in p.form.errors["visit_date"].text()


def test_duplicate_case_refused_in_words(window, qtbot, context):
    wiz = open_wizard(window, qtbot)
    existing = context.store.get_case("P-NEW-case")
    from radiculopathy_desktop.domain.intake import case_to_dict
    data = case_to_dict(existing)
    data.pop("case_id")
    wiz.load(data)
    wiz.pages[0].pid.setText("P-NEW")
    wiz._go(6)
    store_count = context.store.case_count()
    wiz.save()
    # the same patient and onset date: this case already exists (gp18 F5, tests/ui/test_intake_same_episode.py),
    # asked before a new episode could be offered
    from .test_intake_same_episode import _episode_question
    box = _episode_question(qtbot, wiz)
    assert "This case already exists" in box.text() and "is already case P-NEW-case in the tracker" in box.text()
    assert wiz.open_case_question is None
    qtbot.keyClick(box, Qt.Key_Escape)  # Go back
    qtbot.waitUntil(lambda: wiz.episode_question is None)
    assert context.store.case_count() == store_count
    assert "Not saved: patient P-NEW already has case P-NEW-case" in wiz.page_error.text()


def test_red_flag_page_groups_every_question_by_what_it_screens_for(window, qtbot):
    from radiculopathy_desktop.domain.triage import question_groups
    wiz = open_wizard(window, qtbot)
    page = wiz.pages[2]
    groups = dict(question_groups())
    assert [k for keys in groups.values() for k in keys] == list(RED_FLAG_QUESTIONS)  # each once, in order
    assert groups["Cauda equina syndrome"] == (
        "saddle_anaesthesia", "urinary_retention_or_incontinence", "faecal_incontinence_or_loss_of_rectal_sensation",
        "bilateral_leg_symptoms", "new_sexual_dysfunction")
    assert "fever" in groups["Spinal infection"] and "history_of_cancer" in groups["Cancer"]
    assert list(page.flag_screen.boxes) == list(groups)
    for title, keys in groups.items():
        box = page.flag_screen.boxes[title]
        assert box.title() == title and all(box.isAncestorOf(page.groups[k]) for k in keys)
    # nothing preselected at intake: every question needs an explicit answer
    assert all(g.value() is None and list(g.buttons) == ["yes", "no", "unknown"] for g in page.groups.values())


def _ready_intake(pid):
    from .conftest import NO_FLAGS, case_dict
    data = case_dict(pid, "Sam Saved", 0, red_flags=NO_FLAGS)
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    return data


# The wizard logs (kind only, no patient data) that the assessment record and the draft clean-up failed.
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_case_saved_but_a_later_step_failing_is_reported_as_saved(window, qtbot, context, monkeypatch):
    from radiculopathy_desktop.storage.db import StorageError
    shown = []
    monkeypatch.setattr(wizard_module, "show_error", lambda *a, **k: shown.append(a))
    wiz = open_wizard(window, qtbot)
    wiz.load(_ready_intake("P-HALF"))
    wiz._go(len(wiz.pages) - 1)
    assert wiz.assessment is not None

    def full(*_a, **_k):
        raise StorageError("disk_full", "The disk is full, so the change could not be saved. Nothing was changed.")

    monkeypatch.setattr(context.store, "save_assessment", full)
    monkeypatch.setattr(context.store, "delete_draft", full)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    case_id = window.patient_view.case_id
    assert case_id.startswith("P-HALF") and context.store.has_case(case_id)
    assert window.stack.currentWidget() is window.patient_view  # opened like any saved case
    assert shown == []  # never "nothing was changed" for a case that was saved
    text = wiz.notice.text()
    assert wiz.notice.isVisible() and f"The case {case_id} was saved" in text
    assert "first assessment" in text and "draft could not be removed" in text and "The disk is full" in text
    assert "Nothing was changed" not in text
    assert wiz.index == 0 and wiz.pages[0].pid.text() == ""
    wiz.notice.close()


def test_case_not_saved_keeps_the_form_and_says_so(window, qtbot, context, monkeypatch):
    from radiculopathy_desktop.storage.db import StorageError
    shown = []
    monkeypatch.setattr(wizard_module, "show_error", lambda parent, exc, kept_input=False: shown.append(kept_input))
    wiz = open_wizard(window, qtbot)
    wiz.load(_ready_intake("P-FULL"))
    wiz._go(len(wiz.pages) - 1)

    def full(*_a, **_k):
        raise StorageError("disk_full", "The disk is full, so the change could not be saved. Nothing was changed.")

    monkeypatch.setattr(context.store, "import_cases", full)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    assert shown == [True]  # the error says what was typed is kept
    assert wiz.index == len(wiz.pages) - 1 and wiz.pages[0].pid.text() == "P-FULL"
    assert wiz.notice is None


def test_a_patient_id_belonging_to_someone_else_is_refused_on_save(window, qtbot, context):
    """Red-team A7: the intake refuses a second person under an existing patient ID, keeping the form."""
    wiz = open_wizard(window, qtbot)
    wiz.load(_ready_intake("P-NEW"))  # P-NEW is Nell New; this form says Sam Saved
    wiz._go(len(wiz.pages) - 1)
    count = context.store.case_count()
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    assert context.store.case_count() == count
    assert wiz.index == 0 and wiz.pages[0].pid.text() == "P-NEW"  # back on the patient step, all kept
    text = wiz.page_error.text()
    assert "already belongs to someone else" in text and "name: stored 'Nell New', new 'Sam Saved'" in text
    assert wiz.pages[0].form.errors["patient.id"].isVisible()
    # the same person (same name, birth details and sex): a new case for that patient is saved
    wiz.pages[0].name.setFocus()
    wiz.pages[0].name.selectAll()
    type_here(qtbot, "Nell New")
    wiz._go(len(wiz.pages) - 1)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    # Nell New's case is open: a new episode beside it only deliberately (gp14 G10)
    from .test_intake_open_case import _question
    qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)
    qtbot.waitUntil(lambda: context.store.case_count() == count + 1)
    assert window.patient_view.case_id != "P-NEW-case" and window.patient_view.case_id.startswith("P-NEW")


def test_onset_starts_empty_and_is_required(window, qtbot, context):
    """Red-team A8: an untouched onset was "today" (phase acute, day 0) for months of symptoms."""
    wiz = open_wizard(window, qtbot)
    p = wiz.pages[0]
    assert p.onset.text() == "" and p.visit.day() == TODAY and p.care.day() == TODAY
    type_here(qtbot, "P-ONSET")
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)  # &age
    type_here(qtbot, "50")
    next_step(qtbot, wiz)
    assert wiz.index == 0  # not without the onset
    assert p.form.errors["onset_date"].isVisible() and p.form.errors["onset_date"].text()
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)
    assert focus() is p.onset
    type_here(qtbot, "2025-12-01")
    next_step(qtbot, wiz)
    assert wiz.index == 1


def test_care_start_follows_the_visit_date_until_typed(window, qtbot):
    """Conservative care starts at this visit unless the clinician types an earlier start."""
    wiz = open_wizard(window, qtbot)
    p = wiz.pages[0]
    qtbot.keyClick(focus(), Qt.Key_V, Qt.AltModifier)  # &Visit date: back-entering yesterday's visit
    assert focus() is p.visit
    yesterday = TODAY - __import__("datetime").timedelta(days=1)
    p.visit.selectAll()
    type_here(qtbot, yesterday.isoformat())
    assert p.care.day() == yesterday
    qtbot.keyClick(focus(), Qt.Key_C, Qt.AltModifier)  # &Conservative care started: typed, then kept
    assert focus() is p.care
    p.care.selectAll()
    type_here(qtbot, "2026-01-05")
    qtbot.keyClick(focus(), Qt.Key_V, Qt.AltModifier)
    p.visit.selectAll()
    type_here(qtbot, TODAY.isoformat())
    assert p.care.text() == "2026-01-05"
    wiz.reset()  # a new intake starts again with onset empty and care following the visit
    assert p.onset.text() == "" and p.care.day() == TODAY and p.care_follows_visit


def test_a_typed_age_that_contradicts_the_birth_date_is_asked_about_not_chosen_silently(window, qtbot):
    """Both typed and they disagree: one is a typo, and age over 50 is a red-flag fact, so
    Next stops on the age with both ages in words; correcting the age (or clearing it,
    so the birth date is used) lets the intake go on. A matching pair passes."""
    wiz = open_wizard(window, qtbot)
    p = wiz.pages[0]
    type_here(qtbot, "P-AGE")
    qtbot.keyClick(focus(), Qt.Key_D, Qt.AltModifier)  # Birth &date
    born = TODAY.replace(year=TODAY.year - 72)
    type_here(qtbot, born.isoformat())
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)  # …or &age
    type_here(qtbot, "45")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)
    type_here(qtbot, "2026-02-01")
    next_step(qtbot, wiz)
    assert wiz.index == 0
    message = p.form.errors["patient.age_years"]
    assert message.isVisible()
    assert "makes the patient 72" in message.text() and "age typed is 45" in message.text()
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)
    assert focus() is p.age
    qtbot.keyClick(focus(), Qt.Key_A, Qt.ControlModifier)
    type_here(qtbot, "72")
    next_step(qtbot, wiz)
    assert wiz.index == 1


def test_save_repeats_the_checks_of_the_pages_it_never_left_by_next(window, qtbot, context):
    """Red-team rt5 F2: a draft reopened at its last step reached Save without Next on the
    patient page, so a typed age against the birth date (a red-flag fact over 50) was saved.
    Save now runs every page's own checks and sends the user to the first page with one."""
    wiz = open_wizard(window, qtbot)
    before = context.store.case_count()
    data = _ready_intake("P-CLASH")
    data["patient"] = {**data["patient"], "birth_date": "1980-01-01", "age_years": 67}
    wiz.load(data)
    wiz._go(len(wiz.pages) - 1)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    assert wiz.index == 0
    assert "age typed is 67" in wiz.pages[0].form.errors["patient.age_years"].text()
    assert context.store.case_count() == before  # nothing saved
    assert wiz.pages[0].pid.text() == "P-CLASH"  # and nothing typed lost
