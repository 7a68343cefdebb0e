"""The Outcomes view (issue 16) driven as a clinic lead would: Ctrl+6, change the period,
pick a measure, open a patient behind a number, save the report."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import threading
import unicodedata
from pathlib import Path

from PySide6.QtCore import Qt

from .conftest import TODAY

_spec = importlib.util.spec_from_file_location("outcome_cohorts", Path(__file__).resolve().parents[1] / "outcome_cohorts.py")
_cohorts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cohorts)


def _open(window, qtbot, context):
    context.store.import_cases(_cohorts.qs_cohort(), user="test")
    view = window.views.get("outcomes")
    with qtbot.waitSignal(window.view("outcomes").computed, timeout=60000):
        qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    view = window.views["outcomes"]
    assert window.stack.currentWidget() is view
    return view


def _set_period(qtbot, view, start: dt.date, end: dt.date):
    with qtbot.waitSignal(view.computed, timeout=60000) as blocker:
        view.date_from.setFocus()
        view.date_from.set_day(start)
        view.date_to.set_day(end)
    return blocker.args[0]


def _row(view, mid):
    return next(r for r, (_s, m) in enumerate(view._rows) if m.id == mid and m.group == "all")


def _result(view, mid):
    return view.table.item(_row(view, mid), 1).text()


def test_ctrl6_computes_off_the_gui_thread_and_period_change_recomputes(window, qtbot, context):
    view = _open(window, qtbot, context)
    assert view.threads and all(t is not threading.main_thread() for t in view.threads)
    assert not view.progress.isVisible()
    # Jan 1 - Feb 28 (as of TODAY 2026-03-02): seed cases P-NFU, P-NEW, P-RED and hand-built A, B, C, D = 7.
    # Statement 1: A-D have STarT Back: 4/7 = 57.1 %. Statement 3: A, B, D given, C not: 3/4, P-* not recorded.
    report = _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert report.cohort_size == 7 and "7 cases" in view.status.text()
    assert _result(view, "qs1_risk_stratification") == "4/7 (57.1%)"
    assert _result(view, "qs3_self_management") == "3/4 (fewer than 5 cases: no percentage); not recorded: 3"
    # February only: P-NEW, P-RED, C, D -> statement 1: 2/4, under 5: no percentage
    report = _set_period(qtbot, view, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert report.cohort_size == 4
    assert _result(view, "qs1_risk_stratification") == "2/4 (fewer than 5 cases: no percentage)"


def test_period_ending_before_it_starts_says_so_and_computes_nothing(window, qtbot, context):
    view = _open(window, qtbot, context)
    before = view.generation
    view.date_from.set_day(dt.date(2026, 3, 1))
    view.date_to.set_day(dt.date(2026, 1, 1))
    view.recompute()
    assert "before it starts" in view.status.text() and view.generation == before


def test_an_impossible_period_date_is_kept_as_typed_and_computes_nothing(window, qtbot, context):
    view = _open(window, qtbot, context)
    before = view.generation
    view.date_to.setFocus()
    view.date_to.selectAll()
    qtbot.keyClicks(view.date_to, "2026-02-30")
    view.recompute()
    assert view.date_to.text() == "2026-02-30"  # never corrected to another day
    assert "February 2026 has 28 days" in view.status.text() and view.generation == before


def test_only_the_latest_period_is_shown_when_asked_twice(window, qtbot, context):
    view = _open(window, qtbot, context)
    view.set_period(dt.date(2025, 1, 1), dt.date(2026, 3, 2))
    view.recompute()
    first = view.generation
    view.set_period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    with qtbot.waitSignal(view.computed, timeout=60000) as blocker:
        view.recompute()
    assert view.generation == first + 1
    assert blocker.args[0].period_from == dt.date(2026, 2, 1)
    view.wait_idle()
    qtbot.wait(50)
    assert view.report.period_from == dt.date(2026, 2, 1)  # the older result, arriving late, was dropped


def test_drill_down_lists_the_cases_and_enter_opens_the_patient(window, qtbot, context):
    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    view.table.setFocus()
    view.table.setCurrentCell(_row(view, "qs2_imaging_without_serious_pathology"), 0)
    texts = [view.cases.item(i).text() for i in range(view.cases.count())]
    assert texts[0] == "In the numerator (1)" and "case A" in texts[1] and "non-specialist" in texts[1]
    assert any(t.startswith("Not recorded (") for t in texts)
    assert "suspected serious pathology" in view.definition.text()
    view.cases.setFocus()
    view.cases.setCurrentRow(1)
    qtbot.keyClick(view.cases, Qt.Key_Return)
    assert window.stack.currentWidget() is window.patient_view and window.patient_view.case_id == "A"


def test_charts_have_text_alternatives_and_paint(window, qtbot, context):
    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert view.run_chart.accessibleDescription().startswith("Monthly run chart of the QS155 measures.")
    assert "Jan 26 2/2 (under 5)" in view.run_chart.accessibleDescription()
    assert "no decisions recorded" in view.decision_chart.accessibleDescription()
    assert view.leg_chart.accessibleDescription().startswith("Median leg pain over time")
    assert all(note.text() for note in view.chart_notes)
    image = view.grab().toImage()
    assert not image.isNull()


def test_save_csv_and_pdf(window, qtbot, context, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from radiculopathy_desktop.ui import exports

    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    monkeypatch.setattr(exports, "ask_save_path", lambda *a: tmp_path / "table")
    assert view.save_csv() == tmp_path / "table.csv"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "table.csv").read_text(encoding="utf-8-sig"))))
    s1 = next(r for r in rows if r["measure"] == "qs1_risk_stratification")
    assert (s1["numerator"], s1["denominator"], s1["percent"]) == ("4", "7", "57.1")
    monkeypatch.setattr(exports, "ask_save_path", lambda *a: tmp_path / "audit.pdf")
    assert view.save_pdf() == tmp_path / "audit.pdf"
    reader = PdfReader(str(tmp_path / "audit.pdf"))
    assert 1 <= len(reader.pages) <= 2
    text = unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text().split()) for p in reader.pages))
    assert "4/7 (57.1%)" in text and "Definitions" in text and "fewer than 5" in text
    assert "Patient A" not in text  # counts only: names stay in the window and the CSV
    assert TODAY == dt.date(2026, 3, 2)


def test_window_stays_usable_while_the_computation_is_running(window, qtbot, context, monkeypatch):
    """The computation is held in its thread until the test releases it: meanwhile the
    window answers keys (another view, back again) and shows the progress bar."""
    from radiculopathy_desktop.commands import outcomes as outcomes_command

    view = _open(window, qtbot, context)
    gate = threading.Event()
    real = outcomes_command.compute_from_store

    def held(*args, **kwargs):
        assert gate.wait(60), "the test never released the computation"
        return real(*args, **kwargs)

    monkeypatch.setattr(outcomes_command, "compute_from_store", held)
    view.set_period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    view.recompute()
    assert view.progress.isVisibleTo(view) and not view.pdf_button.isEnabled()
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)  # the GUI thread is free: keys work
    assert window.stack.currentWidget() is window.views["worklist"]
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)  # (showing it again asks for a new run, also held)
    assert window.stack.currentWidget() is view and view.progress.isVisibleTo(view)
    with qtbot.waitSignal(view.computed, timeout=60000) as blocker:
        gate.set()
    assert blocker.args[0].cohort_size == 7 and not view.progress.isVisibleTo(view)
    view.wait_idle()


def test_keyboard_starts_on_the_measures_and_arrows_list_each_measures_cases(window, qtbot, context):
    from .keyboard import focus

    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    view.activated()
    qtbot.waitSignal(view.computed, timeout=60000).wait()
    assert focus() is view.table and view.table.currentRow() == 0
    assert view.cases.item(0).text() == "In the numerator (4)"  # statement 1: A-D
    qtbot.keyClick(view.table, Qt.Key_Down)  # statement 2
    assert view.cases.item(0).text() == "In the numerator (1)"
    assert view.cases_label.text().startswith("Cases behind “Imaging by a non-specialist service")


def test_window_answers_keys_mid_computation_and_a_superseded_run_stops(window, qtbot, context, monkeypatch):
    """A cohort big enough to report progress (every 200 cases). The first computation is held
    inside its first progress report, half-way through reading: the bar shows how far it got,
    the window answers keys (another view and back, which asks for a new run), and once
    released the superseded run stops at its next report instead of finishing; only the
    newer run delivers, with every case of the period."""
    from radiculopathy_desktop.commands import outcomes as outcomes_command
    from radiculopathy_desktop.demo import generate_case_dicts
    from radiculopathy_desktop.domain.intake import parse_case

    cases = [parse_case(d) for d in generate_case_dicts(450, seed=5, as_of=TODAY)]
    context.store.import_cases(cases, user="test")
    period = (TODAY - dt.timedelta(days=364), TODAY)
    in_period = context.store.case_count(*period)
    assert in_period > 400
    reached, gate = threading.Event(), threading.Event()
    runs: list[str] = []  # how each run ended
    real = outcomes_command.compute_from_store

    def held(store, start, end, as_of, profile, progress=None, **kw):  # the numbers, then the case lists
        first = not runs
        runs.append("running")
        index = len(runs) - 1

        def report(*args):
            if first and not reached.is_set():
                reached.set()
                assert gate.wait(60), "the test never released the computation"
            progress(*args)

        try:
            result = real(store, start, end, as_of, profile, progress=report, **kw)
        except BaseException as exc:
            runs[index] = f"stopped: {type(exc).__name__}"
            raise
        runs[index] = "finished"
        return result

    monkeypatch.setattr(outcomes_command, "compute_from_store", held)
    view = window.views.get("outcomes") or window.view("outcomes")
    view.set_period(*period)
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    qtbot.waitUntil(reached.is_set, timeout=60000)
    # the held run reported its start; the bar counts the period's cases
    from radiculopathy_desktop.domain.outcomes import MEASURE_STEPS

    # the bar's range is the period's cases and then the groups of measures made from them
    qtbot.waitUntil(lambda: view.progress.maximum() == in_period + MEASURE_STEPS, timeout=60000)
    assert view.progress.isVisibleTo(view) and "of %d" % in_period in view.progress.format()
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)  # the GUI thread is free: keys work
    assert window.stack.currentWidget() is window.views["worklist"]
    with qtbot.waitSignal(view.computed, timeout=60000) as blocker:
        qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)  # back again: a new run for the same period
        assert window.stack.currentWidget() is view and view.progress.isVisibleTo(view)
        gate.set()
    assert blocker.args[0].cohort_size == in_period and not view.progress.isVisibleTo(view)
    view.wait_idle()
    assert runs[0] == "stopped: _Superseded" and runs[-1] == "finished", runs


def test_numbers_show_first_then_the_case_lists_and_the_bar_covers_every_phase(window, qtbot, context, monkeypatch):
    """The numbers (counted over the stored facts) fill the table and enable the exports while
    the lists of cases behind them are still being read: the case list says so, the bar says
    what is being done, and keys work; once the lists arrive the selected measure lists its
    cases and ``computed`` is emitted. The bar reports the measures phase too (not only reading)."""
    from radiculopathy_desktop.commands import outcomes as outcomes_command

    context.store.import_cases(_cohorts.qs_cohort(), user="test")
    gate, listing = threading.Event(), threading.Event()
    real = outcomes_command.compute_from_store

    def held(store, start, end, as_of, profile, progress=None, with_cases=True):
        if with_cases:
            listing.set()
            assert gate.wait(60), "the test never released the case lists"
        return real(store, start, end, as_of, profile, progress=progress, with_cases=with_cases)

    monkeypatch.setattr(outcomes_command, "compute_from_store", held)
    texts: list[str] = []
    view = window.views.get("outcomes") or window.view("outcomes")
    view.relay.progress.connect(lambda _g, _d, _t, text: texts.append(text))
    view.set_period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    qtbot.waitUntil(lambda: listing.is_set() and view.report is not None and not view.report.has_cases,
                    timeout=60000)
    assert _result(view, "qs1_risk_stratification") == "4/7 (57.1%)"  # hand-worked: see the test above
    assert view.pdf_button.isEnabled() and view.csv_button.isEnabled()
    assert view.cases.item(0).text() == "Listing the cases behind the numbers…"
    assert view.progress.isVisibleTo(view)
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)  # the window answers keys meanwhile
    assert window.stack.currentWidget() is window.views["worklist"]
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    with qtbot.waitSignal(view.computed, timeout=60000) as blocker:
        gate.set()
    assert blocker.args[0].has_cases and not view.progress.isVisibleTo(view)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Down)
    qtbot.keyClick(view.table, Qt.Key_Up)  # back to statement 1: its 4 stratified cases in the numerator
    assert view.cases.item(0).text() == "In the numerator (4)"
    view.wait_idle()
    assert any(t.startswith("Counting") for t in texts)
    assert any("measures" in t and t.endswith("of 5") for t in texts), texts  # the measures phase is reported
