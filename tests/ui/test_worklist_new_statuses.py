"""The worklist's two new statuses as a clinician meets them: their own buttons and counts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from .conftest import TODAY, case_dict, seed_cases


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    extra = [
        # day 60, leg pain 7 -> 3 ten days ago: improving, keep under review
        case_dict("P-IMP", "Ida Improving", 60, visits=[{"date": (TODAY - dt.timedelta(days=10)).isoformat(),
                                                         "leg_nrs": 3, "back_nrs": 4}]),
        # the bladder question never answered: ask now
        case_dict("P-ASK", "Abe Ask", 20, red_flags={"urinary_retention_or_incontinence": "unknown"}),
    ]
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + extra], user="test")
    yield s
    s.close()


def test_improving_and_ask_red_flags_have_their_own_buttons_and_counts(window, qtbot):
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)
    assert view.filter_buttons["improving"].text() == "Improving: keep under review (1)"
    assert view.filter_buttons["ask_red_flags"].text() == "Ask red-flag questions (1)"
    assert view.all_button.text() == "Surgical review (6)"  # both are on the default worklist
    rows = {view.model.rows[r].case_id: view.model.data(view.model.index(r, 0)) for r in range(view.model.rowCount())}
    assert rows["P-IMP-case"] == "Improving: keep under review"
    assert rows["P-ASK-case"] == "Ask red-flag questions"
    assert list(rows)[:2] == ["P-RED-case", "P-ASK-case"]  # asking comes right after immediate

    qtbot.mouseClick(view.filter_buttons["improving"], Qt.LeftButton)
    shown = [view.model.rows[r].case_id for r in range(view.model.rowCount())]
    assert shown == ["P-IMP-case"]
