"""A patient's OWN current opioids (one or several) at 50 or 90 MME/day or more get an alert on
every surface the two-opioid alert reaches, with the total and how it was counted (mme21,
gp20 F2: "morphine 200mg bd", 400 MME/day, or "fentanyl 250mcg/h patch" alone got no alert;
H-MED-381).

Primary source, read 2026-12-01 through the search tool (sources.toml cdc-2022-dosage,
cdc-2022-mme, cdc-2022-mme-fentanyl):
- CDC 2016 (MMWR Recomm Rep 2016;65(1)) recommendation 5: "should carefully reassess evidence of
  individual benefits and risks when considering increasing dosage to >=50 morphine milligram
  equivalents (MME)/day, and should avoid increasing dosage to >=90 MME/day or carefully justify
  a decision to titrate dosage to >=90 MME/day".
- CDC 2022 (MMWR Recomm Rep 2022;71(3)) recommendation 5: "For patients already receiving opioid
  therapy, clinicians should carefully weigh benefits and risks and exercise care when changing
  opioid dosage ... opioid therapy should not be discontinued abruptly, and clinicians should not
  rapidly reduce opioid dosages from higher dosages"; recommendation 8: "... including offering
  naloxone".
- CDC 2022 MME table: morphine 1, codeine 0.15, tramadol 0.2, "Fentanyl transdermal (in mcg/hr)
  2.4"; buprenorphine has no factor.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import _marks_of
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _case(meds):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1970-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} if mg is not None else {"name": n} for n, mg in meds]
    return parse_case(d)


def _report(meds, profile="us"):
    return assess_medications(_case(meds).intake, AS_OF, profile=profile)


def _mme_alerts(report):
    return [a for a in medicine_alerts(report) if "current opioids total" in a.text]


def _tier(report):
    """"90", "50" or None: which MME alert the patient's own opioids get."""
    alerts = _mme_alerts(report)
    if not alerts:
        return None
    assert len(alerts) == 1, [a.text for a in alerts]
    return "90" if "90 MME/day or more" in alerts[0].text else "50"


@pytest.mark.parametrize("meds, tier", [
    # one tablet opioid: morphine mg/day x 1, just below / at / just above 50 and 90
    ([("morphine", 49)], None), ([("morphine", 50)], "50"), ([("morphine", 51)], "50"),
    ([("morphine", 89)], "50"), ([("morphine", 90)], "90"), ([("morphine", 91)], "90"),
    # the GP's patient: 200 mg twice a day, read from the name
    ([("morphine 200mg bd", None)], "90"),
    # a fentanyl patch: mcg/h x 2.4 (12 -> 30, since the "12" patch delivers 12.5 (rx23, rt24 F7:
    # durogesic-dtrans-12-uk); 25 -> 60, 37.5 -> 90, 50 -> 120)
    ([("fentanyl 12 mcg/h patch", None)], None), ([("fentanyl 25 mcg/h patch", None)], "50"),
    ([("fentanyl 37.5 mcg/h patch", None)], "90"), ([("fentanyl 50 mcg/h patch", None)], "90"),
    # patches worn together, written as a sum: 25 + 12 (delivers 12.5) = 37.5 mcg/h = 90; 25 + 12.5 = 90
    ([("fentanyl 25 + 12 mcg/h patches", None)], "90"), ([("fentanyl 25 + 12.5 mcg/h patches", None)], "90"),
    # mixed opioids: codeine x 0.15 + tramadol x 0.2 (30 + 19 = 49; 30 + 20 = 50; 30 + 21 = 51)
    ([("codeine", 200), ("tramadol", 95)], None), ([("codeine", 200), ("tramadol", 100)], "50"),
    ([("codeine", 200), ("tramadol", 105)], "50"),
    # morphine 60 + fentanyl 12.5 mcg/h (30) = 90
    ([("morphine", 59), ("fentanyl 12.5 mcg/h patch", None)], "50"),
    ([("morphine", 60), ("fentanyl 12.5 mcg/h patch", None)], "90"),
    # low doses of tramadol or codeine do not fire: tramadol 200 = 40, codeine 240 = 36
    ([("tramadol", 200)], None), ([("codeine", 240)], None), ([("codeine 30mg qds", None)], None),
    ([("tramadol", 245)], None), ([("tramadol", 250)], "50"),
])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_own_opioid_total_tiers_at_50_and_90(meds, tier, profile):
    assert _tier(_report(meds, profile)) == tier


