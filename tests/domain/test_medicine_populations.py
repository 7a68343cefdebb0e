"""Issue 12 §7: populations, written from the sources.

* AGS Beers 2023 (65 and over): avoid an NSAID with a corticosteroid, an anticoagulant or an
  antiplatelet; higher NSAID GI risk from 75; avoid meperidine; tramadol with caution
  (hyponatraemia); avoid three or more CNS-active medicines.
* Hepatic impairment reaches the NSAID rows (NSAID class labelling; BNF).
* Pregnancy: every class has its reason (opioids: neonatal opioid withdrawal syndrome, FDA
  boxed warning; corticosteroids by trimester; gabapentinoids; cyclobenzaprine).
* Under 18: adult doses; maxima withheld (NICE NG59 covers over 16s).
* Renal band edges on the unrounded clearance; pregabalin's overlapping label edges take
  the conservative band; 29.9 / 30 / 30.1 / 59.9 / 60.
* Prednisone: the 60/40/20 mg taper, 5 days each, is 15 days; no "label maximum".
* BNF: paracetamol for adults under 50 kg by weight; ibuprofen 2.4 g/day (uk profile).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.medications import assess_medications

from tests.domain.test_medications import ROW_IDS, VISIT, intake


def assess(case, crcl=None, profile="us"):
    return assess_medications(case, VISIT, creatinine_clearance_override=crcl, profile=profile)


# --------------------------------------------------------------------------- Beers 2023
@pytest.mark.parametrize("age, status", [(64, "caution"), (65, "avoid")])
@pytest.mark.parametrize("other", ["prednisolone", "clopidogrel"])
def test_beers_nsaid_with_a_corticosteroid_or_antiplatelet_from_65(age, status, other):
    row = assess(intake(age=age, scr=0.9, meds=[(other, None)])).row("ibuprofen")
    assert row.status == status
    assert row.has_rule("nsaid-beers-combination") is (age >= 65)


def test_beers_corticosteroid_row_with_an_nsaid_from_65():
    assert assess(intake(age=65, scr=0.9, meds=[("naproxen", 1000)])).row("prednisone").status == "avoid"
    assert assess(intake(age=64, scr=0.9, meds=[("naproxen", 1000)])).row("prednisone").status == "caution"


@pytest.mark.parametrize("age, fired", [(74, False), (75, True)])
def test_beers_nsaid_gi_risk_from_75(age, fired):
    assert assess(intake(age=age, scr=0.9)).row("naproxen").has_rule("nsaid-age-75") is fired


def test_beers_meperidine_avoided_in_older_adults():
    assert assess(intake(age=70, scr=0.9, meds=[("pethidine", 200)])).row("opioids").has_rule("opioid-meperidine-older")
    assert not assess(intake(age=60, scr=0.9, meds=[("pethidine", 200)])).row("opioids").has_rule(
        "opioid-meperidine-older")


def test_beers_tramadol_caution_for_hyponatraemia_from_65():
    assert assess(intake(age=65, scr=0.9)).row("tramadol").has_rule("tramadol-hyponatraemia-older")
    assert not assess(intake(age=64, scr=0.9)).row("tramadol").has_rule("tramadol-hyponatraemia-older")


@pytest.mark.parametrize("meds, avoided", [
    ([("sertraline", 50)], False),
    ([("sertraline", 50), ("diazepam", 5)], True),
    ([("amitriptyline", 10), ("zopiclone", 7.5)], True),
])
def test_beers_a_third_cns_active_medicine_is_avoided_at_65(meds, avoided):
    row = assess(intake(age=70, scr=0.9, meds=meds)).row("gabapentin")
    assert row.has_rule("cns-three-or-more-older") is avoided
    if avoided:
        assert row.status == "avoid"


def test_three_cns_active_medicines_rule_is_for_older_adults_only():
    row = assess(intake(age=50, scr=0.9, meds=[("sertraline", 50), ("diazepam", 5)])).row("gabapentin")
    assert not row.has_rule("cns-three-or-more-older")


# --------------------------------------------------------------------------- hepatic
def test_hepatic_impairment_reaches_the_nsaid_rows():
    report = assess(intake(scr=0.9, conditions={"hepatic_impairment": True}))
    for drug in ("ibuprofen", "naproxen"):
        assert report.row(drug).has_rule("nsaid-hepatic") and report.row(drug).status == "caution"


# --------------------------------------------------------------------------- pregnancy
PREGNANCY_RULE = {"ibuprofen": "nsaid-pregnancy", "naproxen": "nsaid-pregnancy", "acetaminophen": "apap-pregnancy",
                  "cyclobenzaprine": "cbp-pregnancy", "gabapentin": "gaba-pregnancy",
                  "pregabalin": "pregabalin-pregnancy", "prednisone": "pred-pregnancy",
                  "opioids": "opioid-pregnancy", "tramadol": "opioid-pregnancy"}


@pytest.mark.parametrize("weeks", [8, 24, 34])
def test_every_row_has_its_pregnancy_reason(weeks):
    report = assess(intake(sex="female", scr=0.7, pregnancy=weeks))
    assert set(PREGNANCY_RULE) == set(ROW_IDS)
    for drug, prefix in PREGNANCY_RULE.items():
        assert any(r.rule.startswith(prefix) for r in report.row(drug).reasons), drug


def test_opioid_pregnancy_reason_names_neonatal_withdrawal():
    row = assess(intake(sex="female", scr=0.7, pregnancy=20)).row("opioids")
    assert any("neonatal opioid withdrawal" in r.text for r in row.reasons)


@pytest.mark.parametrize("weeks, rule", [(12, "pred-pregnancy-first-trimester"), (13, "pred-pregnancy")])
def test_corticosteroid_pregnancy_reason_by_trimester(weeks, rule):
    row = assess(intake(sex="female", scr=0.7, pregnancy=weeks)).row("prednisone")
    assert rule in {r.rule for r in row.reasons}


# --------------------------------------------------------------------------- under 18
@pytest.mark.parametrize("age, withheld", [(16, True), (17, True), (18, False)])
def test_under_18_maxima_are_withheld_with_a_message(age, withheld):
    report = assess(intake(age=age, scr=0.7))
    for row in report.rows:
        assert row.has_rule("under-18") is withheld
        if withheld:
            assert row.adjusted_max_daily_mg is None and "adult" in row.adjustment_reason


def test_under_18_triage_still_works():
    from radiculopathy_desktop.domain.assess import assess_case
    from radiculopathy_desktop.domain.intake import Case

    case = intake(age=17, red_flags={"saddle_anaesthesia": "yes"})
    a = assess_case(Case(case_id="T17", intake=case), VISIT)
    assert a.triage.tier == "emergency"


# --------------------------------------------------------------------------- renal band edges
@pytest.mark.parametrize("crcl, gabapentin, pregabalin", [
    (29.9, 700, 150), (30, 1400, 150), (30.1, 1400, 300), (59.9, 1400, 300), (60, 3600, 300), (60.1, 3600, 600),
])
def test_band_edges(crcl, gabapentin, pregabalin):
    # gabapentin label: >=60, 30-59, 15-29 (no overlap); pregabalin label: >=60, 30-60, 15-30
    # (overlapping at 60 and 30: the conservative band)
    report = assess(intake(), crcl=crcl)
    assert report.row("gabapentin").adjusted_max_daily_mg == gabapentin
    assert report.row("pregabalin").adjusted_max_daily_mg == pregabalin


def test_bands_use_the_unrounded_clearance():
    # man of 80, SCr 1.0: CrCl = weight x 60 / 72; 35.95 kg -> 29.958..., shown as 30
    report = assess(intake(age=80, weight=35.95, scr=1.0))
    assert report.crcl == 30.0
    row = report.row("gabapentin")
    assert row.adjusted_max_daily_mg == 700  # band 15-29, not 30-59
    assert any("unrounded 29.96" in r.text for r in row.reasons)
    assert report.row("ibuprofen").has_rule("nsaid-renal-below-30")


# --------------------------------------------------------------------------- prednisone, paracetamol, ibuprofen
def test_prednisone_wording_adds_up_and_claims_no_label_maximum():
    row = assess(intake(scr=0.9)).row("prednisone")
    assert "5 days" in row.usual_dose_range and "15 days in all" in row.usual_dose_range
    assert "1-2 weeks" not in row.usual_dose_range
    assert row.label_max_daily_mg is None and row.adjusted_max_daily_mg == 60
    texts = [row.adjustment_reason] + [r.text for r in row.reasons]
    assert not any("label maximum" in t and "not a label maximum" not in t for t in texts)


@pytest.mark.parametrize("weight, cap", [(40, 2400), (49.9, 2990), (50, 4000)])
def test_paracetamol_under_50_kg_is_weight_based(weight, cap):
    row = assess(intake(weight=weight, scr=0.8)).row("acetaminophen")
    assert row.adjusted_max_daily_mg == cap
    assert row.has_rule("apap-low-weight") is (weight < 50)


@pytest.mark.parametrize("profile, maximum", [("us", 3200), ("uk", 2400)])
def test_ibuprofen_maximum_per_profile(profile, maximum):
    row = assess(intake(scr=0.9, meds=[("ibuprofen", 2800)]), profile=profile).row("ibuprofen")
    assert row.label_max_daily_mg == maximum
    assert (row.status == "reduce_dose") is (2800 > maximum)  # above a label maximum: "Reduce dose" (gp18 F9)
