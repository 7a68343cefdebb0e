"""The window's stepped care shows the order of care and the review state as the CLI does
(rd13 D13): for the S1 example on 2026-11-30, "3. Medicines" is "Tried: review" naming the
gabapentin rated REDUCE DOSE, "4. Imaging" is now and "5. Injections" next, needing the MRI first."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 30)


@pytest.fixture
def s1_window(qtbot, tmp_path):
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow
    case = parse_case(json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text(encoding="utf-8")))
    store = CaseStore.open(tmp_path / "data")
    store.import_cases([case], user="test")
    context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "data", today=lambda: AS_OF)
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w, case
    w.close()
    store.close()


def _ladder_rows(text: str) -> dict[str, str]:
    """Each ladder row's text (title, state, why: the table's cells), by step title."""
    ladder = text[text.index("Stepped care"):]
    titles = ["3. Medicines", "4. Imaging", "5. Injections and procedures", "6. Surgical opinion"]
    starts = [ladder.index(t) for t in titles] + [ladder.index("Show the details")]
    return {t.split(". ", 1)[1]: ladder[starts[i]:starts[i + 1]] for i, t in enumerate(titles)}


def test_window_and_cli_show_review_then_mri_now_then_injection(s1_window, qtbot):
    window, case = s1_window
    window.open_case(case.case_id)
    pathway = window.patient_view.pathway
    qtbot.waitUntil(lambda: "Stepped care" in pathway.toPlainText())
    text = pathway.toPlainText()
    assert "Now: 4. Imaging" in text
    rows = _ladder_rows(text)
    assert "Tried: review" in rows["Medicines"] and "Review: gabapentin: reduce dose" in rows["Medicines"]
    assert "Next" in rows["Injections and procedures"]
    assert "Needs step 4 (Imaging) first" in rows["Injections and procedures"]
    assert text.index("4. Imaging") < text.index("5. Injections and procedures")
    # the CLI text of the same assessment says the same
    cli = assessment_text(assess_case(case, AS_OF, profile="us").to_dict())
    assert " !! 3. Medicines [review]" in cli and "Review: gabapentin: reduce dose" in cli
    assert " >> 4. Imaging [current]" in cli and " .. 5. Injections and procedures [next]" in cli


def test_details_keep_the_order_and_name_the_state(s1_window, qtbot):
    window, case = s1_window
    window.open_case(case.case_id)
    pathway = window.patient_view.pathway
    qtbot.waitUntil(lambda: "Stepped care" in pathway.toPlainText())
    pathway.set_details_open(True)
    text = pathway.toPlainText()
    assert "3. Medicines — Tried: review" in text
    assert text.index("4. Imaging — Now") < text.index("5. Injections and procedures — Next")


def test_guideline_view_states_each_prerequisite_for_both_profiles(s1_window, qtbot):
    from PySide6.QtCore import Qt
    window, _ = s1_window
    view = window.show_view("guideline")
    assert view.profile.currentData() == "us"
    text = view.browser.toPlainText()
    assert text.index("4. Imaging") < text.index("5. Injections and procedures") < text.index("6. Surgical opinion")
    inj = text[text.index("5. Injections and procedures"):text.index("6. Surgical opinion")]
    assert "Needs step 4 (Imaging) first:" in inj and "ACP/APS 2007" in inj
    # the reader picks the uk guideline with the keyboard
    view.profile.setFocus()
    index = view.profile.findData("uk")
    while view.profile.currentIndex() != index:
        qtbot.keyClick(view.profile, Qt.Key_Down if view.profile.currentIndex() < index else Qt.Key_Up)
    text = view.browser.toPlainText()
    inj = text[text.index("5. Injections and procedures"):text.index("6. Surgical opinion")]
    assert "Needs step" not in inj  # NICE: no imaging condition on an epidural
    surgery = text[text.index("6. Surgical opinion"):]
    assert "Before it: Imaging:" in surgery and "consistent with the sciatic symptoms" in surgery
