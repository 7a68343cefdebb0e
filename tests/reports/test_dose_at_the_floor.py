"""A dose at or just above the new-input floor is printed as recorded, never as "0 mg"; a stored
dose below the floor is "not recorded" on every output, FHIR included (red-team rt12 F15; med11's
FHIR "0 mg/day").

The floor is 0.01 mg a day (domain.intake.MIN_DAILY_DOSE_MG; tests/cli/test_dose_floor_cli.py).
The medicine check summed a row's doses and rounded to one decimal, so 0.01-0.04 mg became 0.0
(and 0.25 became 0.2); the handout then called an accepted dose "the stored 0 mg".
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.intake import MIN_DAILY_DOSE_MG, Medicine, parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.reports import fhir
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def case(name, mg):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    d["medicines"] = [{"name": name, "daily_dose_mg": mg}]
    return parse_case(d, today=AS_OF, new_input=True)  # accepted by the new-input floor


SHEETS = {"gabapentin": "med_gabapentinoid", "prednisolone": "med_oral_steroid"}


@pytest.mark.parametrize("drug", ["gabapentin", "prednisolone"])
@pytest.mark.parametrize("mg, shown", [(MIN_DAILY_DOSE_MG, "0.01"), (0.04, "0.04"), (0.05, "0.05"),
                                       (0.25, "0.25"), (0.75, "0.75"), (7.5, "7.5")])
def test_an_accepted_dose_is_printed_as_recorded_never_as_zero(drug, mg, shown):
    c = case(drug, mg)
    row = next(r for r in assess_medications(c.intake, AS_OF).rows if r.currently_taking)
    assert row.current_daily_dose_mg == pytest.approx(mg)
    req = h.request_for_case(c, AS_OF, clinic_name="C", clinic_contact="1", sheets=[SHEETS[drug]])
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    notes = " ".join(h.dose_notices(req))
    if drug == "gabapentin":
        # grams (H-MED-510): every one of these is below a tenth of the smallest gabapentin capsule (100 mg,
        # drugs.toml [dose_check_far_below]: 10 mg a day), so the sheet asks to check it, the dose as recorded
        assert f"Your record says you take gabapentin {shown} mg a day. That is far less than any usual" in text
        assert "keep taking" not in text
        assert f"Check the dose: gabapentin {shown} mg a day is far below any usual dose" in notes
    else:
        assert f"keep taking {drug} {shown} mg a day, as prescribed" in text
        assert f"taken now ({drug} {shown} mg a day)" in notes
        assert "0 mg" not in notes.replace(f"{shown} mg", "")
    assert "not a dose" not in notes
    es = h.request_for_case(c, AS_OF, clinic_name="C", clinic_contact="1", sheets=[SHEETS[drug]], lang="es")
    # arthro36 (H-FMT-911): the Spanish sheet writes the decimal with a comma ("0,01 mg al día")
    assert f"{shown.replace('.', ',')} mg al día" in " ".join(hc.plain_text(h.filled_sheets(es)[0]).split())


def test_two_products_sum_without_float_noise():
    d = copy.deepcopy(BASE)
    d["medicines"] = [{"name": "gabapentin", "daily_dose_mg": 0.1}, {"name": "neurontin", "daily_dose_mg": 0.2}]
    row = next(r for r in assess_medications(parse_case(d).intake, AS_OF).rows if r.currently_taking)
    assert row.current_daily_dose_mg == 0.3


@pytest.mark.parametrize("mg, text", [
    (0.0, "daily dose not recorded (the stored 0 mg per day is not a dose)"),
    (0.005, "daily dose not recorded (the stored 0.005 mg per day is not a dose)"),
    (MIN_DAILY_DOSE_MG, "0.01 mg per day (total daily dose as recorded)"),  # the floor itself is a dose
    (900.0, "900 mg per day (total daily dose as recorded)"),
])
def test_fhir_dosage_of_a_stored_dose_below_the_floor_says_not_recorded(mg, text):
    stored = parse_case(copy.deepcopy(BASE))  # a stored case: read without the new-input checks
    stored = dataclasses.replace(stored, intake=dataclasses.replace(stored.intake, medicines=(Medicine("gabapentin", mg),)))
    bundle = Bundle.model_validate(fhir.case_bundle(stored, AS_OF))
    statements = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "MedicationStatement"]
    assert [s.dosage[0].text for s in statements] == [text]
