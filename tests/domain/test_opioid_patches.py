"""Opioid patches written as prescribed are recognised, count as opioids for the two-opioid
alert, and get an MME only where CDC 2022 gives a factor (rt19 F7; H-MED-322).

Sources (resources/medicines/sources.toml):
- Duragesic (fentanyl transdermal system) US label: strengths are delivery rates in micrograms
  per hour (12, 25, 37.5, 50, 62.5, 75, 87.5, 100 mcg/hour), each worn for 72 hours.
- Butrans US label: 5, 7.5, 10, 15 and 20 mcg/hour, each worn for 7 days; Butec UK SmPC (emc
  2384): 5, 10, 15 and 20 microgram/hour transdermal patches, once a week.
- CDC 2022 MME table: "Fentanyl transdermal (in mcg/hr) 2.4"; "1) All doses are in mg/day
  except for fentanyl, which is mcg/hr". The table lists no buprenorphine, and CDC's
  conversion file says buprenorphine products "do not have an associated MME conversion
  factor": its MME is "not computed", never invented.
rt19 F7: "fentanyl 25 mcg/h patch" with morphine 60 raised no two-opioid alert, only "not fully
checked ... did you mean fentanyl?".
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data, patch_rate
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _report(meds, profile="us"):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1970-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} if mg is not None else {"name": n} for n, mg in meds]
    return assess_medications(parse_case(d).intake, AS_OF, profile=profile)


def _two_opioids(report):
    return [a for a in medicine_alerts(report) if a.kind == "interaction" and "Two different opioids" in a.text]


@pytest.mark.parametrize("name, generic", [
    ("fentanyl 25 mcg/h patch", "fentanyl"), ("fentanyl 25 mcg/hr patch", "fentanyl"),
    ("Fentanyl 37.5 µg/h patch", "fentanyl"), ("fentanyl 12 micrograms/hour patch", "fentanyl"),
    ("fentanyl 25mcg/hr transdermal patch", "fentanyl"), ("fentanyl patch", "fentanyl"),
    ("fentanyl transdermal", "fentanyl"), ("Durogesic 25", "fentanyl"), ("durogesic patch", "fentanyl"),
    ("buprenorphine patch", "buprenorphine"), ("buprenorphine 10 microgram patch", "buprenorphine"),
    ("buprenorphine 5 micrograms per hour patch", "buprenorphine"), ("Butec 10", "buprenorphine"),
    ("BuTrans 5", "buprenorphine"), ("butrans 10 patch", "buprenorphine"), ("Transtec 35", "buprenorphine")])
def test_patches_as_prescribed_are_recognised_under_both_profiles(name, generic):
    assert load_medicine_data().resolve(name)[0] == (generic,)
    for profile in ("us", "uk"):
        report = _report([(name, None)], profile)
        assert report.unrecognised_medicines == ()


def test_a_topical_nsaid_patch_stays_unrecognised():
    """'patch' is read only with the opioid patch names: an ibuprofen patch is not oral ibuprofen."""
    assert load_medicine_data().resolve("ibuprofen patch")[0] == ()


@pytest.mark.parametrize("patch", ["fentanyl 25 mcg/h patch", "Butec 10", "BuTrans 5", "buprenorphine patch"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_a_patch_with_another_opioid_is_the_two_opioid_alert(patch, profile):
    report = _report([(patch, None), ("morphine", 60)], profile)
    alerts = _two_opioids(report)
    assert len(alerts) == 1 and alerts[0].status == "avoid"


def test_a_patch_alone_is_one_opioid_and_no_alert():
    assert _two_opioids(_report([("fentanyl 25 mcg/h patch", None)])) == []


# rx23 (rt24 F7): the "12" patch delivers 12.5 mcg/h (durogesic-dtrans-12-uk): 30, not 28.8
@pytest.mark.parametrize("rate, mme", [(12, 30), (25, 60), (37.5, 90), (100, 240)])
def test_fentanyl_mme_is_the_rate_times_2_4(rate, mme):
    report = _report([(f"fentanyl {rate:g} mcg/hr patch", None)])
    assert report.current_daily_mme == mme
    both = _report([(f"fentanyl {rate:g} mcg/hr patch", None), ("morphine", 60)])
    assert both.current_daily_mme == round(mme + 60, 1)
    assert f"together {round(mme + 60, 1):g} MME/day" in _two_opioids(both)[0].text


@pytest.mark.parametrize("rate, fires", [(20.8, False), (20.9, True)])  # 20.8 x 2.4 = 49.92; 20.9 x 2.4 = 50.16
def test_the_50_mme_reassessment_reads_the_patch_rate(rate, fires):
    """CDC 2022: reassess at 50 MME/day or more (the existing opioid-mme-50 rule)."""
    row = _report([(f"fentanyl {rate:g} mcg/h patch", None)]).row("opioids")
    assert row.has_rule("opioid-mme-50") is fires


def test_a_fentanyl_patch_without_a_rate_has_no_mme_never_a_guess():
    report = _report([("fentanyl patch", None), ("morphine", 60)])
    assert patch_rate("fentanyl patch") is None
    assert report.current_daily_mme is None
    assert "cannot be worked out" in _two_opioids(report)[0].text


def test_a_patch_brand_with_a_marketed_bare_strength_is_counted():
    """Changed on purpose (mmx22, gp21 F1): "Durogesic 25" was left out of the total (0 MME), the
    way a UK patch is prescribed; 25 is a strength one Durogesic patch is made in, so it is 25
    micrograms an hour (60 MME/day), said so in how the total was counted. patch_rate still reads
    only a written unit; the bare strength is read by patch_reading."""
    assert patch_rate("Durogesic 25") is None
    report = _report([("Durogesic 25", None), ("morphine", 60)])
    assert report.current_daily_mme == 120


def test_buprenorphine_mme_is_not_computed_and_says_why():
    report = _report([("Butec 10", None), ("oxycodone", 20)], "uk")
    assert report.current_daily_mme is None
    text = _two_opioids(report)[0].text
    assert "not computed (buprenorphine has no MME conversion factor in the CDC 2022 table)" in text
    assert "record each opioid's daily dose" not in text  # recording a dose would not give one
    assert "buprenorphine" not in load_medicine_data().mme_factors
    assert "buprenorphine" not in load_medicine_data().mme_rate_factors


def test_patch_rate_reads_one_rate_only():
    assert patch_rate("fentanyl 25 mcg/h patch") == 25
    assert patch_rate("fentanyl 37,5 µg/h") == 37.5
    # two rates joined by "+": patches worn together, one rate, the sum (mme21: a total left
    # unread made no MME and no alert); two rates not joined are still not summed by guess
    assert patch_rate("fentanyl 25 mcg/h + 12 mcg/h patches") == 37
    assert patch_rate("fentanyl 25 mcg/h patch, was 12 mcg/h") is None
    assert patch_rate("fentanyl 25 mcg lozenge") is None  # not a rate
