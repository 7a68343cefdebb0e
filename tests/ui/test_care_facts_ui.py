"""Imaging requested and self-management advice on the visit form and the intake (issue 16)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.care_facts import ImagingRecord, SelfManagementRecord

from .conftest import TODAY
from .keyboard import focus
from .window_steps import open_visit_dialog as _visit_dialog


def _choose(qtbot, box, code):
    """Pick an option with the keyboard: focus the list, arrow down until it is chosen."""
    box.setFocus()
    assert focus() is box
    qtbot.keyClick(box, Qt.Key_Home)
    for _ in range(box.count()):
        if box.currentData() == code:
            return
        qtbot.keyClick(box, Qt.Key_Down)
    assert box.currentData() == code


def _save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)


def test_visit_saved_without_touching_the_group_records_not_recorded(window, qtbot, context):
    dialog = _visit_dialog(window, qtbot, "P-DUE-case")
    group = dialog.care_facts
    assert group.imaging.currentText() == "Not recorded" and group.advice.currentText() == "Not recorded"
    assert not group.modality.isEnabled() and not group.handout.isEnabled()
    dialog.leg.setValue(6)
    _save(qtbot, dialog)
    visit = context.store.get_case("P-DUE-case").visits[-1]
    assert visit.leg_nrs == 6 and visit.imaging is None and visit.self_management is None


def test_imaging_without_modality_is_refused_beside_the_field_then_saved(window, qtbot, context):
    dialog = _visit_dialog(window, qtbot, "P-DUE-case")
    group = dialog.care_facts
    dialog.leg.setValue(6)
    _choose(qtbot, group.imaging, "yes")
    assert group.modality.isEnabled()
    _choose(qtbot, group.by_specialist, "no")
    _choose(qtbot, group.reason, "suspected_serious_pathology")
    _save(qtbot, dialog)
    assert dialog.isVisible()  # nothing saved, what was typed kept
    assert "modality is required" in group.form.errors["visit.imaging.modality"].text().lower()
    assert len(context.store.get_case("P-DUE-case").visits) == 1
    _choose(qtbot, group.modality, "mri")
    _choose(qtbot, group.advice, "yes")
    _choose(qtbot, group.handout, "yes")
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    visit = context.store.get_case("P-DUE-case").visits[-1]
    assert visit.imaging == ImagingRecord(True, TODAY, "mri", False, "suspected_serious_pathology")
    assert visit.self_management == SelfManagementRecord(True, TODAY, True)


def test_intake_records_advice_given_and_no_imaging(window, qtbot, context):
    from .conftest import NO_FLAGS, case_dict
    from .test_wizard import open_wizard

    data = case_dict("P-ADV", "Ada Advice", 0, red_flags=NO_FLAGS)
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    wiz = open_wizard(window, qtbot)
    wiz.load(data)
    page = next(p for p in wiz.pages if hasattr(p, "care_facts"))
    wiz._go(wiz.pages.index(page))
    _choose(qtbot, page.care_facts.imaging, "no")
    _choose(qtbot, page.care_facts.advice, "yes")
    _choose(qtbot, page.care_facts.handout, "yes")
    wiz._go(len(wiz.pages) - 1)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    case = context.store.get_case(window.patient_view.case_id)
    assert case.intake.imaging == ImagingRecord(False)
    assert case.intake.self_management == SelfManagementRecord(True, TODAY, True)
    # reopening the record in the form shows what was saved
    from radiculopathy_desktop.domain.intake import case_to_dict
    page.care_facts.load(case_to_dict(case))
    assert page.care_facts.imaging.currentData() == "no" and page.care_facts.handout.currentData() == "yes"
