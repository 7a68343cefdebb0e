"""`assess` (JSON and text) and `handout` with medicine names as clinicians type them (cmb17).

Before: "co-codamol 30⁄500" (fraction slash) was NOT RECOGNISED in `assess` and `handout`
refused without --confirm-unrecognised; "co-codamol 30/500 3 tablets tds" with no dose recorded
(9 tablets: paracetamol 4500 mg) was "caution: dose not recorded", never over the maximum.

Sources (resources/medicines/sources.toml): NHS co-codamol for adults (at most 8 tablets in 24
hours, 500 mg paracetamol each); acetaminophen label maximum 4000 mg a day; Naprosyn 1000 mg a
day ongoing; the BNF's prescription abbreviations ("t.d.s. three times a day", "b.d. twice
daily"; read in copies [unverified]).
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import jsonschema
import pytest

from helpers.cli_run import cli_runner, write_json
from helpers.pdf_text import pdf_words
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
SCHEMA = json.loads(resource_path("schemas", "assessment.schema.json").read_text())


def _case(meds, case_id="EX-NAMES"):
    d = copy.deepcopy(BASE)
    d["case_id"] = case_id
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, **({} if mg is None else {"daily_dose_mg": mg})} for n, mg in meds]
    return d


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: dt.date(2026, 11, 30))
    return cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_assess_json_reads_the_name_as_typed(run, tmp_path, profile):
    path = write_json(tmp_path, _case([("Co-codamol 30\u2044500 3 tablets TDS", None), ("naproxen 500 bd", 1500)]),
                      "c.json")
    code, out, err = run("assess", path, "--as-of", "2026-11-21", "--format", "json", "--profile", profile)
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    meds = data["medications"]
    assert meds["unrecognised_medicines"] == []
    current = {m["name"]: m for m in meds["current_medicines"]}
    # the record is as typed (lower case, as every name is stored): no dose was recorded, none is invented
    assert current["co-codamol 30\u2044500 3 tablets tds"]["daily_dose_mg"] is None
    rows = {r["drug"]: r for r in meds["rows"]}
    acetaminophen = rows["acetaminophen"]
    assert acetaminophen["current_daily_dose_mg"] == 4500 and acetaminophen["over_max"] is True
    assert any(r["rule"] == "combination-product-read" and "read from the name (3 tablets tds) as 9 tablets a day"
               in r["text"] for r in acetaminophen["reasons"])
    # the recorded naproxen dose wins; the name's 2 a day is asked about, naming both
    assert rows["naproxen"]["current_daily_dose_mg"] == 1500
    assert any(n["rule"] == "check-dose" and "the name says bd (2 doses a day: naproxen 1000 mg a day) but the dose "
               "recorded is 1500 mg a day" in n["text"] for n in meds["current_notes"])


def test_assess_text_shows_the_reading_and_the_question(run, tmp_path):
    path = write_json(tmp_path, _case([("ibuprofen 800mg qds", None), ("co-codamol 30/500 2 tablets qds prn", None)]),
                      "c.json")
    code, out, err = run("assess", path, "--as-of", "2026-11-21", "--profile", "uk")
    assert code == 0, err
    text = " ".join(out.split())
    assert "taking 3200 mg/day ** ABOVE ADJUSTED MAX **" in text  # BNF 2400 mg a day (uk)
    assert ("Dose read from the name: ibuprofen 800mg qds: no daily dose recorded, read from the name (qds) as 4 doses "
            "a day of 800 mg (ibuprofen 3200 mg a day)") in text
    assert ("CHECK THE DOSE: co-codamol 30/500 2 tablets qds prn: no daily dose recorded, and the "
            "regimen in the name (2 tablets qds prn) cannot be read: it is taken as needed (up to 8 tablets a day)"
            in text)
    assert "NOT RECOGNISED" not in text


def test_t3_is_not_recognised_and_names_both_medicines(run, tmp_path):
    path = write_json(tmp_path, _case([("T3", None)]), "c.json")
    code, out, err = run("assess", path, "--as-of", "2026-11-21")
    assert code == 0, err
    text = " ".join(out.split())
    assert 'NOT RECOGNISED: "t3" (did you mean tylenol #3 (acetaminophen 300 mg with codeine 30 mg) or liothyronine' \
        in text


def test_handout_prints_a_fraction_slash_co_codamol_without_asking_to_confirm(run, tmp_path):
    """It was refused as not recognised; now its sheet names it and its tablets a day."""
    assert run("import", write_json(tmp_path, _case([("co-codamol 30\u2044500 2 tablets four times a day", None)]),
                                    "c.json"))[0] == 0
    out = tmp_path / "h.pdf"
    code, _, err = run("handout", "EX-NAMES", "--as-of", "2026-11-21", "--sheets", "med_acetaminophen",
                       "--out", str(out))
    assert code == 0, err
    words = pdf_words(out)
    assert "co-codamol 30\u2044500 2 tablets four times a day (8 tablets a day)" in words
