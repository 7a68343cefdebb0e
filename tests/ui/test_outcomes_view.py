"""The Outcomes view (issue 16) driven as a clinic lead would: Ctrl+6, change the period,
pick a measure, open a patient behind a number, save the report."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import logging
import threading
import unicodedata
from pathlib import Path

import pytest
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


def _case_texts(view):
    return [view.cases.item(i).text() for i in range(view.cases.count())]


def _listed(qtbot, view):
    """Wait until the chosen measure's cases are listed (read off the GUI thread)."""
    qtbot.waitUntil(lambda: any(view.cases.item(i).data(Qt.UserRole) for i in range(view.cases.count()))
                    or (view.cases.count() and view.cases.item(0).text().startswith(("In the", "Cases", "Not"))),
                    timeout=60000)


def test_drill_down_lists_the_cases_and_enter_opens_the_patient(window, qtbot, context):
    """By keyboard: the measure chosen with the arrows, Enter lists its cases (read when asked
    for), focus goes on to the first case, Enter again opens the patient."""
    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Down)  # statement 2
    assert view.table.currentRow() == _row(view, "qs2_imaging_without_serious_pathology")
    assert _case_texts(view) == ["Press Enter (or click the measure) to list the cases behind it."]
    qtbot.keyClick(view.table, Qt.Key_Return)
    _listed(qtbot, view)
    texts = _case_texts(view)
    assert texts[0] == "In the numerator (1)" and "case A" in texts[1] and "non-specialist" in texts[1]
    assert any(t.startswith("Not recorded (") for t in texts)
    assert "suspected serious pathology" in view.definition.text()
    qtbot.waitUntil(lambda: view.cases.hasFocus(), timeout=5000)
    assert view.cases.currentRow() == 1
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


def test_keyboard_starts_on_the_measures_and_enter_lists_each_measures_cases(window, qtbot, context):
    from .keyboard import focus

    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    view.activated()
    qtbot.waitSignal(view.computed, timeout=60000).wait()
    assert focus() is view.table and view.table.currentRow() == 0
    qtbot.keyClick(view.table, Qt.Key_Return)
    _listed(qtbot, view)
    assert view.cases.item(0).text() == "In the numerator (4)"  # statement 1: A-D
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Down)  # statement 2: not read yet
    assert view.cases_label.text().startswith("Cases behind “Imaging by a non-specialist service")
    qtbot.keyClick(view.table, Qt.Key_Return)
    _listed(qtbot, view)
    assert view.cases.item(0).text() == "In the numerator (1)"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Up)  # statement 1 again: already read, listed at once
    assert view.cases.item(0).text() == "In the numerator (4)"


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


