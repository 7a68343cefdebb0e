"""The stale "not pregnant" case's medicines carry the rating they would have at the other case's
weeks, strongest first, on the worklist's Medicines column, in its CSV and the cases CSV (rt21 F2,
F7; gp19 F11), on both engines.

Case EX-OLD answered "not pregnant" 200 days ago and is still open, on ibuprofen; the patient's
new case EX-PREG records her pregnant today (``domain.episodes.pregnancy_differs`` stands).
Before fxk20 the Medicines column of EX-OLD read REDUCE DOSE (a dose above the maximum) or
nothing (a dose in range), its Safety "PREGNANCY DIFFERS BETWEEN CASES; Pregnancy differs", the
cases CSV's ``pregnant`` cell a plain "no", and the pregnant row's ``medicine_alerts`` never said
the pregnancy differs.

Primary sources of the ratings (the rule data, resources/medicines/rules.toml):
- FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
  avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in
  NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in
  heart issues in the unborn baby." So under us: 19 weeks nothing, 20 and 29 Avoid, 30 Contraindicated.
- MHRA Drug Safety Update, NSAIDs after 20 weeks of pregnancy (gov.uk, read by src19): "use of
  systemic (oral and injectable) NSAIDs such as ibuprofen, naproxen, and diclofenac is
  contraindicated in the last trimester of pregnancy (after 28 weeks of pregnancy)." So under uk
  28 weeks is Contraindicated.
- The adult ibuprofen maximum under uk, 2400 mg a day (the data's uk row: BNF, as cited there),
  under us 3200 mg a day (FDA label): 3200 mg a day is "Reduce dose" under uk only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import pytest

from tests.cli.test_pregnancy_differs_cli import (_file, _not_pregnant, _pdf_words, _pregnant,
                                                  run)  # noqa: F401 - run is a fixture
from tests.cli.test_pregnancy_differs_cli import ANCHOR

STORE_ENGINES = ("sqlite", "postgresql")
DAY = ANCHOR.isoformat()


def _stale(tmp_path, run, weeks, daily_mg=1200, pregnant_on=None):
    old = _not_pregnant("EX-OLD", day=ANCHOR - dt.timedelta(days=200))
    old["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": daily_mg}]
    new = _pregnant(weeks=weeks)
    if pregnant_on is not None:
        new["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": pregnant_on}]
    assert run("import", _file(tmp_path, "old", [old]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "new", [new]))[0] == 0


def _table_row(out: str, case_id: str) -> dict:
    """A row of the worklist's text table, by its header's column starts."""
    lines = out.splitlines()
    head = next(n for n, line in enumerate(lines) if line.startswith("Status "))
    header = lines[head]
    names = ["Status", "Case", "Patient", "Day (wk)", "Trend", "Leg NRS", "Last visit", "Medicines", "Decision",
             "Safety"]
    starts = [header.index(n) for n in names]
    row = next(line for line in lines[head + 2:] if case_id in line)
    ends = starts[1:] + [None]
    return {n: row[a:b].strip() for n, a, b in zip(names, starts, ends)}


def _cases_csv(run, tmp_path, profile) -> dict:
    out = tmp_path / f"cases-{profile}.csv"
    code, _o, err = run("export", "cases", "--status", "all", "--as-of", DAY, "--profile", profile,
                        "--out", str(out), "--force")
    assert code == 0, err
    return {r["case_id"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}


@pytest.mark.parametrize("profile, weeks, label", [
    ("us", 19, ""), ("us", 20, "AVOID IF PREGNANT"), ("us", 29, "AVOID IF PREGNANT"),
    ("us", 30, "CONTRAINDICATED IF PREGNANT"), ("us", 31, "CONTRAINDICATED IF PREGNANT"),
    ("uk", 27, "AVOID IF PREGNANT"), ("uk", 28, "CONTRAINDICATED IF PREGNANT"),
    ("uk", 29, "CONTRAINDICATED IF PREGNANT")])
def test_a_dose_in_range_carries_the_if_pregnant_rating(run, tmp_path, profile, weeks, label):
    """rt21 F7: the Medicines column was empty; it carries the rating at the other case's weeks."""
    _stale(tmp_path, run, weeks)
    code, out, err = run("worklist", "--status", "all", "--as-of", DAY, "--profile", profile)
    assert code == 0, err
    row = _table_row(out, "EX-OLD")
    assert row["Medicines"] == label
    # the Safety column says "pregnancy differs" once (it said the mark's label and the short mark)
    assert "PREGNANCY DIFFERS BETWEEN CASES" not in row["Safety"]
    assert row["Safety"].lower().count("pregnancy differs") == 1
    cells = _cases_csv(run, tmp_path, profile)["EX-OLD"]
    assert cells["pregnant"] == "no (pregnancy differs)"
    if label:
        first = label[:1] + label[1:].lower()
        assert cells["medicine_alerts"].startswith(f"{first}: ibuprofen. Pregnancy differs between cases. "
                                                   f"If pregnant as case EX-PREG records ({weeks} weeks): ")
    else:
        assert cells["medicine_alerts"] == ""


