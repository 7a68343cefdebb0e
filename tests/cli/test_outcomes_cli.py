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


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_cases_with_csv_or_pdf_is_refused_in_words_and_writes_nothing(run, tmp_path, fmt):
    """Red-team rt5 F6: the case lists were silently left out of a CSV or PDF."""
    out_file = tmp_path / f"report.{fmt}"
    code, out, err = run("outcomes", *PERIOD, "--format", fmt, "--cases", "--out", str(out_file))
    assert code == 2 and out == ""
    assert f"--cases lists the cases behind each number with --format text or json only; a {fmt} report" in err
    assert "Nothing was written." in err and not out_file.exists()
    code, out, err = run("outcomes", *PERIOD, "--format", fmt, "--cases")  # to the screen too
    assert code == 2 and "--cases lists the cases" in err and out == ""


def test_as_of_at_most_a_year_after_today(run):
    """Red-team rt5 F6: --as-of 2199-12-31 gave an empty report for the year 2199 without a word."""
    today = _cohorts.AS_OF  # 2026-06-30
    code, out, err = run("outcomes", "--as-of", "2027-06-30")  # a year ahead: planning a reporting year
    assert code == 0 and "as of 2027-06-30" in out, err
    for day in ("2027-07-01", "2199-12-31"):
        code, out, err = run("outcomes", "--as-of", day)
        assert code == 2 and out == ""
        assert (f"--as-of {day} is more than a year after today ({today.isoformat()})" in err
                and "Give a date up to 2027-06-30" in err)


def test_from_and_to_at_most_a_year_after_today_as_as_of(run):
    """Red-team rt6 F9: --to 2199-01-01 was accepted while --as-of 2199-01-01 was refused."""
    code, out, err = run("outcomes", "--from", "2026-01-01", "--to", "2027-06-30", "--as-of", "2027-06-30")
    assert code == 0, err
    for option, args in (("--to", ("--from", "2026-01-01", "--to", "2199-01-01")),
                         ("--to", ("--to", "2027-07-01")), ("--from", ("--from", "2027-07-01", "--to", "2199-01-01"))):
        code, out, err = run("outcomes", *args)
        day = args[args.index(option) + 1]
        assert code == 2 and out == "", err
        assert f"{option} {day} is more than a year after today (2026-06-30)" in err, err
        assert "Give a date up to 2027-06-30" in err


@pytest.mark.parametrize("fmt, name", [("text", "o.pdf"), ("csv", "o.txt"), ("json", "o.csv"), ("pdf", "o.txt"),
                                       ("text", "o")])
def test_out_must_end_as_its_format(run, tmp_path, fmt, name):
    """Red-team rt6 F10: a text report was written into a .pdf file without a word."""
    target = tmp_path / name
    code, out, err = run("outcomes", *PERIOD, "--format", fmt, "--out", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert f"--out {target}: a {fmt} report goes in a file ending in" in err and "Nothing was written." in err
    good = tmp_path / {"text": "o.txt", "csv": "o.csv", "json": "o.json", "pdf": "o.pdf"}[fmt]
    code, out, err = run("outcomes", *PERIOD, "--format", fmt, "--out", str(good))
    assert code == 0 and good.exists(), err


def test_the_latest_as_of_from_29_february_is_28_february():
    import datetime as dt

    from radiculopathy_desktop.commands.outcomes import latest_as_of

    assert latest_as_of(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert latest_as_of(dt.date(2027, 2, 28)) == dt.date(2028, 2, 28)
    assert latest_as_of(dt.date(2026, 12, 31)) == dt.date(2027, 12, 31)


def test_csv_medians_and_quartiles_are_the_numbers_the_display_column_shows(tmp_path, monkeypatch, capsys):
    """Red-team rt5 F6: a quartile interpolated in floating point printed as 11.899999999999999."""
    import datetime as dt
    import re

    from radiculopathy_desktop import cli
    from radiculopathy_desktop.commands import tracker
    from radiculopathy_desktop.demo import generate_case_dicts
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore

    monkeypatch.setattr(tracker, "today", lambda: dt.date(2026, 6, 1))
    data = tmp_path / "data"
    with CaseStore.open(data) as store:
        store.import_cases([parse_case(d) for d in generate_case_dicts(600, seed=16, as_of=dt.date(2026, 6, 1))])
    period = ("--as-of", "2026-06-01", "--from", "2026-01-01", "--to", "2026-03-31")
    assert cli.main(["--data-dir", str(data), "outcomes", *period, "--format", "json"]) == 0
    exact = json.loads(capsys.readouterr().out)
    raw = [v for section in ("pathway", "outcomes") for m in exact[section] for v in (m.get("q1"), m.get("q3"))
           if isinstance(v, float)]
    assert any(v != round(v, 1) for v in raw)  # the cohort has quartiles that need rounding
    assert cli.main(["--data-dir", str(data), "outcomes", *period, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    checked = 0
    for row in rows:
        shown = re.match(r"median (\S+) .*\(IQR (\S+) to (\S+)\)", row["display"])
        if not shown:
            assert row["median"] == row["q1"] == row["q3"] == ""
            continue
        for column, text in zip(("median", "q1", "q3"), shown.groups()):
            assert len(row[column].partition(".")[2]) <= 1, row  # one decimal at most
            assert float(row[column]) == float(text), (column, row)
        checked += 1
    assert checked >= 10
