"""fold33 (H-MED-698): an opioid written "N x M" ("oxycodone 20mg 3 x 4": 12 tablets a day either way, 240 mg =
360 MME/day by the CDC 2022 factor 1.5) is counted in the worklist's opioid total, so its mark says the high dose
(>= 90 MME/day, cdc-2022-dosage); "oxycodone 5mg 2 x 3" (45 MME/day) stays below the 50 point."""

from __future__ import annotations

import csv
import io

import pytest

from helpers.cli_run import cli_runner, write_json
from radiculopathy_desktop.commands import tracker

from .test_own_opioid_mme_cli import TODAY, _case

AS_OF = ("--as-of", TODAY.isoformat())


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case("OXY-3X4", [{"name": "oxycodone 20mg 3 x 4"}]), _case("OXY-2X3", [{"name": "oxycodone 5mg 2 x 3"}])]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def test_worklist_counts_an_n_x_m_opioid_in_the_total(run):
    code, out, err = run("worklist", "--status", "all", "--format", "csv", *AS_OF)
    assert code == 0, err
    by_id = {r["case_id"]: r for r in csv.DictReader(io.StringIO(out))}
    cell = by_id["OXY-3X4"]["medicine_alerts"]
    assert cell.startswith("High opioid dose: oxycodone 20mg 3 x 4. Current opioids total 360 MME/day, provisional."), cell
    assert "MME/day" not in by_id["OXY-2X3"]["medicine_alerts"]
