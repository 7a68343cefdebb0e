"""The handout dialog while one patient's two cases disagree on her pregnancy (gp18 F1, harm).

FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
avoiding NSAIDs in pregnant women at 20 weeks". Case 1 recorded 33 weeks 20 days ago (35 weeks today, counted on); the patient's other case
records "not pregnant" that day; both on ibuprofen. The "not pregnant" case's sheet reads its own
answer ("keep taking"): the dialog says so in red as it opens, and Print / Save as PDF ask first,
Go back the default (Return and Esc print nothing); "Print anyway" saves. Neither answer is assumed.
A patient whose cases agree is never asked.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .test_exports import _handout_dialog, save_to  # noqa: F401 - save_to is a fixture


def _two_cases(context, pid="P-PREG2"):
    preg = case_dict(pid, "Ada Example", 20)
    preg["patient"]["pregnancy_weeks"] = 33
    preg["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    notpreg = case_dict(pid, "Ada Example", 0)
    notpreg["case_id"] = f"{pid}-second"
    notpreg["onset_date"] = (TODAY - dt.timedelta(days=3)).isoformat()
    notpreg["patient"]["pregnant"] = False
    notpreg["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(preg)], user="test")
    context.store.import_cases([parse_case(notpreg)], user="test", new_episode=True)
    return preg["case_id"], notpreg["case_id"]


def _answer_next_box(qtbot, key, seen):
    """Press ``key`` on the question when it opens (it is modal: it runs its own loop)."""
    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append((box.text(), box.defaultButton().text()))
        if key == "anyway":
            [anyway] = [b for b in box.buttons() if b.text() == "&Print anyway"]
            qtbot.mouseClick(anyway, Qt.LeftButton)
        else:
            qtbot.keyClick(box, key)
    QTimer.singleShot(0, press)


def _open(window, qtbot, case_id):
    window.open_case(case_id)
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return _handout_dialog(qtbot, window)


def test_the_not_pregnant_case_s_handout_says_it_and_asks_before_saving(window, qtbot, context, save_to, tmp_path):
    _preg, second = _two_cases(context)
    dialog = _open(window, qtbot, second)
    assert dialog.pregnancy_note.isVisible()
    said = dialog.pregnancy_note.text()
    assert "records her NOT pregnant, but case P-PREG2-case gives 35 weeks of pregnancy" in said
    assert "read as if she were not pregnant" in said
    out = tmp_path / "notpreg.pdf"
    asked = save_to(out)
    for key in (Qt.Key_Return, Qt.Key_Escape):  # Go back is the default and Esc: nothing saved
        seen = []
        _answer_next_box(qtbot, key, seen)
        qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: bool(seen))
        assert "gives 35 weeks of pregnancy" in seen[0][0] and seen[0][1] == "&Go back"
        assert not out.exists() and asked == []
        assert dialog.note.text().startswith("Not printed: the pregnancy differs from another case of this patient")
    seen = []
    _answer_next_box(qtbot, "anyway", seen)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists)
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_the_pregnant_case_names_it_too(window, qtbot, context):
    preg, _second = _two_cases(context)
    dialog = _open(window, qtbot, preg)
    assert dialog.pregnancy_note.isVisible()
    assert "gives 35 weeks of pregnancy" in dialog.pregnancy_note.text()
    assert "records her not pregnant" in dialog.pregnancy_note.text()
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_a_patient_whose_cases_do_not_disagree_is_not_asked(window, qtbot, context, save_to, tmp_path):
    _two_cases(context)  # another patient's contradiction
    dialog = _open(window, qtbot, "P-DUE-case")
    assert not dialog.pregnancy_note.isVisible()
    out = tmp_path / "plain.pdf"
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists)
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
