"""``benchmarks/bench_assess.py --instructions`` prints figure, baseline and ratio (issue 17).

The README's instruction counts for assessments come from this mode, so anyone can repeat
them. Here only its plumbing is checked, on a tiny cohort and one path: the children run the
path and the ``parse_case`` baseline under valgrind, the counts are read back, and the table
names the path with its instructions per intake, its same-run baseline's and their ratio.
Nothing is timed and no count is compared with a recorded number (a count depends on the
Python build).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INTAKES = 12


def _bench():
    spec = importlib.util.spec_from_file_location("bench_assess", ROOT / "benchmarks" / "bench_assess.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instruction_mode_prints_figure_baseline_and_ratio_per_intake():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_assess.py"), "--instructions",
                          "--sizes", str(INTAKES), "--paths", "alone"],
                         capture_output=True, text=True, env=env, timeout=1200)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    header = next(line for line in lines if line.startswith("path"))
    assert header.split() == ["path", "intakes", "figure", "baseline", "ratio"]
    rows = [line for line in lines if line.startswith(("alone", "batch", "distinct"))]
    assert len(rows) == 1, out.stdout  # only the path asked for
    found = re.fullmatch(r"alone\s+12\s+([\d,]+)\s+([\d,]+)\s+([\d.]+)x", rows[0])
    assert found, rows[0]
    figure, baseline, ratio = (float(v.replace(",", "")) for v in found.groups())
    # per intake: an assessment is real work (far over 10,000 instructions), and so is reading
    # and validating an intake; assessing does more than parsing; the ratio is theirs
    assert figure > 10_000 and baseline > 10_000
    assert figure > baseline
    assert ratio == pytest.approx(figure / baseline, rel=0.01, abs=0.01)


def test_an_unknown_path_is_refused_before_anything_is_counted():
    env = dict(os.environ, PYTHONPATH=str(ROOT), PATH="")  # no valgrind on PATH: must not matter for the refusal
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_assess.py"), "--instructions",
                          "--sizes", str(INTAKES), "--paths", "parse"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode != 0
    assert "counts only alone, batch, distinct alone, distinct" in out.stderr


def test_each_counted_child_runs_its_path_over_the_whole_cohort(monkeypatch):
    """What the child counts (without valgrind, the count's wrapper is the same call): the
    baseline parses every intake, an assessing path assesses every intake, alternating profiles."""
    bench = _bench()
    seen: dict[str, list] = {"parse": [], "assess": []}
    real_parse, real_assess = bench.parse_case, bench.assess_case
    monkeypatch.setattr(bench, "parse_case", lambda d: seen["parse"].append(d["case_id"]) or real_parse(d))
    monkeypatch.setattr(bench, "assess_case", lambda c, as_of, profile: seen["assess"].append((c.case_id, profile))
                        or real_assess(c, as_of, profile=profile))
    bench.count_one("baseline", 60)
    ids = [f"BENCH-{i}" for i in range(60)]
    assert seen["parse"] == ids[:bench.WARM] + ids  # the warm-up, then the counted run over all
    assert seen["assess"] == []
    seen["parse"].clear()
    bench.count_one("alone", 60)
    assert seen["parse"] == ids  # parsed before, not counted
    counted = seen["assess"][bench.WARM:]
    assert [cid for cid, _ in counted] == ids
    assert [p for _, p in counted] == ["us", "uk"] * 30


def test_growth_line_gives_both_sizes_and_the_ratios():
    """With two sizes, each path gets its growth line: whole-run figure, baseline, linear and ratio change."""
    lines = _bench().instruction_lines({300: {"alone": 600_000_000, "baseline": 150_000_000},
                                        3000: {"alone": 6_300_000_000, "baseline": 1_500_000_000}})
    assert lines[1].split() == ["path", "intakes", "figure", "baseline", "ratio"]
    assert lines[2].split() == ["alone", "300", "2,000,000", "500,000", "4.00x"]
    assert lines[3].split() == ["alone", "3,000", "2,100,000", "500,000", "4.20x"]
    assert "growth 300 -> 3,000: figure 10.50x, baseline 10.00x (linear 10x), ratio 4.00x -> 4.20x" in lines[4]
    assert len(lines) == 5  # only the paths counted
    # sizes that are not a round multiple: the linear growth is their ratio, not rounded to a whole number
    lines = _bench().instruction_lines({300: {"batch": 300_000_000, "baseline": 150_000_000},
                                        1000: {"batch": 1_000_000_000, "baseline": 500_000_000}})
    assert "growth 300 -> 1,000: figure 3.33x, baseline 3.33x (linear 3.33x), ratio 2.00x -> 2.00x" in lines[4]
