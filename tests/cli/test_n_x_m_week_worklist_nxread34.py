"""nxread34 (H-MED-710): an opioid written "N x M" before a week word ("oxycodone 20mg 3 x 4 per week": 3 tablets on 4
days a week or 12 tablets on one day, 12 tablets a week either way) is on the worklist's Medicine alerts as "Check the
dose" (it had no mark at all); "oxycodone 20mg 3 x 4 daily" (12 tablets a day either way: 240 mg x 1.5 = 360 MME/day,
CDC 2022) is counted as "3 x 4" is, its High opioid dose mark provisional."""

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
    cases = [_case("OXY-WEEK", [{"name": "oxycodone 20mg 3 x 4 per week"}]),
             _case("TRA-SEM", [{"name": "tramadol 50mg 3 x 4 a la semana"}]),
             _case("OXY-DAILY", [{"name": "oxycodone 20mg 3 x 4 daily"}])]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def test_the_worklist_marks_n_x_m_a_week_and_counts_n_x_m_daily(run):
    code, out, err = run("worklist", "--status", "all", "--format", "csv", *AS_OF)
    assert code == 0, err
    by_id = {r["case_id"]: r["medicine_alerts"] for r in csv.DictReader(io.StringIO(out))}
    assert by_id["OXY-WEEK"].startswith("Check the dose: oxycodone 20mg 3 x 4 per week"), by_id["OXY-WEEK"]
    assert by_id["TRA-SEM"].startswith("Check the dose: tramadol 50mg 3 x 4 a la semana"), by_id["TRA-SEM"]
    assert "MME/day" not in by_id["OXY-WEEK"]  # no daily total made from a weekly amount
    assert by_id["OXY-DAILY"].startswith(
        "High opioid dose: oxycodone 20mg 3 x 4 daily. Current opioids total 360 MME/day, provisional."), by_id["OXY-DAILY"]


def test_the_medicine_alerts_filter_lists_the_weekly_n_x_m(run):
    code, out, err = run("worklist", "--status", "all", "--medicine-alerts", "--format", "csv", *AS_OF)
    assert code == 0, err
    listed = {r["case_id"] for r in csv.DictReader(io.StringIO(out))}
    assert {"OXY-WEEK", "TRA-SEM", "OXY-DAILY"} <= listed
