"""An opioid given by injection is never counted with an oral MME factor, and the subcutaneous
route is an injected route (route27; code: resources/medicines/routes.toml ``[injected_forms]``,
medications.MedicineData.by_injection, medications._medicine_entry and _facts).

Before route27 ``[injected_forms]`` had no "sc", "s/c", "subcut" or "subcutaneous", so
"morphine 10mg sc" was counted by the pathway as a medicine taken by mouth, and with its daily
dose typed in the dose field it was counted in the MME total with morphine's factor (rt26 had
only stopped a regimen in the name from being read).

Source (resources/medicines/sources.toml ``cdc-mme-oral``): CDC's MME data resource says its
file "contains opioids with their oral morphine milligram equivalent (MME) conversion
factors"; the CDC 2022 table gives one mg/day factor per opioid and a mcg/hr factor for
transdermal fentanyl only, no factor for an opioid by injection. So an opioid written with an
injected route is not counted: the MME total is not given, and why is said.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.domain.pathway_medicines import treatment_codes_by_medicine

from tests.domain.test_combination_doses import _report

ROUTES = ["sc", "SC", "s/c", "S/C", "subcut", "sub-cut", "subcutaneous", "im", "iv", "injection"]


@pytest.mark.parametrize("route", ROUTES)
def test_every_injected_route_after_the_dose_is_given_by_injection(route):
    assert load_medicine_data().by_injection(f"morphine 10mg {route}")


@pytest.mark.parametrize("name", [
    "morphine 10mg qds", "morphine 10mg", "co-codamol 30/500", "oxycodone 5mg bd",
    "disc protrusion", "morphine 10mg s/c/x", "morphine 10mg scx",
])
def test_a_name_without_an_injected_route_is_not_given_by_injection(name):
    # "s/c/x" and "scx" are no route as written: only the whole word is
    assert not load_medicine_data().by_injection(name)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name, dose, factor", [
    ("morphine 10mg {route}", 40.0, 1.0),
    ("oxycodone 5mg {route}", 20.0, 1.5),
    ("hydromorphone 2mg {route}", 8.0, 5.0),
])
def test_a_typed_daily_dose_of_an_injected_opioid_is_never_counted_with_the_oral_factor(route, name, dose, factor):
    typed = name.format(route=route)
    injected = _report([(typed, dose)])
    assert injected.current_daily_mme is None  # never dose x the oral factor
    by_mouth = _report([(name.format(route="").strip(), dose)])
    assert by_mouth.current_daily_mme == dose * factor  # the same dose by mouth is counted, as before


def test_an_injected_opioid_says_why_it_is_not_counted_and_keeps_its_interactions():
    report = _report([("morphine 10mg sc", 40.0), ("gabapentin", 900.0)])
    assert report.fully_checked
    assert report.current_daily_mme is None
    asked = [c for c in report.dose_checks if c.rule == "check-dose" and c.medicines == ("morphine 10mg sc",)]
    assert len(asked) == 1 and "given by injection" in asked[0].text and "check the dose by injection by hand" in \
        asked[0].text and asked[0].daily_mg == 40.0
    assert report.row("gabapentin").status == "avoid"  # opioid + gabapentinoid still checked


def test_the_same_dose_by_mouth_is_not_asked_about():
    report = _report([("morphine 10mg", 40.0)])
    assert not [c for c in report.dose_checks if c.rule == "check-dose"]


def test_a_regimen_in_an_injected_name_is_asked_about_once():
    # rt26 already asks (the name's regimen is not read); route27 adds no second question
    report = _report([("morphine 10mg sc qds", None)])
    asked = [c for c in report.dose_checks if c.rule == "check-dose"]
    assert len(asked) == 1 and "given by injection" in asked[0].text
    assert report.current_daily_mme is None


def test_an_injected_opioid_beside_an_oral_one_leaves_the_total_unknown_not_low():
    report = _report([("morphine 10mg s/c", 40.0), ("oxycodone 10mg bd", None)])
    assert report.current_daily_mme is None  # 30 MME by mouth would under-count


@pytest.mark.parametrize("name, dose", [
    ("morphine 10mg sc qds", None), ("morphine 10mg subcut qds", None), ("morphine 10mg sc", 40.0),
])
def test_an_injected_opioid_is_not_a_medicine_taken_by_mouth_on_the_pathway(name, dose):
    assert treatment_codes_by_medicine(_report([(name, dose)])) == {}
    by_mouth = name.replace(" subcut", "").replace(" sc", "")
    assert treatment_codes_by_medicine(_report([(by_mouth, dose)]))  # the same by mouth counts


def test_an_injected_medicine_without_an_mme_factor_is_unchanged():
    # enoxaparin has no MME factor and no maximum read here: its dose is read as before
    report = _report([("enoxaparin 40mg sc od", None), ("ibuprofen", 1200)])
    assert report.row("ibuprofen").status == "avoid"
    assert report.current_daily_mme == 0.0
