"""The opioid-total alert's own label on every command-line surface, on both engines (mme22,
H-MED-353, H-MED-354): `case`, `assess`, the worklist's Medicines column (table, JSON, CSV), the
referral summary (PDF) and its FHIR export. A stable patient on morphine 30mg bd (60 MME/day)
reads "REASSESS OPIOID DOSE", never "AVOID" (read as "stop the morphine"); 90 MME/day or more
reads "HIGH OPIOID DOSE"; methadone says "IF FOR PAIN".

CDC 2016 recommendation 5 (sources.toml cdc-2022-dosage): "should carefully reassess evidence of
individual benefits and risks when considering increasing dosage to >=50 morphine milligram
equivalents (MME)/day, and should avoid increasing dosage to >=90 MME/day or carefully justify a
decision to titrate dosage to >=90 MME/day". CDC 2022 recommendation 5: "opioid therapy should
not be discontinued abruptly". CDC to ASAM, 2018 (cdc-2022-methadone, as quoted by the AMA): the
thresholds should not "guide dosing of medication-assisted treatment for opioid-use disorder"."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from helpers.cli_run import cli_runner, write_json
from radiculopathy_desktop.commands import tracker

from .test_own_opioid_mme_cli import TODAY, _case

#: case id -> (medicines, the label every surface shows; None: no alert)
CASES = {
    "MORPH-49": ([{"name": "morphine", "daily_dose_mg": 49}], None),
    "MORPH-50": ([{"name": "morphine", "daily_dose_mg": 50}], "Reassess opioid dose"),
    "MORPH-60": ([{"name": "morphine 30mg bd"}], "Reassess opioid dose"),
    "MORPH-89": ([{"name": "morphine", "daily_dose_mg": 89}], "Reassess opioid dose"),
    "MORPH-90": ([{"name": "morphine", "daily_dose_mg": 90}], "High opioid dose"),
    "METH-94": ([{"name": "methadone", "daily_dose_mg": 20}], "High opioid dose if for pain"),
}


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case(cid, meds) for cid, (meds, _label) in CASES.items()]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def test_case_page_names_what_the_alert_asks(run):
    for cid, (_meds, label) in CASES.items():
        code, out, err = run("case", cid, "--as-of", TODAY.isoformat())
        assert code == 0, err
        head = " ".join(out[:out.index("Visits")].split())
        assert "!! AVOID" not in head, cid
        if label is None:
            assert "current opioids total" not in head
            continue
        assert f"!! {label.upper()}: Taking " in head, (cid, head)
        assert "avoid for this patient" not in head
    code, out, _ = run("case", "METH-94", "--as-of", TODAY.isoformat())
    assert "not guidance for methadone or buprenorphine treating opioid use disorder" in " ".join(out.split())


def test_worklist_column_json_and_csv_carry_the_label(run):
    code, out, err = run("worklist", "--status", "all", "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    for cid, (_meds, label) in CASES.items():
        assert [a["status_label"] for a in rows[cid]["medicine_alerts"]] == ([label] if label else []), cid

    code, out, err = run("worklist", "--status", "all", "--format", "csv")
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    by_id = {r[1]: dict(zip(table[0], r)) for r in table[1:]}
    for cid, (_meds, label) in CASES.items():
        assert bool(by_id[cid]["medicine_alerts"]) == bool(label), cid
        if label:
            assert by_id[cid]["medicine_alerts"].startswith(f"{label}: "), cid
            assert "Avoid" not in by_id[cid]["medicine_alerts"]

    code, out, err = run("worklist", "--status", "all")
    assert code == 0, err
    lines = {cid: line for line in out.splitlines() for cid in CASES if f"  {cid}  " in line}
    header = next(line for line in out.splitlines() if line.startswith("Status"))
    at, end = header.index("Medicines"), header.index("Decision")
    column = {cid: line[at:end].strip() for cid, line in lines.items()}
    assert column == {cid: (label or "").upper() for cid, (_meds, label) in CASES.items()}


def test_assess_prints_the_label_in_the_alerts_and_the_medicine_table(run, tmp_path):
    case = _case("MORPH-60", CASES["MORPH-60"][0])
    code, out, err = run("assess", write_json(tmp_path, case, "one.json"), "--as-of", TODAY.isoformat())
    assert code == 0, err
    flat = " ".join(out.split())
    assert "!! REASSESS OPIOID DOSE: Taking morphine 30mg bd" in flat
    assert "AVOID: Taking" not in flat
    # the medicine table's status column, as the alert says it (was "AVOID")
    (row,) = [line for line in out.splitlines() if line.startswith("  Opioids (other than tramadol)")]
    assert row.split("tramadol)")[1].split()[:3] == ["REASSESS", "OPIOID", "DOSE"]


def test_summary_pdf_and_fhir_carry_the_label(run, tmp_path):
    from helpers.pdf_text import pdf_words

    code, _out, err = run("export", "summary", "MORPH-60", "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                          "--as-of", TODAY.isoformat())
    assert code == 0, err
    words = " ".join(pdf_words(tmp_path / "s.pdf").split())
    assert "REASSESS OPIOID DOSE" in words and "60 MME/day" in words
    assert "AVOID" not in words

    code, _out, err = run("export", "summary", "MORPH-90", "--format", "fhir", "--out", str(tmp_path / "s.json"),
                          "--as-of", TODAY.isoformat())
    assert code == 0, err
    text = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert "HIGH OPIOID DOSE" in text and "AVOID" not in text
