"""Where "pregnancy differs" shows in the window, its CSV and its summary (gp19 F11; rt21 F2, F7).

gp19 (1366x768): the worklist rows of Clara's two cases carried the mark in the cut end of the
Why cell ("AVOID: nurofen plus... PREGNANCY DIFFERS" off the right edge); the window's CSV gave
the 31-week row's medicine_alerts no mark and the stale row's ``pregnant`` a plain "no"; the
summary's page 1 said "Not pregnant (answered no at intake ...)" with no mark. rt21 F7: the stale
row's alerts were labelled "Pregnancy differs between cases", then "PREGNANCY DIFFERS" again.
Now: one wording, "Pregnancy differs", first in the Why (once), first in the 31-week row's
medicine_alerts, beside the answer in the CSV's ``pregnant`` and in page 1's Pregnancy row; the
stale row's alerts say the rating she would carry, "CONTRAINDICATED IF PREGNANT".

Driven as a GP would: Ctrl+1, the Medicine alerts filter by the arrow keys and Space, the Down
key through the rows (the Why under the list follows), Ctrl+Shift+X for the CSV, Return on a
row to open it and Ctrl+E for its summary.

The rating is the product's rule from its primary source (resources/medicines/sources.toml):
FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in
NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in
heart issues in the unborn baby." The new case records 33 weeks 20 days ago: 35 weeks today, so
ibuprofen is Contraindicated if she is pregnant as it records.
"""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_worklist_medicine_alerts_export import _choose_medicine_alerts_by_keys, _why

STALE, PREG = "P-CLARA-case", "P-CLARA-new"


def _seed(context):
    old = case_dict("P-CLARA", "Clara Carry", 300)
    old["patient"]["pregnant"] = False
    old["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(old)], user="test")
    new = case_dict("P-CLARA", "Clara Carry", 20)
    new["case_id"] = PREG
    new["patient"]["pregnancy_weeks"] = 33
    new["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(new)], user="test", new_episode=True)


@pytest.fixture
def seeded(context, request):
    _seed(context)
    return request.getfixturevalue("window")


def _rows(path) -> dict[str, dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {r["case_id"]: r for r in csv.DictReader(fh)}


def test_the_mark_opens_the_why_once_and_the_csv_says_it_on_both_rows(seeded, qtbot, save_to, tmp_path):
    window = seeded
    view = window.views["worklist"]
    _choose_medicine_alerts_by_keys(qtbot, window, view)
    why = _why(view)
    assert {STALE, PREG} <= set(why)
    # first in the cell, whatever its width; said once
    assert why[STALE].startswith("PREGNANCY DIFFERS. CONTRAINDICATED IF PREGNANT: ibuprofen. ")
    assert why[PREG].startswith("PREGNANCY DIFFERS. CONTRAINDICATED: ibuprofen. PREGNANT 35 WK. ")
    for cid in (STALE, PREG):
        assert why[cid].count("PREGNANCY DIFFERS") == 1, why[cid]
        assert "BETWEEN CASES" not in why[cid]

    # the Down key through the list: the Why under it names the other case's record first
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Home, Qt.ControlModifier)
    said = {}
    for _ in range(view.model.rowCount()):
        row = view.table.currentIndex().row()
        said[view.model.rows[row].case_id] = view.why_label.text()
        qtbot.keyClick(view.table, Qt.Key_Down)
    assert f"Pregnancy differs: case P-CLARA-new records 35 weeks pregnant on {TODAY.isoformat()} (today)" in said[STALE]
    assert "Pregnancy differs: case P-CLARA-case records not pregnant on" in said[PREG]

    out = tmp_path / "medicine-alerts.csv"
    save_to(out)
    with qtbot.waitSignal(window.views["worklist"].export_finished, timeout=20000):  # read in a worker (st21 leftover)
        qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    rows = _rows(out)
    assert rows[STALE]["pregnant"] == "no (pregnancy differs)"
    assert rows[PREG]["pregnant"] == "yes (pregnancy differs)" and rows[PREG]["pregnancy_weeks"] == "35"
    assert rows[STALE]["medicine_alerts"].startswith(
        "Contraindicated if pregnant: ibuprofen. Pregnancy differs between cases. If pregnant as case "
        "P-CLARA-new records (35 weeks): Stop it and choose another option.")
    assert rows[PREG]["medicine_alerts"].startswith(
        "Pregnancy differs: case P-CLARA-case records not pregnant on ")
    assert "Contraindicated: ibuprofen. Stop it and choose another option." in rows[PREG]["medicine_alerts"]


def test_the_summary_s_first_page_says_it_beside_the_answer(seeded, qtbot, save_to, tmp_path):
    from pypdf import PdfReader
    import unicodedata

    window = seeded
    view = window.views["worklist"]
    _choose_medicine_alerts_by_keys(qtbot, window, view)
    view.table.setFocus()
    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == STALE)
    qtbot.keyClick(view.table, Qt.Key_Home, Qt.ControlModifier)
    for _ in range(row):
        qtbot.keyClick(view.table, Qt.Key_Down)
    qtbot.keyClick(view.table, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.patient_view.isVisible() and window.patient_view.case_id == STALE)
    out = tmp_path / "summary.pdf"
    save_to(out)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key_E, Qt.ControlModifier)
    first = " ".join(unicodedata.normalize("NFKC", PdfReader(str(out)).pages[0].extract_text()).split())
    assert "Not pregnant (answered no at intake" in first
    assert (f"Pregnancy differs: case P-CLARA-new records 35 weeks pregnant on {TODAY.isoformat()}" in first
            and "see Medicine safety" in first), first
