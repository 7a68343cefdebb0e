"""The window, for what the app believes about today (rt20 F1, F2; harm).

Before fxd19: case P-STALE-case answered "not pregnant" at its intake 300 days ago, is still open
and has ibuprofen; the patient's new case records 33 weeks 20 days ago (35 weeks today). Its page
read "not pregnant" with no red line, its row had no mark, Medicine alerts did not list it, and
its handout dialog said nothing. The same for P-NOASK-case, whose pregnancy was never asked.
Now each reads as a contradiction does: the red line with the alerts she would have, the mark and
the reason on Medicine alerts (counted as listed), and the handout dialog's question.

FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in
NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in
heart issues in the unborn baby." So at 35 weeks ibuprofen is Contraindicated.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_pregnancy_differs import _answer_next_box, _open
from .test_pregnancy_differs_everywhere import _why

STALE, NOASK = "P-STALE-case", "P-NOASK-case"


def _seed(context):
    for pid, answered in (("P-STALE", False), ("P-NOASK", None)):
        old = case_dict(pid, "Ada Example", 300 if answered is False else 3)
        if answered is not None:
            old["patient"]["pregnant"] = answered
        old["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
        context.store.import_cases([parse_case(old)], user="test")
        new = case_dict(pid, "Ada Example", 20)
        new["case_id"] = f"{pid}-new"
        new["patient"]["pregnancy_weeks"] = 33
        context.store.import_cases([parse_case(new)], user="test", new_episode=True)


@pytest.fixture
def seeded(context, request):
    _seed(context)
    return request.getfixturevalue("window")


def test_the_stale_case_page_names_the_weeks_and_the_alerts_she_would_have(seeded, qtbot):
    window = seeded
    for case_id in (STALE, NOASK):
        window.open_case(case_id)
        qtbot.waitUntil(lambda: window.patient_view.case_id == case_id and window.patient_view.isVisible())
        line = window.patient_view.pregnancy_differs
        assert line.isVisible()
        text = line.text()
        assert f"case {case_id[:-5]}-new records pregnant, 33 weeks" in text and "35 weeks pregnant" in text
        assert (f"If she is pregnant as case {case_id[:-5]}-new records (35 weeks on this day), this case's "
                "medicines carry: Contraindicated: ibuprofen.") in text
    assert "never asked about a pregnancy" in text  # the last: P-NOASK-case


def test_medicine_alerts_lists_both_with_their_reasons(seeded, qtbot):
    view = seeded.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)  # the list is read in a worker (st21)
    why = _why(view)
    assert {STALE, NOASK} <= set(why)
    assert view.medicines_button.text() == f"Medicine alerts ({len(why)})"  # the count is the list's
    # fxk20 (gp19 F11, rt21 F7): the mark opens the Why, once; then the rating she would carry
    assert why[STALE].startswith("PREGNANCY DIFFERS. CONTRAINDICATED IF PREGNANT: ibuprofen. ")
    assert why[NOASK].startswith("PREGNANCY DIFFERS. CONTRAINDICATED IF PREGNANT: ibuprofen. ")
    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == STALE)
    view.table.setFocus()
    view.table.selectRow(row)
    assert ("Contraindicated if pregnant: ibuprofen. Pregnancy differs between cases. If pregnant as case "
            "P-STALE-new records (35 weeks): ") in view.why_label.text()


def test_the_stale_case_s_handout_asks_before_saving(seeded, qtbot, save_to, tmp_path):
    dialog = _open(seeded, qtbot, STALE)
    assert dialog.pregnancy_note.isVisible()
    said = dialog.pregnancy_note.text()
    assert "records her NOT pregnant" in said and "case P-STALE-new gives 35 weeks of pregnancy" in said
    out = tmp_path / "stale.pdf"
    asked = save_to(out)
    seen = []
    _answer_next_box(qtbot, Qt.Key_Escape, seen)  # Go back: nothing saved
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))
    assert "35 weeks of pregnancy" in seen[0][0] and seen[0][1] == "&Go back"
    assert not out.exists() and asked == []
    assert dialog.note.text().startswith("Not printed: the pregnancy differs from another case of this patient")


def test_the_open_case_question_and_the_chooser_name_the_stale_case(seeded, qtbot):
    from PySide6.QtWidgets import QApplication

    from radiculopathy_desktop.ui.wizard import WhichOpenCase

    from .test_intake_open_case import _open_intake, _question, _type_patient

    window = seeded
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz, pid="P-STALE", name="Ada Example", onset=TODAY.isoformat())
    box = _question(qtbot, wiz)
    assert ("⚠ Case P-STALE-case: PREGNANCY DIFFERS between cases: case P-STALE-new records 35 weeks pregnant "
            f"on {TODAY.isoformat()} (today); if pregnant 35 weeks: Contraindicated ibuprofen") in box.text()
    assert box.defaultButton().text() == "&Cancel"
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)
    qtbot.waitUntil(lambda: isinstance(wiz.open_case_question, WhichOpenCase) and wiz.open_case_question.isVisible())
    chooser = wiz.open_case_question
    rows = {chooser.list.item(i).data(Qt.UserRole): chooser.list.item(i).text() for i in range(chooser.list.count())}
    assert rows[STALE].endswith("if pregnant 35 weeks: Contraindicated ibuprofen")
    chooser.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is chooser)
    qtbot.keyClick(chooser.list, Qt.Key_Escape)  # nothing chosen, nothing saved
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert len(window.context.store.patient_cases("P-STALE")) == 2
