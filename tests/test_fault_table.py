"""The README's fault table is the one generated from the figures the fault tests recorded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import fault_figures
import fault_table

ROOT = Path(__file__).resolve().parent.parent


def test_readme_table_is_generated_from_the_recorded_figures():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = fault_table.current_block(readme)
    assert block is not None, "README.md has lost the fault-table markers"
    assert block == fault_table.render(fault_table.load()), \
        "README's fault table differs from docs/fault-figures.json: run tests/fault_table.py --write"
    assert fault_table.main(["--check"]) == 0


def test_recorded_figures_are_whole_and_name_tests_that_exist():
    figures = fault_table.load()
    assert set(figures) == set(fault_table.FAULTS), "a fault test's figures are missing (or unknown ones recorded)"
    for key, f in figures.items():
        assert all(isinstance(v, int) and v >= 0 for v in f.values()), key
        if "writes_reported" in f:
            assert f["writes_found"] >= f["writes_reported"] > 0, key  # every reported save found
        if "writes_attempted" in f:
            assert f["writes_attempted"] >= f["writes_reported"], key
        if "kills" in f:
            assert f["kills_survived"] == f["kills"] > 0, key
        path, name = fault_table.FAULTS[key][1].split("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {re.escape(name)}\(", source, re.M), fault_table.FAULTS[key][1]
        assert f'"{key}"' in source or f"f\"kill_{{op}}\"" in source, f"{path} does not record {key}"


def test_record_merges_one_entry_per_test_and_render_shows_it(tmp_path, monkeypatch):
    target = tmp_path / "figures.json"
    monkeypatch.setenv(fault_figures.FIGURES_ENV, str(target))
    fault_figures.record("kill_visits", kills=5, kills_survived=5, writes_reported=7, writes_found=8)
    fault_figures.record("restore_races", restores=2, writes_reported=3, writes_found=3)
    fault_figures.record("kill_visits", kills=6, kills_survived=6, writes_reported=9, writes_found=9)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["kill_visits"] == {"kills": 6, "kills_survived": 6, "writes_reported": 9, "writes_found": 9}
    table = fault_table.render(data)
    row = next(line for line in table.splitlines() if line.startswith("| SIGKILL of a process saving"))
    assert "| 9 | 9 | 6 of 6 |" in row
    assert "2 restores" in table


def test_nothing_is_recorded_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv(fault_figures.FIGURES_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    fault_figures.record("kill_visits", kills=1, kills_survived=1)
    assert list(tmp_path.iterdir()) == []
