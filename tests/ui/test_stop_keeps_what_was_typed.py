"""A window stopped (signal or crash guard) keeps the unfinished intake exactly as typed, and the
next start offers it whatever the database holds (tryout36 F2, F3; hazards H-UI-551..553).

F2: with no patient in the database the start showed only the welcome page: the kept draft, even
one recording an EMERGENCY, was offered only once a patient existed (the offer followed the
worklist table's first paint, and the welcome page replaces the table). Now the welcome page's
paint is the worklist's too.

F3: a number field holding text that is not a number ("7o" as the weight) reopened empty, "Not
recorded", while a height of 1.7 or a birth date 1950-02-30 came back flagged. The weight feeds the
kidney-function (Cockcroft-Gault) estimate, so it must never come back silently blank.
"""

from __future__ import annotations

import signal

from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import style
from radiculopathy_desktop.ui import wizard as wizard_module
from radiculopathy_desktop.ui.forms import NumberField
from radiculopathy_desktop.ui.wizard import DRAFT_KEY, IntakeWizard

from .keyboard import focus
from .test_intake_emergency_stays import CES_YES, _emergency_answered
from .test_stop_signals import _run_loop_and_send, _started, pytestmark  # noqa: F401 (POSIX only)

PATIENT_ID = "STOP-ID-551"


def _stop(c, signum=signal.SIGTERM):
    """Stop the running app with ``signum`` (kept as a draft, never asked) and shut it down."""
    assert _run_loop_and_send(c, signum) == 0
    c.shutdown()


def test_an_emergency_draft_is_offered_at_start_on_a_database_with_no_patient(qtbot, controllers, tmp_path):
    folder = tmp_path / "data"
    c = _started(qtbot, controllers, folder)
    worklist = c.window.views["worklist"]
    assert worklist.body.currentWidget() is worklist.first_run  # the welcome page: no patient yet
    wiz = _emergency_answered(c.window, qtbot, PATIENT_ID)  # faecal/saddle: EMERGENCY answered with keys
    assert "EMERGENCY - act now:" in wiz.banner.text() and "suspected cauda equina syndrome" in wiz.banner.text()
    _stop(c, signal.SIGHUP)
    assert c.store is None

    again = _started(qtbot, controllers, folder)
    window = again.window
    worklist = window.views["worklist"]
    assert again.store.case_count() == 0
    qtbot.waitUntil(window.draft_bar.isVisible, timeout=10000)
    assert worklist.body.currentWidget() is worklist.first_run and worklist.first_run.isVisible()
    said = window.draft_label.text()
    assert said.startswith("⚠ You have an unfinished intake") and CES_YES in said and "Act on it now" in said
    assert f"patient {PATIENT_ID}" in said  # whom to call, without opening it
    assert window.draft_bar.styleSheet() == style.banner_css("emergency")  # the emergency colours
    qtbot.keyClick(window, Qt.Key_O, Qt.AltModifier)  # "Open it (Alt+O)", as the bar says
    wiz = window.views["intake"]
    assert window.stack.currentWidget() is wiz and not window.draft_bar.isVisible()
    assert wiz.page("patient").pid.text() == PATIENT_ID
    assert wiz.banner.isVisible() and "EMERGENCY - act now:" in wiz.banner.text()


def test_an_ordinary_draft_is_offered_on_the_welcome_page_too(qtbot, controllers, tmp_path):
    folder = tmp_path / "data"
    c = _started(qtbot, controllers, folder)
    qtbot.keyClick(c.window, Qt.Key_3, Qt.ControlModifier)
    qtbot.keyClicks(c.window.views["intake"].pages[0].pid, PATIENT_ID)
    _stop(c)
    again = _started(qtbot, controllers, folder)
    qtbot.waitUntil(again.window.draft_bar.isVisible, timeout=10000)
    worklist = again.window.views["worklist"]
    assert worklist.body.currentWidget() is worklist.first_run
    said = again.window.draft_label.text()
    assert said.startswith("You have an unfinished intake") and "EMERGENCY" not in said
    assert PATIENT_ID not in said  # an ordinary draft names no one


