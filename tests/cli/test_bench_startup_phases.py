"""benchmarks/bench_startup.py's per-phase CPU timing (issue 17: where the start-up's time goes).

The benchmark's app child runs the real start-up (``ui.app.run_app``) with its functions
wrapped only to mark where each phase ends. Here one real child and one bare window run
on a small demo folder: each prints every phase, in the order the start-up goes through
them, none negative, the store's query time apart, and the app still paints its first
page and exits 0 (the wrapping changes nothing). The parsing of a PHASES line is checked
on a written one. No timing is asserted.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

APP_PHASES = ["interpreter and site", "import ui.app", "storage and domain imports", "import PySide6",
              "QApplication", "folder claim and crash guard", "store opened", "window context",
              "window built (first page read)", "shown and painted", "store queries"]
BARE_PHASES = ["interpreter and site", "import PySide6", "QApplication", "window built", "window shown and painted"]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_startup", ROOT / "benchmarks" / "bench_startup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_phases_line_gives_each_phase_its_own_time_and_the_store_queries_apart(bench):
    phases = bench.phase_times("interpreter and site=0.05;import ui.app=0.08;window built=0.2;store queries=0.004")
    assert list(phases) == ["interpreter and site", "import ui.app", "window built", "store queries"]
    assert phases["interpreter and site"] == pytest.approx(0.05)
    assert phases["import ui.app"] == pytest.approx(0.03)
    assert phases["window built"] == pytest.approx(0.12)
    assert phases["store queries"] == pytest.approx(0.004)
    medians = bench.median_phases([{"a": 1.0, "b": 5.0}, {"a": 3.0, "b": 4.0}, {"a": 2.0, "b": 9.0}])
    assert medians == {"a": 2.0, "b": 5.0}


def test_the_real_start_up_and_the_bare_window_print_every_phase_in_order(bench, tmp_path):
    from radiculopathy_desktop.storage.store import CaseStore

    folder = tmp_path / "db"
    bench.make_database(folder, 30)
    store = CaseStore.open(folder)
    try:
        first_page = len(store.worklist(dt.date.today(), limit=200))
    finally:
        store.close()
    assert first_page > 0
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"))
    app = bench.run(bench.APP, str(folder), "run_app", env=env)
    assert app["EXIT"][0] == 0
    assert int(app["PAINTED"][3]) == first_page  # the first page, painted as without the marks
    assert list(app["PHASES"]) == APP_PHASES
    assert all(value >= 0 for value in app["PHASES"].values())
    # the phases add up to the CPU time at the paint, which the child prints just after its last mark
    marked = sum(value for name, value in app["PHASES"].items() if name != "store queries")
    assert marked <= float(app["PAINTED"][2])
    assert app["PHASES"]["store queries"] <= app["PHASES"]["window built (first page read)"]
    bare = bench.run(bench.BARE, env=env)
    assert list(bare["PHASES"]) == BARE_PHASES
    assert all(value >= 0 for value in bare["PHASES"].values())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instruction_counts_run_each_child_to_its_paint_under_callgrind(bench, tmp_path):
    """``--instructions``: each child runs under valgrind's callgrind and exits at its paint (the
    count ends there); the count is parsed from callgrind's summary. The app child still paints
    its first page under valgrind; it runs more than the bare window (it does all the bare window
    does, and opens the store and builds the worklist). Counts only, nothing timed."""
    folder = tmp_path / "db"
    bench.make_database(folder, 30)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"))
    bare = bench.count_instructions(bench.BARE, env=env)
    app = bench.count_instructions(bench.APP, str(folder), "run_app", env=env)
    assert 0 < bare < app
    # at the paint, the child prints its events and exits at once (no status counts, no event loop)
    out = bench.run(bench.APP, str(folder), "run_app", env=dict(env, BENCH_EXIT_AT_PAINT="1"))
    assert "PAINTED" in out and "PHASES" in out and "COUNTED" not in out and "EXIT" not in out
