"""A uk clinic's data folder: every command reading it follows the clinic's guideline profile
(settings ``guideline_profile``, stored in the database), says which profile it used, and an
explicit ``--profile`` override is named on stderr and reads its own profile's stored marks
(prof30; wording29: a handout made from the data folder printed "up to 3200 mg a day" while the
clinician had assessed under uk).

Primary sources (resources/medicines/sources.toml):
- BNF (ibuprofen), uk profile: at most 2.4 g a day for pain; the US prescription ibuprofen label
  (Motrin): do not exceed 3200 mg a day (us profile). Boundary: 2400 mg a day is at the uk
  maximum (no dose alert); 3000 mg a day is above it under uk, below 3200 under us.
- MHRA Drug Safety Update, June 2015, "High-dose ibuprofen (>=2400mg/day): small increase in
  cardiovascular risk": avoid high-dose ibuprofen (2400 mg a day or more) in established
  ischaemic heart disease, peripheral arterial disease, cerebrovascular disease (uk rule
  ``ibuprofen-high-dose-cv-uk``): 2400 mg a day with cardiovascular disease is "Avoid" under uk.
"""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest

from helpers.cli_run import cli_runner, write_json
from helpers.pdf_text import pdf_words
from radiculopathy_desktop.commands import tracker

from .test_handout_as_of_cli import ROUTINE, TODAY

AS_OF = TODAY.isoformat()


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """A uk clinic's data folder holding IBU-3000 (ibuprofen 3000 mg a day) and IBU-CV
    (2400 mg a day with cardiovascular disease)."""
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)
    base = json.loads(ROUTINE.read_text(encoding="utf-8"))
    cases = []
    for case_id, dose, cv in (("IBU-3000", 3000, False), ("IBU-CV", 2400, True)):
        d = copy.deepcopy(base)
        d["case_id"], d["patient"]["id"] = case_id, "P-" + case_id
        d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": dose}]
        d["conditions"]["cardiovascular_disease"] = cv
        cases.append(d)
    assert run("import", write_json(tmp_path, {"format_version": 1, "cases": cases}, "cases.json"))[0] == 0
    code, _, err = run("settings", "set", "guideline_profile", "uk")
    assert code == 0, err
    return run


def _worklist(run, *options):
    code, out, err = run("worklist", "--status", "all", "--as-of", AS_OF, "--format", "json", *options)
    assert code == 0, err
    data = json.loads(out)
    return data["profile"], {r["case_id"]: r for r in data["rows"]}, err


def _ratings(row) -> set[tuple[str, str]]:
    return {(a["status_label"], m) for a in row["medicine_alerts"] for m in a["medicines"]}


def test_worklist_marks_follow_the_clinic_profile_and_an_override_reads_its_own(run):
    profile, rows, err = _worklist(run)
    assert profile == "uk" and "overrides" not in err
    assert rows["IBU-3000"]["dose_alerts"] == ["ibuprofen 3000 mg/day > max 2400 mg/day"]
    assert rows["IBU-CV"]["dose_alerts"] == []  # 2400 is at the uk maximum, not above it
    assert _ratings(rows["IBU-CV"]) == {("Avoid", "ibuprofen")}  # MHRA: high dose with CV disease
    profile, rows, err = _worklist(run, "--profile", "us")
    assert profile == "us"
    assert "note: --profile us overrides the clinic's guideline profile uk" in err
    assert rows["IBU-3000"]["dose_alerts"] == []  # under the US label's 3200
    assert ("Avoid", "ibuprofen") not in _ratings(rows["IBU-CV"])
    code, out, _ = run("worklist", "--status", "all", "--as-of", AS_OF)
    assert code == 0 and "medicine marks under the uk profile" in out.splitlines()[0]
    assert "ibuprofen 3000 mg/day > max 2400 mg/day" in out


