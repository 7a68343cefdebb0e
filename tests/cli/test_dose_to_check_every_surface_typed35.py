"""typed35 (GP tryout N1, N8; H-MED-717): "oxycodone 20mg 3 x 4" with 40 mg a day typed (3 x 4 is 12 tablets a day
read either way: 240 mg, not 40) is a "Check the dose" on every surface: the worklist's medicine marks (JSON and CSV,
its count in the CSV), and the MEDICINE SAFETY block of `assess --format text`, beside the opioid total's "Reassess
opioid dose" (40 mg x 1.5 = 60 MME/day, CDC 2022) and beside an Avoid pair with diazepam (FDA boxed warning: opioids
with benzodiazepines). Before, only the 60 MME/day figure (or the pair) showed. Boundary: 240 mg typed agrees with the
name and is no dose to check."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from helpers.cli_run import cli_runner, write_json
from radiculopathy_desktop.commands import tracker

from .test_medicine_alerts_cli import _write, run as run_cli
from .test_own_opioid_mme_cli import TODAY, _case

AS_OF = ("--as-of", TODAY.isoformat())
OXY = "oxycodone 20mg 3 x 4"
DIAZEPAM = {"name": "diazepam 5mg", "daily_dose_mg": 10}
CASES = {
    "OXY-40": [{"name": OXY, "daily_dose_mg": 40}],
    "OXY-40-DZP": [{"name": OXY, "daily_dose_mg": 40}, DIAZEPAM],
    "OXY-NONE-DZP": [{"name": OXY}, DIAZEPAM],
    "OXY-240": [{"name": OXY, "daily_dose_mg": 240}],
}


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case(case_id, meds) for case_id, meds in CASES.items()]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def _json_marks(run):
    code, out, err = run("worklist", "--status", "all", "--format", "json", *AS_OF)
    assert code == 0, err
    return {r["case_id"]: [(a["status_label"], a["medicines"]) for a in r["medicine_alerts"]]
            for r in json.loads(out)["rows"]}


@pytest.mark.parametrize("case_id, other", [("OXY-40", "Reassess opioid dose"), ("OXY-40-DZP", "Avoid"),
                                            ("OXY-NONE-DZP", "Avoid")])
def test_the_worklist_json_keeps_the_check_beside_the_other_mark(run, case_id, other):
    marks = _json_marks(run)[case_id]
    assert ("Check the dose", [OXY]) in marks
    assert other in [label for label, _m in marks]


def test_a_typed_dose_that_agrees_is_no_check_on_the_worklist(run):
    assert _json_marks(run)["OXY-240"] == [("High opioid dose", [OXY])]


def test_the_worklist_csv_says_the_check_and_the_filter_lists_it(run):
    code, out, err = run("worklist", "--status", "all", "--format", "csv", *AS_OF)
    assert code == 0, err
    rows = {r["case_id"]: r for r in csv.DictReader(io.StringIO(out))}
    for case_id in ("OXY-40", "OXY-40-DZP", "OXY-NONE-DZP"):
        assert f"Check the dose: {OXY}." in rows[case_id]["medicine_alerts"], rows[case_id]["medicine_alerts"]
    assert "Check the dose" not in rows["OXY-240"]["medicine_alerts"]
    code, out, err = run("worklist", "--status", "all", "--medicine-alerts", "--format", "csv", *AS_OF)
    assert code == 0, err
    assert {"OXY-40", "OXY-40-DZP"} <= {r["case_id"] for r in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("meds, heading", [
    ([{"name": OXY, "daily_dose_mg": 40}],
     "MEDICINE SAFETY: 2 current medicine alerts (1 to stop, change, reduce or review; 1 dose to check)"),
    ([{"name": OXY, "daily_dose_mg": 40}, DIAZEPAM],
     "MEDICINE SAFETY: 3 current medicine alerts (2 to stop, change, reduce or review; 1 dose to check)"),
])
def test_assess_text_prints_and_counts_the_check(tmp_path, capsys, meds, heading):
    path = _write(tmp_path, "OXYTXT", meds)
    code, out, _ = run_cli(capsys, "assess", str(path), "--as-of", "2026-11-29", "--format", "text")
    assert code == 0
    block = out[out.index("MEDICINE SAFETY"):out.index("\nROOT LEVEL")]
    assert block.splitlines()[0] == heading
    labels = re.findall(r"^  !! ([A-Z][A-Z ]+?):", block, flags=re.MULTILINE)
    assert labels.count("CHECK THE DOSE") == 1
    flat = " ".join(block.split())
    assert (f"CHECK THE DOSE: {OXY}: the name says 3 x 4 (12 doses a day read either way: oxycodone 240 mg a day) but "
            "the dose recorded is 40 mg a day") in flat
