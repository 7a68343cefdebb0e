"""Issue 12 §6 / red-team A2: the pathway and the medicine table never disagree.

NSAIDs are contraindicated from 30 weeks of pregnancy (NSAID labels; FDA 2020), to be avoided
with an anticoagulant (labels; AGS Beers 2023 at 65+) and below a creatinine clearance of
30 mL/min (labels). For such a patient the pathway's "Consider an oral NSAID" (NICE NG59 /
ACP 2017) carries "not for this patient" with the same reason as the medicine table, under
both profiles; a patient for whom NSAIDs are fine gets no such mark.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 29)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
EXAMPLES = sorted(resource_path("examples").glob("*.json"))


def _case(medicines, conditions=None, **patient):
    d = copy.deepcopy(BASE)
    d["patient"].update(patient)
    d["medicines"] = medicines
    d["conditions"].update(conditions or {})
    return parse_case(d)


PREG32 = dict(medicines=[{"name": "ibuprofen", "daily_dose_mg": 1200}], pregnancy_weeks=32)
APIX = dict(medicines=[{"name": "apixaban", "daily_dose_mg": 10}, {"name": "ibuprofen", "daily_dose_mg": 1200}],
            birth_date="1956-01-10")
# 78-year-old woman, 60 kg, creatinine 1.9 mg/dL: CrCl (140-78) x 60 x 0.85 / (72 x 1.9) = 23.1 mL/min
RENAL = dict(medicines=[], conditions={"serum_creatinine": {"value": 1.9, "unit": "mg/dL"}},
             birth_date="1948-01-10", weight_kg=60)


def _nsaid_recs(data):
    return [r for s in data["pathway"]["steps"] for r in s["recommendations"]
            if "nsaid" in r["treatments"] and r["direction"] in ("consider", "recommend")]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("patient,status,reason", [
    (PREG32, "contraindicated", "30 weeks"),
    (APIX, "avoid", "apixaban"),
    (RENAL, "avoid", "below 30 mL/min"),
])
def test_the_nsaid_recommendation_says_not_for_this_patient_with_the_tables_reason(profile, patient, status, reason):
    if reason == "30 weeks" and profile == "uk":  # the MHRA's words under uk (fxk20, gp19 F10)
        reason = "after 28 weeks"
    data = assess_case(_case(**patient), AS_OF, profile=profile).to_dict()
    recs = _nsaid_recs(data)
    assert recs, "the pathway offers NSAIDs in both profiles"
    rows = [r for r in data["medications"]["rows"] if r["treatment_code"] == "nsaid"]
    for rec in recs:
        mine = rec["for_this_patient"]
        assert mine["status"] == status and reason in mine["text"]
        # the same reasons as the medicine table's NSAID rows
        table_reasons = {x["text"] for r in rows for x in r["reasons"]}
        assert set(mine["reasons"]) <= table_reasons


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_no_mark_when_nsaids_are_fine(profile):
    data = assess_case(_case([{"name": "ibuprofen", "daily_dose_mg": 1200}]), AS_OF, profile=profile).to_dict()
    assert all("for_this_patient" not in r for r in _nsaid_recs(data))


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_offering_recommendation_agrees_with_the_table(profile, path):
    data = assess_case(parse_case(json.loads(path.read_text(encoding="utf-8"))), AS_OF, profile=profile).to_dict()
    by_code: dict[str, list] = {}
    for row in data["medications"]["rows"]:
        by_code.setdefault(row["treatment_code"], []).append(row)
    for step in data["pathway"]["steps"]:
        for rec in step["recommendations"]:
            if rec["direction"] not in ("consider", "recommend"):
                continue
            for code in rec["treatments"]:
                rows = by_code.get(code)
                if not rows:
                    continue
                ruled_out = all(r["status"] in ("avoid", "contraindicated") for r in rows) and any(
                    x["severity"] in ("avoid", "contraindicated") and x["rule"] != "guideline-do-not-offer"
                    for r in rows for x in r["reasons"])
                assert ruled_out == ("for_this_patient" in rec), (path.stem, rec["id"], code)
