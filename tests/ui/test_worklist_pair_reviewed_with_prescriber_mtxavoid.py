"""mtxavoid (H-UI-528): the GP clicks Medicine alerts and looks at a patient taking methotrexate once a week with
ibuprofen. NSAIDs reduce methotrexate clearance (rules.toml ix-nsaid-methotrexate: avoid, or only with the prescriber
of the methotrexate); no side of the pair is cited as the one to keep, so the row's Why names the combination to review
with the prescriber and never lists methotrexate under AVOID. The patient on naproxen with apixaban keeps "KEEP:
apixaban" (avoidside)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import case_dict, seed_cases

IBU, MTX = "ibuprofen 400mg tds", "methotrexate 15mg once weekly"


def _taking(pid, medicines):
    d = case_dict(pid, "Mo " + pid, 0)
    d["medicines"] = [{"name": n} for n in medicines]
    return d


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    extra = [_taking("MTX-IBU", [MTX, IBU]), _taking("NAP-APX", ["naproxen", "apixaban 5mg bd"])]
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + extra], user="test")
    yield s
    s.close()


def _why_cell(view, case_id) -> str:
    from radiculopathy_desktop.ui.worklist import COLUMNS

    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == case_id)
    column = [key for key, _title in COLUMNS].index("reason")
    return view.model.data(view.model.index(row, column), Qt.DisplayRole)


def test_the_why_names_methotrexate_with_the_nsaid_as_a_pair_to_review_with_the_prescriber(window, qtbot):
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)
    why = _why_cell(view, "MTX-IBU-case")
    assert why.startswith(f"AVOID: {IBU} and {MTX} together (review both with the prescriber).")
    assert f"AVOID: {IBU}, {MTX}" not in why
    kept = _why_cell(view, "NAP-APX-case")
    assert kept.startswith("AVOID: naproxen. KEEP: apixaban 5mg bd (do not stop without its prescriber).")
