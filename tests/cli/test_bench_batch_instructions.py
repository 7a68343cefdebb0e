"""``benchmarks/bench_batch.py --instructions`` prints figure, baseline and ratio (issue 17).

The README's instruction counts for the batch paths come from this mode, so anyone can
repeat them. Here only its plumbing is checked, on a tiny cohort and one path: the child
runs the path under valgrind, the count is read back, and the table names the path with
its figure, its same-run plain-sqlite3 baseline and their ratio. Nothing is timed and no
count is compared with a number (a count depends on the Python build).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore

ROOT = Path(__file__).resolve().parents[2]
CASES = 12


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instruction_mode_prints_figure_baseline_and_ratio(tmp_path):
    with CaseStore.open(tmp_path / f"db{CASES}") as store:  # the layout --keep reuses
        store.import_cases([parse_case(d) for d in generate_case_dicts(CASES, seed=5, as_of=dt.date(2026, 6, 1))])
    env = dict(os.environ, PYTHONPATH=str(ROOT), RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"))
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_batch.py"), "--instructions",
                          "--cases", str(CASES), "--paths", "worklist-json", "--keep", str(tmp_path)],
                         capture_output=True, text=True, env=env, timeout=1200)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    header = next(line for line in lines if line.startswith("path"))
    assert header.split() == ["path", "cases", "figure", "M", "baseline", "M", "ratio"]
    rows = [line for line in lines if line.startswith("worklist json")]
    assert len(rows) == 1, out.stdout  # only the path asked for
    found = re.fullmatch(r"worklist json\s+12\s+([\d,.]+)\s+([\d,.]+)\s+([\d.]+)x", rows[0])
    assert found, rows[0]
    figure, baseline, ratio = (float(v.replace(",", "")) for v in found.groups())
    # a real count of each (even 12 rows take well over 10,000 instructions), and the ratio is theirs
    assert figure > 0.01 and baseline > 0.01
    assert ratio == pytest.approx(figure / baseline, rel=0.05, abs=0.01)
    assert not any(line.startswith(("worklist csv", "export cases csv")) for line in lines)


def test_growth_line_gives_both_sizes_and_the_ratios():
    """With two sizes, each path gets its growth line: figure, baseline, linear and ratio change."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "benchmarks" / "bench_batch.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    lines = bench.instruction_lines({10_000: {"worklist csv": (500_000_000, 400_000_000)},
                                     100_000: {"worklist csv": (4_000_000_000, 4_000_000_000)}})
    assert [line.split()[:2] for line in lines[2:4]] == [["worklist", "csv"]] * 2
    assert lines[2].endswith("1.25x") and lines[3].endswith("1.00x")
    assert "growth 10,000 -> 100,000: figure 8.00x, baseline 10.00x (linear 10x), ratio 1.25x -> 1.00x" in lines[4]
