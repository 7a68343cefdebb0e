"""unrec34 (H-UI-531): the window's Worklist > "Medicine alerts" filter lists a patient whose medicines include names
the medicine list does not know ("naproxn 500mg bd" beside "apixban 5mg bd": a possible NSAID with an anticoagulant,
rated Avoid by rules.toml ix-nsaid-anticoagulant once read), counts the case in "Medicine alerts (N)" and its Why says
"NOT RECOGNISED: naproxn 500mg bd, apixban 5mg bd (check the names)." once. Before, the case was in no filter and
the Why said nothing. A patient whose names are all known and carry no alert is not listed; the case saved again
with the names corrected is listed for its pair (AVOID), no longer as not recognised.

Driven as a GP would: the Medicine alerts button clicked, the row highlighted.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import case_dict, seed_cases
from .window_steps import why_cells

NAPROXN, APIXBAN = "naproxn 500mg bd", "apixban 5mg bd"


def _on(pid, name, medicines):
    d = case_dict(pid, name, 10)
    d["patient"]["sex"] = "male"
    d["medicines"] = [{"name": n} for n in medicines]
    return d


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    extra = [_on("UNREC", "Una Typo", [NAPROXN, APIXBAN]),
             _on("KNOWN", "Kit Known", ["paracetamol 1g qds"])]  # recognised, no alert: not listed
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + extra], user="test")
    yield s
    s.close()


_why = why_cells


def _show_medicine_alerts(qtbot, view):
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    assert view.medicines_button.isChecked()
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)


def test_the_filter_counts_and_lists_misspelt_names_with_the_names_to_check(window, qtbot):
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)
    assert view.medicines_button.text() == "Medicine alerts (1)"  # UNREC only: the seed has no medicines
    assert "name is not recognised" in view.medicines_button.toolTip()
    _show_medicine_alerts(qtbot, view)
    why = _why(view)
    assert set(why) == {"UNREC-case"}
    assert why["UNREC-case"].startswith(f"NOT RECOGNISED: {NAPROXN}, {APIXBAN} (check the names).")
    assert why["UNREC-case"].count(NAPROXN) == 1  # said once
    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == "UNREC-case")
    view.table.setFocus()
    view.table.selectRow(row)
    assert "did you mean naproxen, apixaban?" in view.why_label.text()


def test_the_names_corrected_are_listed_for_the_pair_not_as_not_recognised(window, store, qtbot):
    from radiculopathy_desktop.domain.intake import parse_case

    fixed = _on("UNREC", "Una Typo", ["naproxen 500mg bd", "apixaban 5mg bd"])
    store.import_cases([parse_case(fixed)], user="test")
    view = window.views["worklist"]
    _show_medicine_alerts(qtbot, view)
    why = _why(view)["UNREC-case"]
    assert why.startswith("AVOID: naproxen 500mg bd. KEEP: apixaban 5mg bd"), why
    assert "NOT RECOGNISED" not in why
    assert view.medicines_button.text() == "Medicine alerts (1)"
