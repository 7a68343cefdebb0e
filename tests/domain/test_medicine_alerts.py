"""Current medicines that must be stopped, changed or reduced raise an alert (red-team A1).

Clinical rules, from the sources the medicine data cites:
- NSAIDs from 30 weeks of pregnancy: contraindicated (premature closure of the ductus
  arteriosus; NSAID labels, FDA Drug Safety Communication 15 October 2020).
- NSAID with an anticoagulant: serious bleeding risk; AGS Beers 2023: at 65 and over avoid an
  NSAID with an anticoagulant.
- Gabapentin at CrCl 15-29 mL/min: label renal band 200-700 mg/day, so 3600 mg/day is above it.
A medicine the patient does *not* take never raises an alert (its row still says so), and a
caution never does.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 29)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def case_with(medicines, **patient):
    d = copy.deepcopy(BASE)
    d["medicines"] = medicines
    d["patient"].update(patient)
    return parse_case(d)


def alerts_for(case, profile="us", day=AS_OF):
    return medicine_alerts(assess_medications(case.intake_as_of(day), day, profile=profile))


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_ibuprofen_at_32_weeks_is_a_contraindicated_alert_naming_the_reason(profile):
    alerts = alerts_for(case_with([{"name": "ibuprofen", "daily_dose_mg": 1200}], pregnancy_weeks=32), profile)
    first = alerts[0]
    assert first.status == "contraindicated" and first.medicines == ("ibuprofen",)
    assert "1200 mg/day" in first.text and "Stop" in first.text
    # the reason of the profile's source: uk the MHRA's "after 28 weeks", us the FDA's 30 weeks (fxk20)
    assert ("after 28 weeks" if profile == "uk" else "from 30 weeks") in first.text


@pytest.mark.parametrize("weeks,contraindicated", [(29, False), (30, True)])
def test_the_30_week_boundary(weeks, contraindicated):
    case = case_with([{"name": "ibuprofen", "daily_dose_mg": 1200}], pregnancy_weeks=weeks)
    # on the intake's date: the weeks recorded then (they move on with time: test_pregnancy_on_date.py)
    alerts = alerts_for(case, day=case.intake.visit_date)
    assert any(a.status == "contraindicated" for a in alerts) is contraindicated


def test_not_taking_an_nsaid_at_32_weeks_gives_no_alert_though_the_row_is_contraindicated():
    case = case_with([], pregnancy_weeks=32)
    report = assess_medications(case.intake_as_of(AS_OF), AS_OF)
    assert report.row("ibuprofen").status == "contraindicated"
    assert medicine_alerts(report) == ()


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_apixaban_with_ibuprofen_at_70_is_one_alert_naming_both(profile):
    # spell28 (H-UI-433): the ibuprofen row's only Avoid reason is "Taking apixaban (anticoagulant): avoid
    # NSAIDs", which the interaction alert says: the banner said it twice; it is said once, by the pair
    case = case_with([{"name": "apixaban", "daily_dose_mg": 10}, {"name": "ibuprofen", "daily_dose_mg": 1200}],
                     birth_date="1956-01-10")
    alerts = alerts_for(case, profile)
    assert not [a for a in alerts if a.kind == "medicine" and a.medicines == ("ibuprofen",)]
    (inter,) = [a for a in alerts if a.kind == "interaction"]
    assert set(inter.medicines) == {"ibuprofen", "apixaban"} and inter.status == "avoid"
    assert sum("anticoagulant" in a.text for a in alerts) == 1


def test_a_brand_name_is_alerted_as_typed():
    case = case_with([{"name": "Eliquis", "daily_dose_mg": 10}, {"name": "Naprosyn", "daily_dose_mg": 1000}],
                     birth_date="1956-01-10")
    alerts = alerts_for(case)
    assert any({m.lower() for m in a.medicines} == {"naprosyn", "eliquis"} for a in alerts)  # the pair, by brand (spell28)


def test_gabapentin_above_the_renal_band_is_a_reduce_dose_alert_with_the_maximum():
    # man of 80, 60 kg, creatinine 2.0 mg/dL: CrCl (140-80) x 60 / (72 x 2.0) = 25 mL/min
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date=None, age_years=80, sex="male", weight_kg=60)
    d["patient"].pop("birth_date")
    d["conditions"]["serum_creatinine"] = {"value": 2.0, "unit": "mg/dL"}
    d["medicines"] = [{"name": "gabapentin", "daily_dose_mg": 3600}]
    alerts = alerts_for(parse_case(d))
    gaba = next(a for a in alerts if a.medicines == ("gabapentin",))
    assert gaba.status == "reduce_dose" and "700 mg/day" in gaba.text and "Reduce the dose" in gaba.text


def test_a_medicine_within_its_limits_gives_no_alert():
    assert alerts_for(case_with([{"name": "ibuprofen", "daily_dose_mg": 1200}])) == ()


def test_worst_first_and_in_the_assessment_json():
    case = case_with([{"name": "ibuprofen", "daily_dose_mg": 1200}], pregnancy_weeks=32)
    data = assess_case(case, AS_OF).to_dict()
    assert data["medicine_alerts"][0]["status"] == "contraindicated"
    assert data["medicine_alerts"] == [a.to_dict() for a in assess_case(case, AS_OF).medicine_alerts]
    statuses = [a["status"] for a in data["medicine_alerts"]]
    order = ["contraindicated", "avoid", "reduce_dose"]
    assert statuses == sorted(statuses, key=order.index)
