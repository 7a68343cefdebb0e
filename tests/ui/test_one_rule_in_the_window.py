"""The window says what the engine says (issue 14, one rule one place): the visit
dialog's re-screen goes through ``triage.rescreen`` (the case's examination and
conditions count), the wizard's red-flag banner through ``triage.triage_draft`` (the
examination once entered), its age through ``intake.age_on`` (birth date first), and
the standing answers through the one rule the CLI and the worklist use.

Clinical expectations as in ``tests/domain/test_rescreen.py`` (ACP 2011, ACR 2021
Variant 6, NICE NG234): fever with a deficit on examination is an emergency (possible
epidural abscess); minor trauma with osteoporosis is a suspected fracture; unexplained
weight loss over 50 is suspected malignancy.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import Tier
from radiculopathy_desktop.domain.vocabulary import clinic_date
from radiculopathy_desktop.ui.forms import NOT_ASKED
from radiculopathy_desktop.ui.wizard import ExaminationPage, PatientPage, RedFlagPage, ScoresPage, SymptomsPage

from .conftest import TODAY, case_dict
from .keyboard import answer_by_keyboard, focus, tab, tab_until, type_here
from .test_visit_red_flags import _visit_dialog
from .test_wizard import next_step, open_wizard

D = dt.timedelta


def _add_case(context, pid, **extra):
    data = case_dict(pid, "Invented Person", 30, red_flags=extra.pop("red_flags", None),
                     visits=extra.pop("visits", ()))
    data.update(extra)
    context.store.import_cases([parse_case(data)], user="test")
    return f"{pid}-case"


def _rescreen(qtbot, dialog, key, answer):
    dialog.date.setFocus()
    tab_until(qtbot, lambda w: w is dialog.rescreen)
    qtbot.keyClick(dialog.rescreen, Qt.Key_Space)
    answer_by_keyboard(qtbot, dialog.flag_screen.groups[key], answer)


def _save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()


# --------------------------------------------------------------------------- the visit dialog
def test_visit_dialog_counts_the_case_conditions_minor_trauma_with_osteoporosis(window, qtbot, context):
    case_id = _add_case(context, "P-OST", conditions={"osteoporosis": True})
    dialog = _visit_dialog(window, qtbot, case_id)
    _rescreen(qtbot, dialog, "minor_trauma", "yes")
    assert dialog.banner.isVisible()
    assert "URGENT" in dialog.banner.text() and "suspected vertebral fracture" in dialog.banner.text()
    assert "Immediate" in dialog.banner.text()  # a new red flag: the worklist will say so
    shown = dialog.banner.accessibleDescription()
    _save(qtbot, dialog)
    saved = context.store.get_case(case_id)
    engine = assess_case(saved, TODAY).triage
    assert shown == f"{Tier(engine.tier).action_label}: {engine.headline()}" == f"URGENT - same day: {engine.headline()}"
    assert "Immediate" in window.patient_view.status.text()


def test_visit_dialog_counts_the_examination_fever_with_a_reduced_reflex(window, qtbot, context):
    case_id = _add_case(context, "P-REF", examination={"reflexes": {"achilles": "reduced"}})
    dialog = _visit_dialog(window, qtbot, case_id)
    _rescreen(qtbot, dialog, "fever", "yes")
    assert "EMERGENCY" in dialog.banner.text() and "epidural abscess" in dialog.banner.text()
    shown = dialog.banner.accessibleDescription()
    # answering no again takes it back: nothing raised at this visit
    answer_by_keyboard(qtbot, dialog.flag_screen.groups["fever"], "no")
    assert not dialog.banner.isVisible()
    answer_by_keyboard(qtbot, dialog.flag_screen.groups["fever"], "yes")
    _save(qtbot, dialog)
    engine = assess_case(context.store.get_case(case_id), TODAY).triage
    assert engine.tier == "emergency" and shown.endswith(engine.headline())


def test_visit_dialog_shows_what_stands_as_the_engine_counts_it(window, qtbot, context):
    earlier = (TODAY - D(days=10)).isoformat()
    kept = _add_case(context, "P-KEPT", red_flags={"fever": "yes"},
                     visits=[{"date": earlier, "red_flags": {"fever": "unknown"}}])
    cleared = _add_case(context, "P-CLR", red_flags={"fever": "yes"},
                        visits=[{"date": earlier, "red_flags": {"fever": "no"}}])
    for case_id, stands in ((kept, True), (cleared, False)):
        assert ("fever" in assess_case(context.store.get_case(case_id), TODAY).triage.fired) is stands
        dialog = _visit_dialog(window, qtbot, case_id)
        assert ("Fever" in dialog.standing_label.text()) is stands
        not_asked = dialog.flag_screen.groups["fever"].buttons[NOT_ASKED].text()
        # the previous answer and the record that gave it (redflag31): the unknown kept the intake's yes
        case = context.store.get_case(case_id)
        on = clinic_date(case.intake.visit_date if stands else TODAY - D(days=10))
        assert not_asked == (f"Not asked (last answered Yes on {on})" if stands else
                             f"Not asked (last answered No on {on})")
        assert ("Immediate" in window.patient_view.status.text()) is stands
        dialog.close()


# --------------------------------------------------------------------------- the intake wizard
def _page(wiz, kind):
    return next(p for p in wiz.pages if isinstance(p, kind))


def _to_page(qtbot, wiz, kind):
    target = wiz.pages.index(_page(wiz, kind))
    for _ in range(len(wiz.pages)):  # a page that refuses Next fails the test instead of looping
        if wiz.index >= target:
            break
        next_step(qtbot, wiz)
    while wiz.index > target:
        wiz.back()
    assert wiz.index == target


def _patient_typed(qtbot, wiz, birth: str, age: str):
    """Type the patient page as a clinician would: ID, name, birth date, then an age as well."""
    patient = _page(wiz, PatientPage)
    assert focus() is patient.pid
    type_here(qtbot, "P-AGE")
    tab(qtbot)
    type_here(qtbot, "Ada Age")
    tab(qtbot)
    type_here(qtbot, birth)
    tab(qtbot)
    assert focus() is patient.age
    type_here(qtbot, age)
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)
    type_here(qtbot, "2026-02-01")


def _red_flags_answered(qtbot, wiz, birth: str | None, age: str | None, yes: str) -> RedFlagPage:
    """Patient typed (unless ``birth`` is None: already typed), a left leg with buttock pain,
    then every red flag answered by keyboard: ``yes`` yes, the others no."""
    if birth is not None:
        _patient_typed(qtbot, wiz, birth, age)
    next_step(qtbot, wiz)
    assert wiz.index == 1, "the patient page refused Next"
    _page(wiz, SymptomsPage).load({"side": "left", "regions": ["buttock"]})
    _to_page(qtbot, wiz, RedFlagPage)
    red = _page(wiz, RedFlagPage)
    for key in red.groups:
        answer_by_keyboard(qtbot, red.groups[key], "yes" if key == yes else "no")
    return red


def test_wizard_age_is_the_engine_age_when_birth_date_and_typed_age_disagree(window, qtbot):
    """Both typed and they disagree: the patient page asks which is right (H-TRI-62); until
    then the live banner counts as the engine does (the birth date), and once the age is
    corrected the engine, the banner and the wizard say the same age."""
    wiz = open_wizard(window, qtbot)
    _patient_typed(qtbot, wiz, "1950-01-01", "30")
    next_step(qtbot, wiz)
    patient = _page(wiz, PatientPage)
    assert wiz.index == 0
    assert "makes the patient 76" in patient.form.errors["patient.age_years"].text()
    assert wiz.age() == 76  # by the birth date on the visit (2026-03-02); 30 was typed
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)
    assert focus() is patient.age
    qtbot.keyClick(focus(), Qt.Key_A, Qt.ControlModifier)
    type_here(qtbot, "76")
    red = _red_flags_answered(qtbot, wiz, None, None, "unexplained_weight_loss")
    # weight loss over 50: suspected malignancy (the typed 30 would have said routine)
    assert red.banner.isVisible() and "suspected spinal malignancy" in red.banner.text()
    _page(wiz, ScoresPage).load({"pain": {"leg_nrs": 6}})
    engine = parse_case(wiz.case_dict())
    assert engine.patient.age_on(engine.intake.visit_date) == wiz.age() == 76
    assert red.banner.accessibleDescription().endswith(assess_case(engine, TODAY).triage.headline())


def test_wizard_banner_follows_the_examination_once_entered(window, qtbot):
    wiz = open_wizard(window, qtbot)
    red = _red_flags_answered(qtbot, wiz, "1980-01-01", "", "fever")
    assert "URGENT" in red.banner.text() and "suspected spinal infection" in red.banner.text()
    # the examination finds a reduced ankle reflex: with fever, a possible epidural abscess
    _to_page(qtbot, wiz, ExaminationPage)
    exam = _page(wiz, ExaminationPage)
    box = exam.reflexes["achilles"]
    box.setFocus()
    for key in (Qt.Key_Up, Qt.Key_Down):
        for _ in range(box.count()):
            if box.currentData() == "reduced":
                break
            qtbot.keyClick(box, key)
    assert box.currentData() == "reduced"
    _to_page(qtbot, wiz, RedFlagPage)
    assert "EMERGENCY" in red.banner.text() and "epidural abscess" in red.banner.text()
    assert red.tier == "emergency"
