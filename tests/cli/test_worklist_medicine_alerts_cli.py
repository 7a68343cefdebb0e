"""`worklist` (table, JSON, CSV) marks medicine-safety alerts and a recorded pregnancy on its
date, and `--medicine-alerts` lists those cases, on both engines (the ``target`` fixture; wl17,
gp16 F6: a patient 33 weeks pregnant taking ibuprofen had no mark and "Needs attention (0)").

FDA Drug Safety Communication, 15 October 2020 (``fda-nsaid-pregnancy-2020``): NSAID labels
advise against use "at 30 weeks and later in pregnancy because of the additional risk of
premature closure of the fetal ductus arteriosus"; from 20 weeks, avoid. Past 42 completed
weeks (postterm, ``acog-postterm``, ACOG Practice Bulletin 146) the worklist asks whether she is
still pregnant (preg16's rule).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from radiculopathy_desktop.commands import tracker
from helpers.cli_run import cli_runner, write_json

TODAY = dt.date(2026, 11, 30)
INTAKE = TODAY - dt.timedelta(days=10)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id, weeks=None, medicines=(), intake=INTAKE) -> dict:
    patient = {"id": case_id + "-P", "name": f"Invented {case_id}", "age_years": 31, "sex": "female"}
    if weeks is not None:
        patient["pregnancy_weeks"] = weeks
    return {"case_id": case_id, "patient": patient, "onset_date": (intake - dt.timedelta(days=7)).isoformat(),
            "visit_date": intake.isoformat(), "care_start_date": intake.isoformat(), "side": "left",
            "regions": ["buttock", "lateral_leg"], "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": FLAGS,
            "examination": {"power": {"great_toe_extension": 5}}, "function": {"odi_percent": 40},
            "medicines": list(medicines)}


IBUPROFEN = [{"name": "ibuprofen", "daily_dose_mg": 1200}]


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case("PREG-1", 32, IBUPROFEN),  # 33 weeks today (gp16 F6)
             _case("PREG-OLD", 18, intake=TODAY - dt.timedelta(days=200)),  # 46 weeks today: ask
             _case("PLAIN")]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def _json_rows(run, *args):
    code, out, err = run("worklist", "--status", "all", "--format", "json", *args)
    assert code == 0, err
    return {r["case_id"]: r for r in json.loads(out)["rows"]}


def test_json_has_the_alerts_and_the_pregnancy_for_the_date(run):
    rows = _json_rows(run)
    assert rows["PREG-1"]["medicine_alerts"] == [{"status_label": "Contraindicated", "medicines": ["ibuprofen"],
                                                  "action": "Stop it and choose another option.",
                                                  "opioid_total": None}]
    assert rows["PREG-1"]["pregnancy"].startswith(f"Pregnant, 33 weeks on {TODAY.isoformat()}")
    assert rows["PREG-1"]["dose_alerts"] == []  # 1200 mg/day is under the maximum: the old key unchanged
    assert "Ask whether she is still pregnant or breastfeeding" in rows["PREG-OLD"]["pregnancy"]
    assert rows["PLAIN"]["medicine_alerts"] == [] and rows["PLAIN"]["pregnancy"] is None
    # --as-of: 29+6 weeks (avoid) and 30 weeks (contraindicated), as the case page
    before = _json_rows(run, "--as-of", (INTAKE - dt.timedelta(days=1)).isoformat())
    assert "PREG-1" not in before  # not yet a case
    at_29 = _json_rows(run, "--as-of", INTAKE.isoformat())  # 32 weeks at the intake
    assert at_29["PREG-1"]["medicine_alerts"][0]["status_label"] == "Contraindicated"


def test_the_30_week_boundary_on_the_worklist_date(run, tmp_path):
    code, _out, err = run("import", write_json(tmp_path, {"cases": [_case("PREG-29", 29, IBUPROFEN)]}, "b.json"))
    assert code == 0, err
    for days, label in ((6, "Avoid"), (7, "Contraindicated"), (8, "Contraindicated")):
        as_of = INTAKE + dt.timedelta(days=days)
        row = _json_rows(run, "--as-of", as_of.isoformat())["PREG-29"]
        assert [a["status_label"] for a in row["medicine_alerts"]] == [label], days
        code, out, err = run("case", "PREG-29", "--as-of", as_of.isoformat())  # the case page's words
        assert code == 0, err
        assert "MEDICINE SAFETY: 1 current medicine alert (us profile)\n" in out and f"  !! {label.upper()}: Taking ibuprofen" in out


def test_csv_adds_two_columns_and_keeps_the_others(run):
    code, out, err = run("worklist", "--status", "all", "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(tracker.WORKLIST_CSV_COLUMNS)
    assert rows[0][-4:] == ["dose_alerts", "medicine_alerts", "pregnancy", "would_not_consider_surgery"]  # path34
    by_id = {r[1]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id["PREG-1"]["medicine_alerts"] == "Contraindicated: ibuprofen. Stop it and choose another option."
    assert by_id["PREG-1"]["pregnancy"].startswith("Pregnant, 33 weeks")
    assert by_id["PLAIN"]["medicine_alerts"] == "" and by_id["PLAIN"]["pregnancy"] == ""


def test_table_marks_the_rows_and_lists_them(run):
    code, out, err = run("worklist", "--status", "all")
    assert code == 0, err
    header = next(line for line in out.splitlines() if line.startswith("Status"))
    assert header.rstrip().endswith("Safety")
    line = next(line for line in out.splitlines() if " PREG-1 " in line)
    assert line.rstrip().endswith("CONTRAINDICATED; Pregnant 33 wk")
    assert "\nMedicine alerts (1 of the cases listed" in out
    assert "  PREG-1: Contraindicated: ibuprofen. Stop it and choose another option." in out
    assert "\nPregnancy recorded (2 of the cases listed):" in out
    assert "Ask: still pregnant?" in next(line for line in out.splitlines() if " PREG-OLD " in line)


def test_medicine_alerts_lists_only_those_cases_whatever_their_review_status(run):
    code, out, err = run("worklist", "--medicine-alerts", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)["rows"]
    assert [r["case_id"] for r in listed] == ["PREG-1"] and listed[0]["status"] == "not_due"
    # the default worklist (surgical review) does not hold her: the filter is what finds her
    code, out, err = run("worklist", "--format", "json")
    assert "PREG-1" not in {r["case_id"] for r in json.loads(out)["rows"]}
    # --status narrows it; a typo is refused, naming the flag
    code, out, err = run("worklist", "--medicine-alerts", "--status", "due", "--format", "json")
    assert code == 0 and json.loads(out)["rows"] == []
    code, out, err = run("worklist", "--medicine-alerts", "--reduce-dose")
    assert code == 2 and "not allowed with argument" in err


def test_the_added_columns_are_documented_where_they_are():
    """docs/csv-columns.md names the worklist CSV's added columns at their places."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2].joinpath("docs", "csv-columns.md").read_text(encoding="utf-8")
    for name in ("dose_alerts", "medicine_alerts", "pregnancy"):
        assert f"| {tracker.WORKLIST_CSV_COLUMNS.index(name) + 1} | `{name}` |" in doc
