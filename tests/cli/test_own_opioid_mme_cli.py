"""gp20 F2 at the command line, on both engines (mme21, H-MED-381): one opioid alone at a high
total ("morphine 200mg bd", 400 MME/day) is an alert on `case`, the worklist's Medicines column
(JSON, CSV, table) and `assess`, with the figure and how it was counted; below 50 MME/day none.

CDC 2016 recommendation 5: "should avoid increasing dosage to >=90 MME/day or carefully justify a
decision to titrate dosage to >=90 MME/day"; CDC 2022 recommendation 8: "... including offering
naloxone" (sources.toml cdc-2022-dosage)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from helpers.cli_run import cli_runner, write_json
from radiculopathy_desktop.commands import tracker

TODAY = dt.date(2026, 11, 30)
INTAKE = TODAY - dt.timedelta(days=10)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id, medicines) -> dict:
    patient = {"id": case_id + "-P", "name": f"Invented {case_id}", "age_years": 52, "sex": "male"}
    return {"case_id": case_id, "patient": patient, "onset_date": (INTAKE - dt.timedelta(days=7)).isoformat(),
            "visit_date": INTAKE.isoformat(), "care_start_date": INTAKE.isoformat(), "side": "left",
            "regions": ["buttock", "lateral_leg"], "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": FLAGS,
            "examination": {"power": {"great_toe_extension": 5}}, "function": {"odi_percent": 40},
            "medicines": list(medicines)}


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case("MORPH-400", [{"name": "morphine 200mg bd"}]),
             _case("PATCH-600", [{"name": "fentanyl 250mcg/h patch"}]),
             _case("CODEINE-36", [{"name": "codeine 30mg qds"}, {"name": "paracetamol", "daily_dose_mg": 2000}])]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def test_case_worklist_and_csv_show_a_single_high_dose_opioid(run):
    code, out, err = run("case", "MORPH-400", "--as-of", TODAY.isoformat())
    assert code == 0, err
    head = " ".join(out[:out.index("Visits")].split())
    assert "MEDICINE SAFETY: 1 current medicine alert" in head
    assert "!! HIGH OPIOID DOSE: Taking morphine 200mg bd" in head  # its own label, not AVOID (mme22)
    assert "current opioids total 400 MME/day (morphine 200mg bd: morphine 400 mg/day x 1), 90 MME/day or more" in head
    assert "offer naloxone" in head and "do not stop morphine 200mg bd suddenly" in head

    code, out, err = run("case", "PATCH-600", "--as-of", TODAY.isoformat())
    assert code == 0, err
    head = " ".join(out[:out.index("Visits")].split())
    # opioidnum (H-MED-611): the patch's rate is counted (the alert stays) but its dose is to check, so the case
    # page says the total is provisional and why, never a settled "600 MME/day"
    assert ("600 MME/day, provisional (fentanyl 250mcg/h patch: fentanyl patch 250 mcg/h x 2.4; provisional: it "
            "counts fentanyl 250mcg/h patch (no single patch is made at that rate), whose dose is to check)") in head
    assert "no single fentanyl patch is 250 micrograms an hour" in head

    code, out, err = run("worklist", "--status", "all", "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert [(a["status_label"], a["medicines"]) for a in rows["MORPH-400"]["medicine_alerts"]] == \
        [("High opioid dose", ["morphine 200mg bd"])]
    assert rows["CODEINE-36"]["medicine_alerts"] == []  # 36 MME/day: below 50, no alert

    code, out, err = run("worklist", "--status", "all", "--format", "csv")
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    by_id = {r[1]: dict(zip(table[0], r)) for r in table[1:]}
    assert by_id["MORPH-400"]["medicine_alerts"].startswith("High opioid dose: morphine 200mg bd. Current opioids total "
                                                            "400 MME/day. Review now with the prescriber; "
                                                            "do not stop morphine 200mg bd suddenly")
    assert by_id["CODEINE-36"]["medicine_alerts"] == ""


def test_the_referral_summary_names_the_high_dose_opioid(run, tmp_path):
    from helpers.pdf_text import pdf_words

    code, out, err = run("export", "summary", "MORPH-400", "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                         "--as-of", TODAY.isoformat())
    assert code == 0, err
    words = " ".join(pdf_words(tmp_path / "s.pdf").split())
    assert "HIGH OPIOID DOSE" in words and "morphine 200mg bd" in words
    assert "400 MME/day" in words and "offer naloxone" in words