def test_the_alert_gives_the_total_and_how_it_was_counted():
    (alert,) = _mme_alerts(_report([("morphine 200mg bd", None)]))
    assert alert.status == "avoid" and alert.medicines == ("morphine 200mg bd",)
    assert "current opioids total 400 MME/day (morphine 200mg bd: morphine 400 mg/day x 1)" in alert.text
    assert "avoid increasing the dose to 90 MME/day or more, or carefully justify it" in alert.text
    assert "offer naloxone" in alert.text
    # never "stop it": the alert's action is the opioid's gradual one (CDC 2022 recommendation 5)
    assert "do not stop morphine 200mg bd suddenly" in alert.action
    assert "stop or change it" not in alert.text and "stop or change them" not in alert.text
    (patch,) = _mme_alerts(_report([("fentanyl 50 mcg/h patch", None)]))
    assert "120 MME/day (fentanyl 50 mcg/h patch: fentanyl patch 50 mcg/h x 2.4)" in patch.text
    (fifty,) = _mme_alerts(_report([("morphine", 60)]))
    assert "60 MME/day" in fifty.text and "50 MME/day or more" in fifty.text
    assert "reassess benefits and risks before any increase, offer naloxone" in fifty.text


def test_uk_says_the_thresholds_are_the_us_cdc_ones():
    (alert,) = _mme_alerts(_report([("morphine", 60)], "uk"))
    assert "from the US CDC guideline: no UK source for them was read" in alert.text


def test_buprenorphine_is_not_counted_and_is_named_as_not_counted():
    """CDC 2022's table lists no buprenorphine (sources.toml cdc-2022-mme-fentanyl)."""
    assert _tier(_report([("BuTrans 20 micrograms/hour patch", None)])) is None
    report = _report([("morphine", 60), ("BuTrans 10 micrograms/hour", None)])
    (alert,) = _mme_alerts(report)
    assert "at least 60 MME/day" in alert.text
    assert "not counted: butrans 10 micrograms/hour (buprenorphine: no MME factor in the CDC 2022 table)" in alert.text
    assert report.current_daily_mme is None  # the total itself stays "not computed"


def test_two_rows_of_one_total_make_one_alert_naming_both():
    """Codeine (the opioid row) and tramadol (its own row) carry the same total: one alert."""
    report = _report([("codeine", 200), ("tramadol", 100)])
    (alert,) = _mme_alerts(report)
    assert alert.medicines == ("codeine", "tramadol")
    assert "50 MME/day (codeine: codeine 200 mg/day x 0.15; tramadol: tramadol 100 mg/day x 0.2)" in alert.text
    assert "do not stop codeine or tramadol suddenly" in alert.action  # "or" after "not" (wording30)


def test_an_opioid_without_a_dose_makes_the_others_a_lower_bound():
    (alert,) = _mme_alerts(_report([("morphine", 100), ("oxycodone", None)]))
    assert "at least 100 MME/day" in alert.text and "oxycodone (oxycodone: daily dose not recorded or not read)" in alert.text


def test_every_surface_the_two_opioid_alert_reaches():
    """The case page's list and banner count, the pathway and the summary read medicine_alerts;
    the worklist column and CSV read the marks made from the same list."""
    report = _report([("morphine 200mg bd", None)])
    assert len(medicine_alerts(report)) == 1
    marks = _marks_of(report)
    # the rule's own label, not "Avoid" (mme22: "AVOID: morphine" read as "stop the morphine")
    assert [(m.label, m.medicines) for m in marks] == [("High opioid dose", ("morphine 200mg bd",))]
    assert "do not stop morphine 200mg bd suddenly" in marks[0].action


def test_a_dose_to_lower_keeps_its_plan_and_says_the_total_beside_it():
    """Codeine 361 mg/day is above its label maximum (54 MME): "Reduce dose", lowered step by step,
    with the total quoted in the alert (never turned into "ask before your next dose")."""
    report = _report([("codeine", 361)])
    row = report.row("opioids")
    assert row.status == "reduce_dose"
    (alert,) = [a for a in medicine_alerts(report) if a.kind == "medicine"]
    assert alert.status == "reduce_dose" and "step by step" in alert.action
    assert "current opioids total 54.1 MME/day" in alert.text