def test_weight_typed_7o_is_kept_as_typed_and_flagged_after_a_stop(qtbot, controllers, tmp_path):
    folder = tmp_path / "data"
    c = _started(qtbot, controllers, folder)
    qtbot.keyClick(c.window, Qt.Key_3, Qt.ControlModifier)
    wiz = c.window.views["intake"]
    page = wiz.page("patient")
    qtbot.keyClicks(page.pid, PATIENT_ID)
    qtbot.keyClick(focus(), Qt.Key_G, Qt.AltModifier)  # Wei&ght
    assert focus() is page.weight
    qtbot.keyClicks(focus(), "7o")
    qtbot.keyClick(focus(), Qt.Key_E, Qt.AltModifier)  # H&eight
    qtbot.keyClicks(focus(), "1.7")
    qtbot.keyClick(focus(), Qt.Key_D, Qt.AltModifier)  # Birth &date
    qtbot.keyClicks(focus(), "1950-02-30")
    assert "not a number" in page.weight.error_label.text()
    _stop(c)

    from radiculopathy_desktop.storage.store import CaseStore
    store = CaseStore.open(folder)
    try:
        kept = store.load_draft(DRAFT_KEY)
    finally:
        store.close()
    assert kept["form"]["typed"] == {"patient.weight_kg": "7o"}  # exactly what was typed, nothing else
    assert "weight_kg" not in kept["data"]["patient"]  # never a number made up from it

    again = _started(qtbot, controllers, folder)
    qtbot.waitUntil(again.window.draft_bar.isVisible, timeout=10000)
    qtbot.keyClick(again.window, Qt.Key_3, Qt.ControlModifier)
    page = again.window.views["intake"].page("patient")
    assert page.weight.text() == "7o"  # not "Not recorded"
    assert page.weight.error_label.isVisible()
    assert page.weight.error_label.text() == "⚠ “7o” is not a number: Weight is 20-350 kg"
    assert page.height.text() == "1.7" and "1.7 is not possible" in page.height.error_label.text()
    assert page.birth.text() == "1950-02-30"
    # Next refuses until the weight is a number or cleared on purpose
    wiz = again.window.views["intake"]
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == wiz.page_index["patient"]


def test_every_number_field_keeps_text_that_is_not_a_number(qtbot, context):
    """Each number field of the intake (patient, examination, scores, STarT Back totals, kidney
    function), typed with keys, saved by the crash guard's path (``save_draft_now``), reopened by a
    new wizard on the same store: the same text, with its problem beside it."""
    wiz = IntakeWizard(context)
    qtbot.addWidget(wiz)
    boxes = [b for b in wiz.findChildren(NumberField) if b.field]
    assert len(boxes) >= 19
    typed = {}
    for n, box in enumerate(boxes):
        text = f"{n}x"
        box.setFocus()
        qtbot.keyClicks(box, text)
        assert box.value() is None and box.problem() is not None
        typed[box.field] = text
    assert wiz.save_draft_now() is True
    assert context.store.load_draft(DRAFT_KEY)["form"]["typed"] == typed

    again = IntakeWizard(context)
    qtbot.addWidget(again)
    reopened = {b.field: b for b in again.findChildren(NumberField) if b.field}
    assert {field: reopened[field].text() for field in typed} == typed
    assert all(reopened[field].problem().startswith(f"“{text}” is not a number: ") for field, text in typed.items())
    assert not again.has_input()  # reopening is not an edit


def test_a_draft_with_typed_values_that_are_not_text_is_refused_in_words():
    draft = {"page": 0, "data": {}, "form": {"typed": {"patient.weight_kg": 7}}}
    assert wizard_module.draft_problem(draft) == "its values typed as text are not text"
    draft["form"]["typed"] = ["7o"]
    assert wizard_module.draft_problem(draft) == "its values typed as text are not text"
    draft["form"]["typed"] = {"patient.weight_kg": "7o"}
    assert wizard_module.draft_problem(draft) is None


def test_a_visit_with_leg_pain_typed_200x_is_kept_as_typed_and_never_saved_without_it(qtbot, controllers, store,
                                                                                      tmp_path):
    """The visit form keeps no draft of its own but a copy on this computer (offline-drafts/writes),
    saved later from the kept-items list without reopening the form: "200x" typed as the leg pain was
    dropped from that copy, so saving it stored the visit with no leg pain, unsaid. Now the copy holds
    the text as typed, the bar shows it, and saving it is refused in words; it stays kept."""
    from .window_steps import open_visit_dialog

    case = "P-NFU-case"  # a seed case of tests/ui/conftest.py, in tmp_path / "data"
    visits_before = len(store.get_case(case).visits)
    c = _started(qtbot, controllers, tmp_path / "data")
    dialog = open_visit_dialog(c.window, qtbot, case)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now
    qtbot.keyClicks(focus(), "200x")
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)  # &Back pain now
    qtbot.keyClicks(focus(), "3")
    assert dialog.has_input() and "not a number" in dialog.leg.error_label.text()
    _stop(c)

    again = _started(qtbot, controllers, tmp_path / "data")
    qtbot.waitUntil(lambda: again.window.kept_bar is not None and again.window.kept_bar.isVisible(), timeout=10000)
    bar = again.window.kept_bar
    assert "(leg pain 200x, back pain 3)" in bar.label.text()
    review = bar.review()
    qtbot.waitExposed(review)
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    said = review.list.item(0).text()
    assert "leg_nrs must be a number, not text" in said and "Nothing was saved" in said
    assert len(again.store.get_case(case).visits) == visits_before  # never saved without its leg pain
    assert review.writes()  # still kept
    review.close()
