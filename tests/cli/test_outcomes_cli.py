"""`radiculopathy-desktop outcomes` (issue 16): the hand-worked QS155 cohort through the CLI."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.intake import case_to_dict

_spec = importlib.util.spec_from_file_location("outcome_cohorts", Path(__file__).resolve().parents[1] / "outcome_cohorts.py")
_cohorts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cohorts)


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    from radiculopathy_desktop import cli
    from radiculopathy_desktop.commands import tracker

    data = tmp_path / "data"
    monkeypatch.setattr(tracker, "today", lambda: _cohorts.AS_OF)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(data), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    cohort = tmp_path / "cohort.json"
    cohort.write_text(json.dumps([case_to_dict(c) for c in _cohorts.qs_cohort()]))
    code, _, err = run("import", str(cohort))
    assert code == 0, err
    code, _, err = run("settings", "set", "guideline_profile", "uk")  # the clinic's profile: NICE QS155
    assert code == 0, err
    return run


PERIOD = ("--from", "2026-01-01", "--to", "2026-03-31")


def test_text_shows_the_hand_worked_numbers_and_the_small_number_rule(run):
    code, out, err = run("outcomes", *PERIOD)
    assert code == 0, err
    assert "Cohort: 7 cases." in out
    assert "Statement 1: Risk stratification at the first visit: 4/7 (57.1%)" in out
    assert ("Statement 2: Imaging by a non-specialist service without suspected serious pathology "
            "(lower is better): 1/5 (20.0%); not recorded: 2") in out
    assert ("Statement 3: Self-management advice and information given: 3/4 (fewer than 5 cases: no percentage); "
            "not recorded: 3") in out
    assert "https://www.nice.org.uk/guidance/qs155" in out and "Definitions" in out
    code, out, _ = run("outcomes", *PERIOD, "--cases")
    assert "in numerator: A (P-A)" in out and "not recorded: F (P-F)" in out


def test_json_and_csv_carry_the_same_numbers(run, tmp_path):
    code, out, _ = run("outcomes", *PERIOD, "--format", "json")
    assert "cases" not in json.loads(out)["qs155"][0]  # counts only unless --cases (names are patient data)
    code, out, _ = run("outcomes", *PERIOD, "--format", "json", "--cases")
    data = json.loads(out)
    qs = {m["id"]: m for m in data["qs155"]}
    assert (qs["qs1_risk_stratification"]["numerator"], qs["qs1_risk_stratification"]["denominator"]) == (4, 7)
    assert qs["qs3_self_management"]["percent"] is None and qs["qs3_self_management"]["suppressed"] is True
    assert [c["case_id"] for c in qs["qs2_imaging_without_serious_pathology"]["cases"]["numerator"]] == ["A"]
    assert data["min_cases"] == 5 and data["definitions"]["qs3_self_management"]["statement"] == 3
    assert data["charts"]["run_charts"]["qs1_risk_stratification"][0] == {
        "month": "2026-01", "numerator": 2, "denominator": 2, "percent": None}
    out_file = tmp_path / "table.csv"
    code, out, _ = run("outcomes", *PERIOD, "--format", "csv", "--out", str(out_file))
    assert code == 0 and "Outcomes written to" in out
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8-sig"))))
    s1 = next(r for r in rows if r["measure"] == "qs1_risk_stratification")
    assert (s1["numerator"], s1["denominator"], s1["percent"]) == ("4", "7", "57.1")
    s3 = next(r for r in rows if r["measure"] == "qs3_self_management")
    assert s3["percent"] == "" and s3["suppressed"] == "True"


def test_the_clinic_profile_is_the_default_and_profile_overrides_it(run):
    code, out, _ = run("outcomes", *PERIOD)
    assert code == 0 and "NICE QS155" in out and "US profile" not in out
    code, _, err = run("settings", "set", "guideline_profile", "us")
    assert code == 0, err
    code, out, _ = run("outcomes", *PERIOD)
    assert code == 0 and "US profile" in out
    code, out, _ = run("outcomes", *PERIOD, "--profile", "uk")
    assert code == 0 and "US profile" not in out and "https://www.nice.org.uk/guidance/qs155" in out


def test_profile_and_period_options(run):
    code, out, _ = run("outcomes", *PERIOD, "--profile", "us")
    assert code == 0 and "US profile" in out
    code, out, _ = run("outcomes", "--from", "2026-02-01", "--to", "2026-02-28")
    assert "Cohort: 2 cases." in out  # C and D
    code, out, err = run("outcomes", "--from", "2026-03-31", "--to", "2026-01-01")
    assert code == 2 and "--to 2026-01-01 is before --from 2026-03-31" in err
    # an end the user did not type is named for where it came from, never as a typed --to
    later = (_cohorts.AS_OF + __import__("datetime").timedelta(days=1)).isoformat()
    code, out, err = run("outcomes", "--from", later)
    assert code == 2 and "--to 2" not in err and f"(today, {_cohorts.AS_OF.isoformat()}, as no --to was given)" in err
    code, out, err = run("outcomes", "--from", "2026-02-01", "--as-of", "2026-01-15")
    assert code == 2 and "the period's end (2026-01-15, from --as-of) is before --from 2026-02-01" in err
    code, out, err = run("outcomes", "--from", "2026-02-30")
    assert code == 2 and "2026-02-30" in err
    code, out, err = run("outcomes", "--format", "pdf")
    assert code == 2 and "--out" in err