@pytest.mark.parametrize("profile, label", [("uk", "CONTRAINDICATED IF PREGNANT"), ("us", "CONTRAINDICATED IF PREGNANT")])
def test_a_dose_above_the_maximum_is_never_only_reduce_dose(run, tmp_path, profile, label):
    """rt21 F2: "ibuprofen 800mg qds" (3200 mg a day, above the uk maximum of 2400) read REDUCE DOSE
    beside a case recording 31 weeks, and the CSV opened "Reduce dose: ...". The if-pregnant rating
    comes first; the dose line stays, after it."""
    _stale(tmp_path, run, 31, daily_mg=3200)
    code, out, err = run("worklist", "--status", "all", "--as-of", DAY, "--profile", profile)
    assert code == 0, err
    row = _table_row(out, "EX-OLD")
    assert row["Medicines"] == label
    assert row["Safety"].startswith(label)
    words = _cases_csv(run, tmp_path, profile)["EX-OLD"]["medicine_alerts"]
    assert words.startswith("Contraindicated if pregnant: ibuprofen. Pregnancy differs between cases.")
    if profile == "uk":  # the dose above the uk maximum is still said, after the stronger rating
        assert "Reduce dose: ibuprofen." in words
        assert words.index("Reduce dose") > words.index("Contraindicated if pregnant")
    code, out, err = run("worklist", "--status", "all", "--as-of", DAY, "--profile", profile, "--format", "csv")
    assert code == 0, err
    [cells] = [r for r in csv.DictReader(io.StringIO(out)) if r["case_id"] == "EX-OLD"]
    assert cells["medicine_alerts"] == words and cells["pregnancy"].startswith("The pregnancy is not settled: ")


def test_the_pregnant_row_says_it_differs_first_and_settling_clears_both(run, tmp_path):
    """gp19 F11: the 31-week row's medicine_alerts lacked the mark the worklist gives both rows."""
    _stale(tmp_path, run, 31, pregnant_on=1200)
    cells = _cases_csv(run, tmp_path, "uk")
    assert cells["EX-PREG"]["pregnant"] == "yes (pregnancy differs)" and cells["EX-PREG"]["pregnancy_weeks"] == "31"
    assert cells["EX-PREG"]["medicine_alerts"].startswith(
        "Pregnancy differs: case EX-OLD records not pregnant on ")
    assert "Contraindicated: ibuprofen." in cells["EX-PREG"]["medicine_alerts"]
    # once the right answer is recorded on the wrong case, the cells are plain again
    assert run("visit", "EX-OLD", "--date", DAY, "--pregnant-weeks", "31")[0] == 0
    cells = _cases_csv(run, tmp_path, "uk")
    assert cells["EX-PREG"]["pregnant"] == "yes" and cells["EX-OLD"]["pregnant"] == "yes"
    assert cells["EX-OLD"]["medicine_alerts"].startswith("Contraindicated: ibuprofen.")
    assert "iffers" not in cells["EX-PREG"]["medicine_alerts"] + cells["EX-OLD"]["medicine_alerts"]


def test_the_summary_s_first_page_says_it_differs(run, tmp_path):
    """gp19 F11: page 1's Conditions table said "Not pregnant (answered no at intake ...)" with the
    difference only on page 2; both cases' summaries now say it in the Pregnancy row."""
    _stale(tmp_path, run, 31, pregnant_on=1200)
    from pypdf import PdfReader

    for case_id, own, other in (("EX-OLD", "Not pregnant (answered no at intake", "case EX-PREG records 31 weeks "
                                 "pregnant on"),
                                ("EX-PREG", "Pregnant, 31 weeks", "case EX-OLD records not pregnant on")):
        out = tmp_path / f"{case_id}.pdf"
        code, _o, err = run("export", "summary", case_id, "--format", "pdf", "--out", str(out), "--as-of", DAY)
        assert code == 0, err
        first = " ".join(unicodedata.normalize("NFKC", PdfReader(str(out)).pages[0].extract_text()).split())
        assert own in first
        assert f"Pregnancy differs: {other}" in first and "see Medicine safety" in first
