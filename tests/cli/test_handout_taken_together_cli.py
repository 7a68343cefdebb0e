"""`handout` for medicines the check flags (red-team rt10 F2, F3): what the clinician is told.

- Acetaminophen (paracetamol) label: not more than 4000 mg in 24 hours, do not use with any other
  product containing acetaminophen. A patient on acetaminophen 4000 mg/day and co-codamol must
  not be told to keep taking both; stderr names both, with the dose recorded (never "dose not
  recorded" for a dose that was recorded).
- Neurontin label: the maximum is set by creatinine clearance; with CKD recorded and no
  creatinine the kidney maximum could not be checked, and stderr says so.
"""

from __future__ import annotations

import copy
import json

import pytest

from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words as _text
from radiculopathy_desktop.commands import tracker

from .test_handout_as_of_cli import ROUTINE, TODAY


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    data = tmp_path / "data"
    run = cli_runner(capsys, "--data-dir", str(data), fresh_output=True)
    return run


def _import(run, tmp_path, case_id, meds, conditions=None):
    d = copy.deepcopy(json.loads(ROUTINE.read_text(encoding="utf-8")))
    d["case_id"] = case_id
    d["patient"]["id"] = "P-" + case_id
    d["medicines"] = meds
    d["conditions"] = conditions if conditions is not None else {
        **d.get("conditions", {}), "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    f = tmp_path / f"{case_id}.json"
    f.write_text(json.dumps(d), encoding="utf-8")
    assert run("import", str(f))[0] == 0


def test_two_acetaminophen_products_are_not_both_kept_and_the_command_says_why(run, tmp_path):
    _import(run, tmp_path, "EX-APAP-TWICE", [{"name": "acetaminophen", "daily_dose_mg": 4000},
                                             {"name": "co-codamol 30/500"}])
    out = tmp_path / "apap.pdf"
    code, _, err = run("handout", "EX-APAP-TWICE", "--out", str(out))
    assert code == 0
    # one note, on the sheet of the ingredient they share (sheet19 item 2): the opioid sheet of the
    # co-codamol asks whether to keep taking it, and its note says so
    assert err.count("taken together (") == 1
    assert "med_acetaminophen: taken together (acetaminophen 4000 mg a day and co-codamol 30/500 (dose not " \
           "recorded), both containing acetaminophen), which the medicine check rates avoid" in err
    assert "asks the patient to ask you before their next dose which one to keep taking" in err
    assert "med_opioid: taken now (co-codamol 30/500, dose as prescribed) although the medicine check rates it " \
           "AVOID" in err and "whether to keep taking it" in err
    assert "acetaminophen, dose not recorded" not in err
    text = _text(out)
    assert "You take acetaminophen 4000 mg a day and co-codamol 30/500. They contain the same medicine" in text
    assert "keep taking your acetaminophen" not in text and "take your co-codamol" not in text
    es = tmp_path / "apap-es.pdf"
    assert run("handout", "EX-APAP-TWICE", "--lang", "es", "--out", str(es))[0] == 0
    text = _text(es)
    assert "Usted toma paracetamol 4000 mg al día y co-codamol 30/500." in text and "siga tomando su" not in text


def test_ckd_with_no_creatinine_the_command_says_the_kidney_maximum_was_not_checked(run, tmp_path):
    _import(run, tmp_path, "EX-CKD-NO-CR", [{"name": "gabapentin", "daily_dose_mg": 3600}],
            conditions={"ckd": True, "alcohol_use": "within_limits"})
    out = tmp_path / "ckd.pdf"
    code, _, err = run("handout", "EX-CKD-NO-CR", "--out", str(out))
    assert code == 0
    assert "med_gabapentinoid: the kidney maximum could not be checked (no creatinine recorded)" in err
    text = _text(out)
    assert "Your dose is set for how well your kidneys work" not in text
    assert "Ask your clinician whether your dose is right for your kidneys. You may need a blood test." in text
