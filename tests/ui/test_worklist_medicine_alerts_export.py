"""The window's "Export CSV..." of the Medicine alerts filter carries what defines the filter,
and the same columns as ``export cases --medicine-alerts`` (gp17 F11: the file had the cases
columns only, no reason why a row was on the list, while ``worklist --medicine-alerts --format
csv`` had ``dose_alerts,medicine_alerts,pregnancy``; and its ``pregnant`` column was to agree with
the window's own Why).

Driven as a GP would: Ctrl+1, Alt+S to the search box, Shift+Tab back to the filters, the
arrow keys to "Medicine alerts", Space, Ctrl+Shift+X, the file read back.

The alerts asserted are the product's rules, quoted from their primary sources
(resources/medicines/sources.toml):
- FDA Drug Safety Communication, 15 October 2020 (``fda-nsaid-pregnancy-2020``): NSAID labels
  advise against use "at 30 weeks and later in pregnancy because of the additional risk of
  premature closure of the fetal ductus arteriosus" (Contraindicated), and FDA "recommends
  avoiding use of NSAIDs in pregnancy at 20 weeks or later" (Avoid).
- Past 42 completed weeks (postterm, ``acog-postterm``, [unverified] in the data) a recorded
  pregnancy is asked about ("ask" in the cases CSV, "ASK: STILL PREGNANT?" in the Why).
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui import exports

from .conftest import TODAY, case_dict, seed_cases
from .window_steps import why_cells

IBUPROFEN = {"name": "ibuprofen", "daily_dose_mg": 1200}


def _pregnant(pid, name, care_days_ago, weeks, medicines=(), visits=()):
    d = case_dict(pid, name, care_days_ago, visits=visits)
    d["patient"]["pregnancy_weeks"] = weeks  # recorded on the intake's visit date
    d["medicines"] = list(medicines)
    return d


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    ended = _pregnant("PREG-END", "Erin Ended", 30, 26, [IBUPROFEN],
                      visits=[{"date": (TODAY - dt.timedelta(days=5)).isoformat(), "leg_nrs": 6,
                               "pregnancy": {"pregnant": False}}])
    found = case_dict("PREG-VIS", "Vera Visit", 20, visits=[
        {"date": (TODAY - dt.timedelta(days=3)).isoformat(), "leg_nrs": 6,
         "pregnancy": {"pregnant": True, "weeks": 24}}])
    found["medicines"] = [IBUPROFEN]
    over_max = case_dict("P-GABA", "Gabe Gabapentin", 40)
    over_max["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]
    extra = [
        _pregnant("PREG-1", "Pia Pregnant", 10, 32, [IBUPROFEN]),  # 33 weeks today: contraindicated
        _pregnant("PREG-29", "Tess Twentynine", 7, 28, [IBUPROFEN]),  # 29 weeks today: avoid
        _pregnant("PREG-OLD", "Olive Older", 200, 18, [IBUPROFEN]),  # 46 weeks: ask; the checks hold it at 42
        ended,  # pregnancy recorded ended at a visit 5 days ago: no pregnancy alert now (H-MED-260)
        found,  # 24 weeks recorded at a visit 3 days ago: avoid from the visit (H-MED-260)
        over_max,  # 4800 mg a day: above the label maximum
        _pregnant("PREG-NOMED", "Nora Nomed", 10, 12),  # pregnant, no medicine: not on the filter
    ]
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + extra], user="test")
    yield s
    s.close()


@pytest.fixture
def save_to(monkeypatch):
    asked = []

    def set_answer(path):
        monkeypatch.setattr(exports, "ask_save_path",
                            lambda parent, title, suggested, flt: asked.append((title, suggested)) or path)
        return asked
    return set_answer


def _export_by_keys(qtbot, window, view):
    """Ctrl+Shift+X; the Medicine alerts filter's export reads its cases in a worker (st21
    leftover), so its file is there once the export has finished."""
    with qtbot.waitSignal(view.export_finished, timeout=20000):
        qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


_why = why_cells


def _choose_medicine_alerts_by_keys(qtbot, window, view):
    """Ctrl+1, Alt+S to the search box, Shift+Tab back into the filter buttons (one tab stop),
    the arrow keys up to the first row and along it to Medicine alerts, Space (gp17's keys)."""
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key_S, Qt.AltModifier)
    assert QApplication.focusWidget() is view.search_box
    qtbot.keyClick(view.search_box, Qt.Key_Backtab, Qt.ShiftModifier)
    buttons = view.filter_bar.findChildren(type(view.medicines_button))
    target = view.medicines_button.geometry()
    for _ in range(3 * len(buttons)):
        focused = QApplication.focusWidget()
        assert focused in buttons, focused  # the keys stay in the filter bar
        if focused is view.medicines_button:
            break
        here = focused.geometry()
        key = Qt.Key_Up if here.y() > target.y() else (Qt.Key_Right if here.x() < target.x() else Qt.Key_Left)
        qtbot.keyClick(focused, key)
    assert QApplication.focusWidget() is view.medicines_button
    qtbot.keyClick(view.medicines_button, Qt.Key_Space)
    qtbot.waitUntil(lambda: view.model.medicines_only and not view.model.reading, timeout=10000)  # a worker reads it
    assert view.medicines_button.isChecked()


