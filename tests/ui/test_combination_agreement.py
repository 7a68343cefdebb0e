"""The clinician's views and the patient's sheet agree on a combination product's dose (G17;
H-MED-214), as tests/ui/test_medicine_agreement.py checks for the example cases: the assess
JSON, the CLI text, the window's medicine table and the handout doses.

Sources: acetaminophen label "do not exceed 4000 mg in 24 hours" and NHS "at most 8
co-codamol tablets in 24 hours"; codeine 240 mg (uk, SmPC) / 360 mg (us label); Ultram:
tramadol not more than 400 mg/day.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from html import unescape

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import MedicineStatus
from radiculopathy_desktop.reports.handouts import doses_from_engine
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.ui.pathway_view import medications_html

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))

CASES = {
    "twelve co-codamol": [("co-codamol 30/500", 360)],
    "paracetamol and co-codamol": [("paracetamol", 2000), ("co-codamol 30/500", 4000)],
    "tramadol and tramacet": [("tramadol", 150), ("tramacet 37.5/325", 300)],
    "no strength": [("co-codamol", 4000)],
    "eight co-codamol": [("co-codamol 30/500", 4000)],
    # H-MED-223, H-MED-224: a strength the name fixes, a product's own maximum, a reversed strength
    "nine ultracet": [("Ultracet", 337.5)],
    "thirteen tylenol #3": [("Tylenol #3", 390)],
    "reversed co-codamol": [("co-codamol 500/30", 240)],
}


def _case(meds):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in meds]
    return parse_case(d)


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("key", list(CASES))
def test_json_text_window_and_handout_agree_on_a_combination_dose(key, profile):
    case = _case(CASES[key])
    data = assess_case(case, AS_OF, profile=profile).to_dict()
    meds = data["medications"]
    text = assessment_text(data)
    html = " ".join(unescape(medications_html(meds)).split())
    doses = doses_from_engine(case, AS_OF, profile=profile)
    for row in meds["rows"]:
        line = next(l for l in text.splitlines() if l.startswith(f"  {row['label'][:29]}"))
        # an avoid row's own label (NICE's position; the opioid total's "Reassess opioid dose", mme22)
        mark = row["status_label"].upper() if row["status"] in ("avoid", "contraindicated") else \
            MedicineStatus(row["status"]).label.upper()
        assert mark in line, (row["drug"], line)
        assert row["status_label"] in html
        if row["currently_taking"] and row["over_max"]:
            assert "ABOVE MAXIMUM" in html
            # the sheet for that row's class never says keep taking: the dose is too high, or (two
            # products of one medicine) ask before the next dose which one to keep taking
            sheet = doses[row["treatment_code"]]
            assert sheet.above_max or sheet.together_box, (key, row["drug"])
            assert not (sheet.dose_range or "").startswith("keep taking")
    over = [row["drug"] for row in meds["rows"] if row["currently_taking"] and row["over_max"]]
    if key in ("twelve co-codamol", "paracetamol and co-codamol", "tramadol and tramacet"):
        # above a maximum (paracetamol 6000 mg; tramadol 450 mg): the agreement above was exercised
        assert over == (["tramadol"] if key.startswith("tramadol") else ["acetaminophen"]), over
    checks = [n for n in meds["current_notes"] if n["rule"] == "check-dose"] + [
        r for row in meds["rows"] for r in row["reasons"]
        if r["rule"] in ("check-dose", "over-label-max", "over-product-max")]
    alerts = " ".join(a["text"] for a in data["medicine_alerts"])
    for check in checks:
        assert check["text"] in alerts or check["text"] in text
    if key == "no strength":
        assert "Check the dose: co-codamol recorded as 4000 mg a day" in alerts
        assert all(d.dose_check for c, d in doses.items() if c in ("acetaminophen", "opioid"))
    if key == "nine ultracet":  # Ultracet's own 8 tablets (tramadol 300 mg), not tramadol's 400
        assert "own label maximum of 8 tablets a day" in alerts
        # sheetplan35 (H-MED-722): the product the patient knows is named (as recorded), with what it holds (N5)
        assert doses["opioid"].above_max.startswith("You take Ultracet. It contains tramadol and acetaminophen. The way "
                                                    "you take it now gives you tramadol 337.5 mg a day. For you, the "
                                                    "most is 300 mg")
    if key == "thirteen tylenol #3":  # 30/300 fixed by the name: codeine 390 mg read and checked
        assert "read as 13 tablets a day of 30/300" in text
        assert not doses["opioid"].dose_check and not (doses["opioid"].dose_range or "").startswith("keep taking")
    if key == "reversed co-codamol":
        assert "co-codamol is sold as 8/500, 12.8/500, 15/500, 30/500, not 500/30" in alerts
        assert all(d.dose_check for c, d in doses.items() if c in ("acetaminophen", "opioid"))
    if key == "eight co-codamol":  # at the maximum: nothing above it anywhere; the sheet says the tablets
        assert "ABOVE MAXIMUM" not in html and not any(d.above_max or d.dose_check for d in doses.values())
        assert doses["opioid"].dose_range.startswith("keep taking your co-codamol 30/500 (8 tablets a day)")