def test_changing_the_clinic_profile_changes_every_reader_without_a_reimport(run):
    assert run("settings", "set", "guideline_profile", "us")[0] == 0
    profile, rows, err = _worklist(run)
    assert profile == "us" and rows["IBU-3000"]["dose_alerts"] == [] and "overrides" not in err
    code, out, _ = run("case", "IBU-3000", "--as-of", AS_OF)
    assert code == 0 and "MEDICINE SAFETY" not in out  # 3000 is under the US label's 3200
    assert run("settings", "set", "guideline_profile", "uk")[0] == 0
    profile, rows, _ = _worklist(run)
    assert profile == "uk" and rows["IBU-3000"]["dose_alerts"] == ["ibuprofen 3000 mg/day > max 2400 mg/day"]
    code, out, _ = run("case", "IBU-3000", "--as-of", AS_OF)
    assert code == 0 and "MEDICINE SAFETY: 1 current medicine alert (uk profile)" in out
    code, out, err = run("check")
    assert code == 0, out + err  # the stored marks agree with the cases (both profiles kept)


def _handout(run, tmp_path, case_id, *options):
    out = tmp_path / f"{case_id}-{'-'.join(options) or 'clinic'}.pdf"
    code, _, err = run("handout", case_id, "--as-of", AS_OF, "--sheets", "med_nsaid", "--out", str(out), *options)
    assert code == 0, err
    return pdf_words(out), err


def test_handout_from_the_data_folder_follows_and_names_the_clinic_profile(run, tmp_path):
    text, err = _handout(run, tmp_path, "IBU-3000")
    assert "UK guidance" in text and "US guidance" not in text and "overrides" not in err
    assert "You take ibuprofen 3000 mg a day now. For you, the most is 2400 mg a day." in text
    assert "Do not take more than 2400 mg in a day." in text and "3200" not in text
    text, _ = _handout(run, tmp_path, "IBU-CV")
    assert "UK guidance" in text
    assert "Ask your clinician before your next dose whether to keep taking it" in text  # MHRA: avoid
    text, _ = _handout(run, tmp_path, "IBU-3000", "--lang", "es")
    assert "guía del Reino Unido" in text and "UK guidance" not in text and "3200" not in text


def test_handout_override_is_named_on_stderr_and_on_the_sheet(run, tmp_path):
    text, err = _handout(run, tmp_path, "IBU-3000", "--profile", "us")
    assert "note: --profile us overrides the clinic's guideline profile uk" in err
    assert "US guidance" in text and "UK guidance" not in text
    assert "Do not take more than 3200 mg in a day." in text


def test_summary_pdf_and_fhir_name_the_profile_they_follow(run, tmp_path):
    pdf = tmp_path / "s.pdf"
    code, _, err = run("export", "summary", "IBU-3000", "--format", "pdf", "--as-of", AS_OF, "--out", str(pdf))
    assert code == 0, err
    text = pdf_words(pdf)
    assert "guideline profile uk (UK guidance: the medicine checks' maxima and ratings)" in text
    assert "· UK guidance · referral summary" in text
    assert "current dose 3000 mg/day is above the label maximum of 2400 mg/day" in text
    for profile, options in (("uk", ()), ("us", ("--profile", "us"))):
        out = tmp_path / f"f-{profile}.json"
        code, _, err = run("export", "summary", "IBU-3000", "--format", "fhir", "--as-of", AS_OF, "--out", str(out),
                           *options)
        assert code == 0, err
        tags = {t["code"] for t in json.loads(out.read_text(encoding="utf-8"))["meta"]["tag"]}
        assert f"profile-{profile}" in tags and len([t for t in tags if t.startswith("profile-")]) == 1


def test_cases_csv_says_the_profile_of_its_medicine_columns(run, tmp_path):
    for profile, options, dose in (("uk", (), "ibuprofen 3000 mg/day > max 2400 mg/day"),
                                   ("us", ("--profile", "us"), "")):
        out = tmp_path / f"c-{profile}.csv"
        code, _, err = run("export", "cases", "--status", "all", "--as-of", AS_OF, "--out", str(out), *options)
        assert code == 0, err
        rows = {r["case_id"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
        assert {r["guideline_profile"] for r in rows.values()} == {profile}
        assert rows["IBU-3000"]["dose_alerts"] == dose