def test_the_medicine_alerts_export_says_why_each_case_is_on_it_and_its_pregnancy_agrees_with_the_why(
        window, qtbot, save_to, tmp_path):
    view = window.views["worklist"]
    _choose_medicine_alerts_by_keys(qtbot, window, view)
    why = _why(view)
    assert set(why) == {"PREG-1-case", "PREG-29-case", "PREG-OLD-case", "PREG-VIS-case", "P-GABA-case"}
    assert view.medicines_button.text() == "Medicine alerts (5)"

    out = tmp_path / "medicine-alerts.csv"
    asked = save_to(out)
    _export_by_keys(qtbot, window, view)
    assert asked and asked[0][1] == f"worklist-{TODAY.isoformat()}.csv"
    rows = {r["case_id"]: r for r in _rows(out)}
    assert set(rows) == set(why)  # the filter's cases, no other
    header = list(_rows(out)[0])
    # path34: would_not_consider_surgery added last (docs/csv-columns.md)
    assert header[-5:] == ["dose_alerts", "medicine_alerts", "medicine_content_version", "guideline_profile",
                           "would_not_consider_surgery"]
    assert {r["guideline_profile"] for r in rows.values()} == {window.context.profile()}  # prof30

    # each row says why it is on the list, in the worklist's words
    assert rows["PREG-1-case"]["medicine_alerts"] == "Contraindicated: ibuprofen. Stop it and choose another option."
    assert rows["PREG-29-case"]["medicine_alerts"].startswith("Avoid: ibuprofen.")
    assert rows["PREG-VIS-case"]["medicine_alerts"].startswith("Avoid: ibuprofen.")
    assert rows["PREG-OLD-case"]["medicine_alerts"].startswith("Contraindicated: ibuprofen.")
    assert rows["P-GABA-case"]["dose_alerts"] == "neurontin 600 mg 4800 mg/day > max 3600 mg/day"  # gabapentin label
    assert rows["P-GABA-case"]["medicine_alerts"]
    for cid, row in rows.items():
        assert row["medicine_alerts"], cid  # the column that defines the filter is never empty on it
        label = row["medicine_alerts"].split(":")[0].upper()
        assert why[cid].startswith(label) or label == "REDUCE DOSE", (cid, why[cid])

    # the pregnancy columns say what the Why says (after H-MED-260: a visit's answer counts)
    assert (rows["PREG-1-case"]["pregnant"], rows["PREG-1-case"]["pregnancy_weeks"]) == ("yes", "33")
    assert "PREGNANT 33 WK." in why["PREG-1-case"]
    assert (rows["PREG-29-case"]["pregnant"], rows["PREG-29-case"]["pregnancy_weeks"]) == ("yes", "29")
    assert "PREGNANT 29 WK." in why["PREG-29-case"]
    assert (rows["PREG-VIS-case"]["pregnant"], rows["PREG-VIS-case"]["pregnancy_weeks"]) == ("yes", "24")
    assert "PREGNANT 24 WK." in why["PREG-VIS-case"]
    assert (rows["PREG-OLD-case"]["pregnant"], rows["PREG-OLD-case"]["pregnancy_weeks"]) == ("ask", "42")
    assert "ASK: STILL PREGNANT?" in why["PREG-OLD-case"]
    assert rows["P-GABA-case"]["pregnant"] == "" and "PREGNANT" not in why["P-GABA-case"]


def test_the_window_and_export_cases_write_the_same_file_for_the_filter(window, qtbot, save_to, tmp_path,
                                                                        context):
    view = window.views["worklist"]
    _choose_medicine_alerts_by_keys(qtbot, window, view)
    out = tmp_path / "window.csv"
    save_to(out)
    _export_by_keys(qtbot, window, view)
    cli = tmp_path / "cli.csv"
    done = subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(tmp_path / "data"),
                           "export", "cases", "--medicine-alerts", "--as-of", TODAY.isoformat(), "--out", str(cli)],
                          capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "RADICULOPATHY_DESKTOP_LOG_DIR": str(tmp_path / "logs"),
                               "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert cli.read_bytes() == out.read_bytes()  # one code path: the same columns, rows and words


def test_a_search_over_the_filter_exports_what_the_search_lists_with_its_alerts(window, qtbot, save_to, tmp_path):
    """A search looks at every case (wl17); the file then holds what is listed, and a case of
    the filter found by the search still says its alert. A search for nobody writes a header."""
    view = window.views["worklist"]
    _choose_medicine_alerts_by_keys(qtbot, window, view)
    qtbot.keyClick(window, Qt.Key_S, Qt.AltModifier)
    qtbot.keyClicks(view.search_box, "Pia")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "Pia")
    out = tmp_path / "pia.csv"
    save_to(out)
    _export_by_keys(qtbot, window, view)
    rows = _rows(out)
    assert [r["case_id"] for r in rows] == ["PREG-1-case"]
    assert rows[0]["medicine_alerts"].startswith("Contraindicated: ibuprofen.")
    view.search_box.clear()
    qtbot.keyClicks(view.search_box, "zzz-nobody")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "zzz-nobody")
    empty = tmp_path / "nobody.csv"
    save_to(empty)
    _export_by_keys(qtbot, window, view)
    with open(empty, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert len(lines) == 1 and lines[0][-5:] == ["dose_alerts", "medicine_alerts", "medicine_content_version",
                                          "guideline_profile", "would_not_consider_surgery"]