def test_a_drill_down_superseded_by_a_period_change_shows_nothing_stale(window, qtbot, context, monkeypatch):
    """The numbers come first with no list read. Enter on a measure reads only that row's
    cases: while it is held the list says "Listing…" and the window answers keys. The period
    changes meanwhile: the held listing, once released, stops (superseded) and the new
    numbers' list shows none of the old period's cases; Enter then lists the new period's."""
    from radiculopathy_desktop.commands import outcomes as outcomes_command

    context.store.import_cases(_cohorts.qs_cohort(), user="test")
    gate, listing = threading.Event(), threading.Event()
    asked: list[tuple] = []
    ended: list[str] = []
    real = outcomes_command.measure_cases_from_store

    def held(store, start, end, as_of, measure_id, group="all", progress=None):
        asked.append((start, end, measure_id, group))
        if len(asked) == 1:
            listing.set()
            assert gate.wait(60), "the test never released the listing"
        try:
            row = real(store, start, end, as_of, measure_id, group, progress=lambda *a: progress(*a))
            if progress is not None:
                progress(0, 0, "reading")  # the view's check, as at every progress report
        except BaseException as exc:
            ended.append(type(exc).__name__)
            raise
        ended.append("finished")
        return row

    monkeypatch.setattr(outcomes_command, "measure_cases_from_store", held)
    view = window.views.get("outcomes") or window.view("outcomes")
    view.set_period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    with qtbot.waitSignal(view.computed, timeout=60000) as blocker:
        qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    assert not blocker.args[0].has_cases and not asked  # the numbers only: no list read yet
    assert _result(view, "qs1_risk_stratification") == "4/7 (57.1%)"  # hand-worked: see the first test
    assert view.pdf_button.isEnabled() and view.csv_button.isEnabled()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Return)
    qtbot.waitUntil(listing.is_set, timeout=60000)
    assert asked == [(dt.date(2026, 1, 1), dt.date(2026, 2, 28), "qs1_risk_stratification", "all")]
    assert _case_texts(view) == ["Listing the cases behind this number…"]
    qtbot.keyClick(view.table, Qt.Key_Down)  # the window answers keys meanwhile
    assert _case_texts(view) == ["Press Enter (or click the measure) to list the cases behind it."]
    qtbot.keyClick(view.table, Qt.Key_Up)  # back: still being listed
    assert _case_texts(view) == ["Listing the cases behind this number…"]
    report = _set_period(qtbot, view, dt.date(2026, 2, 1), dt.date(2026, 2, 28))  # February: 4 cases
    assert report.cohort_size == 4
    gate.set()
    qtbot.waitUntil(lambda: len(ended) == 1, timeout=60000)
    qtbot.wait(50)  # let any (wrongly) queued old list arrive
    assert ended == ["_Superseded"]
    assert view.table.currentRow() == 0
    assert _case_texts(view) == ["Press Enter (or click the measure) to list the cases behind it."]
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Return)
    _listed(qtbot, view)
    texts = _case_texts(view)
    assert texts[0] == "In the numerator (2)" and not any("case A " in t or "case B " in t for t in texts)
    view.wait_idle()
    assert ended[-1] == "finished" and asked[-1][:2] == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_a_click_on_a_measure_lists_its_cases_and_a_double_click_opens_the_patient(window, qtbot, context):
    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    row = _row(view, "qs3_self_management")
    rect = view.table.visualItemRect(view.table.item(row, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())
    _listed(qtbot, view)
    texts = _case_texts(view)
    # statement 3, January-February: A, B, D advice given (3), C not (1), the 3 seed cases not recorded
    assert texts[0] == "In the numerator (3)" and "In the denominator only (1)" in texts
    assert "Not recorded (3)" in texts
    item = next(view.cases.item(i) for i in range(view.cases.count()) if "case C" in view.cases.item(i).text())
    rect = view.cases.visualItemRect(item)
    qtbot.mouseClick(view.cases.viewport(), Qt.LeftButton, pos=rect.center())  # a double-click: press, then again
    qtbot.mouseDClick(view.cases.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.patient_view and window.patient_view.case_id == "C"


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop", level=logging.WARNING)
def test_a_failed_list_never_replaces_the_list_of_another_measure(window, qtbot, context, monkeypatch):
    """Red-team rt5 F5: a list asked for on one measure failed after the user had moved back to
    another measure; the failure replaced the list shown under the other measure's heading.
    Now the shown list stays, the failure is said in the status line, and the failed measure
    can be asked again."""
    from radiculopathy_desktop.commands import outcomes as outcomes_command

    view = _open(window, qtbot, context)
    _set_period(qtbot, view, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    real = outcomes_command.measure_cases_from_store
    gate = threading.Event()
    qs1, qs2 = _row(view, "qs1_risk_stratification"), _row(view, "qs2_imaging_without_serious_pathology")

    def failing_for_qs1(store, start, end, as_of, measure_id, group="all", progress=None):
        if measure_id == "qs1_risk_stratification":
            assert gate.wait(60), "the test never released the listing"
            raise RuntimeError("the database could not be read")
        return real(store, start, end, as_of, measure_id, group, progress=progress)

    monkeypatch.setattr(outcomes_command, "measure_cases_from_store", failing_for_qs1)
    view.table.setFocus()
    view.table.setCurrentCell(qs2, 0)
    qtbot.keyClick(view.table, Qt.Key_Return)
    _listed(qtbot, view)
    shown = _case_texts(view)
    assert shown[0] == "In the numerator (1)"
    view.table.setFocus()
    view.table.setCurrentCell(qs1, 0)
    qtbot.keyClick(view.table, Qt.Key_Return)  # qs1's list is asked for ...
    view.table.setCurrentCell(qs2, 0)  # ... and the user goes back to qs2 before it fails
    gate.set()
    qtbot.waitUntil(lambda: "could not be listed" in view.status.text(), timeout=60000)
    assert _case_texts(view) == shown and "Imaging" in view.cases_label.text()
    view.table.setCurrentCell(qs1, 0)
    assert not any("could not be listed" in t for t in _case_texts(view))  # Enter asks again
