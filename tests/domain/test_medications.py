"""Medication safety: clinical cases written from shared/clinical/REFERENCE.md
("Medications" and the seed divergences) and the seed summaries, not from the code.

Each case states the clinical fact it checks. Where a computed clearance is needed at an
exact value, weight and creatinine are chosen so Cockcroft-Gault lands on it:
a man of 80 with SCr 1.0 mg/dL has CrCl = weight x 60 / 72, so 72 kg -> 60.0,
70.8 kg -> 59.0, 36 kg -> 30.0, 34.8 kg -> 29.0 mL/min.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.intake import Conditions, Intake, Medicine, Patient, parse_case
from radiculopathy_desktop.domain.medications import (
    STATUSES,
    MedicineDataError,
    assess_medications,
    default_data_dir,
    load_medicine_data,
)

VISIT = dt.date(2026, 3, 2)
ROW_IDS = ("ibuprofen", "naproxen", "acetaminophen", "cyclobenzaprine", "gabapentin", "pregabalin",
           "prednisone", "opioids", "tramadol")


def intake(age=45, sex="male", weight=80.0, scr=None, egfr=None, conditions=None, meds=(), alcohol="unknown",
           pregnancy=None, red_flags=None, onset_days_ago=14, height=None) -> Intake:
    flags = {"fever": "no", "iv_drug_use": "no", "immunosuppression": "no", "recent_bacterial_infection": "no"}
    flags.update(red_flags or {})
    return Intake(
        patient=Patient("t1", age_years=age, sex=sex, weight_kg=weight, height_cm=height, pregnancy_weeks=pregnancy),
        onset_date=VISIT - dt.timedelta(days=onset_days_ago), visit_date=VISIT, care_start_date=VISIT,
        side="left", regions=("lateral_leg", "dorsum_foot"), leg_nrs=7, back_nrs=4, red_flags=flags,
        conditions=Conditions(flags=dict(conditions or {}), creatinine_value=scr,
                              creatinine_unit=None if scr is None else "mg/dL", egfr=egfr, alcohol_use=alcohol),
        medicines=tuple(Medicine(n, d) for n, d in meds),
    )


def assess(case: Intake, crcl=None):
    return assess_medications(case, VISIT, creatinine_clearance_override=crcl)


def rules(row) -> set[str]:
    return {r.rule for r in row.reasons}


# --------------------------------------------------------------------------- kidney function
def test_cockcroft_gault_worked_example_woman_70_60kg_scr_1():
    # (140-70) x 60 / (72 x 1.0) x 0.85 = 49.58 -> 49.6 mL/min
    report = assess(intake(age=70, sex="female", weight=60, scr=1.0))
    assert report.crcl == 49.6
    assert "Cockcroft-Gault" in report.renal_basis and "actual body weight" in report.renal_basis
    assert "0.85" in report.renal_basis


def test_cockcroft_gault_man_has_no_sex_factor():
    report = assess(intake(age=40, sex="male", weight=80, scr=1.0))
    assert report.crcl == pytest.approx(111.1)


def test_creatinine_in_umol_per_litre_is_converted():
    # 88.42 umol/L = 1.0 mg/dL, so the worked example gives the same 49.6 mL/min
    case = parse_case({
        "patient": {"id": "u1", "age_years": 70, "sex": "female", "weight_kg": 60},
        "onset_date": "2026-02-16", "visit_date": "2026-03-02", "side": "left", "regions": ["lateral_leg"],
        "pain": {"leg_nrs": 6, "back_nrs": 3}, "red_flags": {},
        "conditions": {"serum_creatinine": {"value": 88.42, "unit": "umol/L"}},
    })
    assert assess_medications(case.intake, VISIT).crcl == 49.6


def test_unknown_sex_uses_the_conservative_female_factor_and_says_so():
    report = assess(intake(age=70, sex="unknown", weight=60, scr=1.0))
    assert report.crcl == 49.6
    assert "conservative" in report.renal_basis


def test_missing_weight_falls_back_to_egfr_with_a_note():
    report = assess(intake(weight=None, scr=1.2, egfr=45))
    assert report.crcl is None
    assert "eGFR" in report.renal_basis and "weight" in report.renal_basis
    gaba = report.row("gabapentin")
    assert gaba.adjusted_max_daily_mg == 1400  # eGFR 45 used in the 30-59 band


def test_unknown_creatinine_says_renal_function_unknown():
    report = assess(intake(scr=None, egfr=None))
    assert report.crcl is None
    assert "Renal function unknown" in report.renal_basis
    assert any("Renal function unknown" in r.text for r in report.row("ibuprofen").reasons)
    gaba = report.row("gabapentin")
    assert any("Renal function unknown" in r.text for r in gaba.reasons)
    assert gaba.adjusted_max_daily_mg == 3600  # label maximum, with the caveat shown


@pytest.mark.parametrize("age", [140, 150])
def test_an_impossible_age_gives_no_clearance_instead_of_a_negative_one(age):
    # (140 - age) is zero or negative: Cockcroft-Gault cannot estimate, and the engine must
    # say why (a wrong birth date or assessment date) instead of crashing or using a band.
    report = assess(intake(age=age, sex="male", weight=70, scr=1.0, egfr=None))
    assert report.crcl is None
    assert "outside what Cockcroft-Gault can estimate" in report.renal_basis
    assert report.row("gabapentin").adjusted_max_daily_mg == 3600  # label maximum, with the caveat shown


def test_age_139_still_gets_a_computed_clearance():
    report = assess(intake(age=139, sex="male", weight=72, scr=1.0))
    assert report.crcl == 1.0


def test_override_replaces_the_estimate():
    report = assess(intake(age=70, sex="female", weight=60, scr=1.0), crcl=25)
    assert report.crcl == 25
    assert "entered by the clinician" in report.renal_basis


# --------------------------------------------------------------------------- gabapentinoid renal tables
@pytest.mark.parametrize("weight, crcl, expected_max", [
    (72.0, 60.0, 3600), (70.8, 59.0, 1400), (36.0, 30.0, 1400), (34.8, 29.0, 700),
])
def test_gabapentin_band_edges_from_computed_clearance(weight, crcl, expected_max):
    report = assess(intake(age=80, sex="male", weight=weight, scr=1.0))
    assert report.crcl == crcl
    assert report.row("gabapentin").adjusted_max_daily_mg == expected_max


@pytest.mark.parametrize("crcl, expected_max", [(15, 700), (14.9, 300)])
def test_gabapentin_lowest_bands(crcl, expected_max):
    assert assess(intake(), crcl=crcl).row("gabapentin").adjusted_max_daily_mg == expected_max


@pytest.mark.parametrize("crcl, expected_max", [(60.1, 600), (60, 300), (59, 300), (30.1, 300), (30, 150),
                                                (29, 150), (15, 150), (14, 75)])
def test_pregabalin_band_edges(crcl, expected_max):
    # label: >=60 150-600; 30-60 75-300; 15-30 25-150; <15 25-75. The label's bands overlap
    # at 60 and at 30: there the conservative (lower) band applies (issue 12 §7).
    assert assess(intake(), crcl=crcl).row("pregabalin").adjusted_max_daily_mg == expected_max


def test_pregabalin_edges_from_computed_clearance_match_the_override():
    assert assess(intake(age=80, weight=72.0, scr=1.0)).row("pregabalin").adjusted_max_daily_mg == 300
    assert assess(intake(age=80, weight=73.0, scr=1.0)).row("pregabalin").adjusted_max_daily_mg == 600
    assert assess(intake(age=80, weight=70.8, scr=1.0)).row("pregabalin").adjusted_max_daily_mg == 300
    assert assess(intake(age=80, weight=34.8, scr=1.0)).row("pregabalin").adjusted_max_daily_mg == 150


def test_haemodialysis_lowest_band_plus_supplement_and_no_nsaids():
    report = assess(intake(scr=6.0, conditions={"dialysis": True, "ckd": True}))
    gaba = report.row("gabapentin")
    assert gaba.adjusted_max_daily_mg == 300
    assert "125-350" in gaba.adjusted_dose_range
    preg = report.row("pregabalin")
    assert preg.adjusted_max_daily_mg == 75 and "25-150" in preg.adjusted_dose_range
    assert report.row("ibuprofen").status == "avoid"
    assert report.row("tramadol").adjusted_max_daily_mg == 200
    assert "dialysis" in report.renal_basis


def test_current_gabapentin_2400_with_crcl_45_is_flagged_over_max():
    row = assess(intake(meds=[("gabapentin", 2400)]), crcl=45).row("gabapentin")
    assert row.currently_taking and row.current_daily_dose_mg == 2400
    assert row.adjusted_max_daily_mg == 1400
    assert row.over_max is True
    assert any("2400" in r.text and "1400" in r.text for r in row.reasons)


def test_current_dose_within_the_adjusted_max_is_not_flagged():
    row = assess(intake(meds=[("gabapentin", 900)]), crcl=45).row("gabapentin")
    assert row.over_max is False


# --------------------------------------------------------------------------- acetaminophen
def test_acetaminophen_age_59_label_max_4g_and_age_60_capped_at_3g():
    assert assess(intake(age=59)).row("acetaminophen").adjusted_max_daily_mg == 4000
    row = assess(intake(age=60)).row("acetaminophen")
    assert row.adjusted_max_daily_mg == 3000 and row.label_max_daily_mg == 4000
    assert row.status == "ok"


def test_acetaminophen_liver_disease_caps_at_2g():
    row = assess(intake(conditions={"hepatic_impairment": True})).row("acetaminophen")
    assert row.adjusted_max_daily_mg == 2000 and row.status == "caution"


def test_acetaminophen_alcohol_above_limits_caps_at_2g_but_within_limits_does_not():
    assert assess(intake(alcohol="above_limits")).row("acetaminophen").adjusted_max_daily_mg == 2000
    assert assess(intake(alcohol="within_limits")).row("acetaminophen").adjusted_max_daily_mg == 4000


def test_acetaminophen_notes_acp_and_nice_position_and_seed_dose():
    row = assess(intake()).row("acetaminophen")
    evidence = [r for r in row.reasons if "ineffective" in r.text]
    assert evidence and "Qaseem" in evidence[0].source and "NICE" in evidence[0].source
    assert row.seed == "seed2" and "3000" in row.seed_dose


def test_paracetamol_uk_name_counts_and_4g_at_70_is_over_the_3g_cap():
    row = assess(intake(age=70, meds=[("Paracetamol", 4000)])).row("acetaminophen")
    assert row.currently_taking and row.over_max


def test_co_codamol_is_recognised_as_codeine_and_paracetamol():
    report = assess(intake(meds=[("co-codamol", None)]))
    assert report.row("acetaminophen").currently_taking
    assert report.row("opioids").currently_taking
    assert report.row("acetaminophen").current_daily_dose_mg is None
    assert "combination-product" in rules(report.row("acetaminophen"))


# --------------------------------------------------------------------------- NSAIDs
@pytest.mark.parametrize("drug", ["warfarin", "apixaban", "Eliquis", "rivaroxaban", "enoxaparin"])
def test_nsaid_with_anticoagulant_avoid(drug):
    report = assess(intake(meds=[(drug, None)]))
    assert report.row("ibuprofen").status == "avoid"
    assert report.row("naproxen").status == "avoid"


def test_nsaid_with_clopidogrel_caution():
    row = assess(intake(meds=[("clopidogrel", 75)])).row("ibuprofen")
    assert row.status == "caution" and "nsaid-antiplatelet" in rules(row)


def test_nsaid_with_prednisolone_caution_with_gastroprotection():
    row = assess(intake(meds=[("prednisolone", 30)])).row("naproxen")
    assert row.status == "caution"
    assert any("gastroprotection" in r.text for r in row.reasons if r.rule == "nsaid-corticosteroid")


def test_nsaid_gi_bleed_history_avoid():
    assert assess(intake(conditions={"gi_bleed_or_ulcer": True})).row("ibuprofen").status == "avoid"


def test_nsaid_heart_failure_avoid_and_cardiovascular_disease_caution():
    assert assess(intake(conditions={"heart_failure": True})).row("ibuprofen").status == "avoid"
    assert assess(intake(conditions={"cardiovascular_disease": True})).row("ibuprofen").status == "caution"


def test_nsaid_condition_not_recorded_is_not_no_but_does_not_fire():
    assert "nsaid-heart-failure" not in rules(assess(intake(conditions={"heart_failure": None})).row("ibuprofen"))


def test_nsaid_age_64_no_beers_age_65_caution():
    assert "nsaid-age-65" not in rules(assess(intake(age=64)).row("ibuprofen"))
    row = assess(intake(age=65)).row("ibuprofen")
    assert "nsaid-age-65" in rules(row) and row.status == "caution"


@pytest.mark.parametrize("weeks, status", [(19, "caution"), (20, "avoid"), (29, "avoid"), (30, "contraindicated")])
def test_nsaid_pregnancy_weeks(weeks, status):
    report = assess(intake(sex="female", weight=70, pregnancy=weeks))
    assert report.row("ibuprofen").status == status
    assert report.row("naproxen").status == status
    assert report.row("acetaminophen").status == "ok"  # the usual analgesic in pregnancy


def test_nsaid_triple_whammy_ace_inhibitor_plus_diuretic_avoid():
    row = assess(intake(meds=[("ramipril", 5), ("furosemide", 40)])).row("ibuprofen")
    assert row.status == "avoid" and "nsaid-triple-whammy" in rules(row)


def test_nsaid_ace_inhibitor_alone_caution():
    row = assess(intake(meds=[("lisinopril", 10)])).row("ibuprofen")
    assert row.status == "caution" and "nsaid-raas" in rules(row)


def test_nsaid_lithium_avoid():
    assert assess(intake(meds=[("lithium carbonate", 800)])).row("naproxen").status == "avoid"


@pytest.mark.parametrize("crcl, status, rule", [
    (29, "avoid", "nsaid-renal-below-30"), (30, "caution", "nsaid-renal-below-60"),
    (59, "caution", "nsaid-renal-below-60"), (60, "ok", None),
])
def test_nsaid_kidney_thresholds(crcl, status, rule):
    row = assess(intake(age=40), crcl=crcl).row("ibuprofen")
    assert row.status == status
    if rule:
        assert rule in rules(row)


def test_naproxen_sodium_dose_is_converted_to_naproxen():
    row = assess(intake(meds=[("naproxen sodium", 1100)])).row("naproxen")
    assert row.current_daily_dose_mg == pytest.approx(1000, abs=0.5)
    assert row.over_max is False


def test_ibuprofen_above_label_maximum_is_flagged():
    # above the label maximum is "Reduce dose", as codeine's is (gp18 F9: one label for it)
    row = assess(intake(meds=[("ibuprofen", 4000)])).row("ibuprofen")
    assert row.over_max and row.status == "reduce_dose" and row.status_label == "Reduce dose"


def test_avoid_row_has_no_adjusted_max_but_still_shows_label():
    row = assess(intake(conditions={"heart_failure": True})).row("ibuprofen")
    assert row.adjusted_max_daily_mg is None and row.label_max_daily_mg == 3200


# --------------------------------------------------------------------------- cyclobenzaprine
def test_cyclobenzaprine_with_maoi_contraindicated():
    assert assess(intake(meds=[("phenelzine", 45)])).row("cyclobenzaprine").status == "contraindicated"


@pytest.mark.parametrize("condition", ["arrhythmia", "heart_failure", "recent_myocardial_infarction", "hyperthyroidism"])
def test_cyclobenzaprine_cardiac_and_thyroid_contraindications(condition):
    assert assess(intake(conditions={condition: True})).row("cyclobenzaprine").status == "contraindicated"


def test_cyclobenzaprine_age_64_ok_age_65_avoid():
    assert assess(intake(age=64)).row("cyclobenzaprine").status == "ok"
    assert assess(intake(age=65)).row("cyclobenzaprine").status == "avoid"


def test_cyclobenzaprine_with_sertraline_serotonin_caution():
    row = assess(intake(meds=[("sertraline", 100)])).row("cyclobenzaprine")
    assert row.status == "caution" and any("serotonin" in r.text for r in row.reasons)


def test_cyclobenzaprine_hepatic_impairment_avoid_and_dose_limits():
    row = assess(intake(conditions={"hepatic_impairment": True})).row("cyclobenzaprine")
    assert row.status == "avoid"
    ok = assess(intake()).row("cyclobenzaprine")
    assert ok.label_max_daily_mg == 30 and "2-3 weeks" in ok.usual_dose_range


# --------------------------------------------------------------------------- gabapentinoids
def test_gabapentin_with_oxycodone_avoid_both_ways():
    report = assess(intake(meds=[("oxycodone", 20)]))
    assert report.row("gabapentin").status == "avoid"
    assert report.row("pregabalin").status == "avoid"
    both = assess(intake(meds=[("oxycodone", 20), ("gabapentin", 900)]))
    assert both.row("opioids").status == "avoid"
    assert any(i.rule == "ix-opioid-gabapentinoid" for i in both.interactions)


def test_gabapentinoid_copd_caution():
    row = assess(intake(conditions={"copd": True})).row("gabapentin")
    assert "gaba-copd" in rules(row) and row.status == "caution"


def test_gabapentinoid_evidence_lines_nice_and_precise():
    preg = assess(intake()).row("pregabalin")
    sources = " ".join(r.source for r in preg.reasons)
    assert "NG59" in sources and "PRECISE" in sources
    assert preg.status == "caution"
    assert assess(intake()).row("gabapentin").seed == "seed1"


# --------------------------------------------------------------------------- prednisone taper
def test_prednisone_with_diabetes_caution_hyperglycaemia():
    row = assess(intake(conditions={"diabetes": True})).row("prednisone")
    assert row.status == "caution" and any("hyperglycaemia" in r.text for r in row.reasons)


def test_prednisone_with_fever_yes_avoid_but_unknown_is_not_yes():
    assert assess(intake(red_flags={"fever": "yes"})).row("prednisone").status == "avoid"
    assert assess(intake(red_flags={"fever": "unknown"})).row("prednisone").status == "caution"


def test_prednisone_seed_dose_and_nice_position():
    row = assess(intake()).row("prednisone")
    assert "60mg" in row.seed_dose and row.seed == "seed1"
    assert any("Goldberg" in r.source and "NG59" in r.source for r in row.reasons)


# --------------------------------------------------------------------------- opioids and tramadol
def test_tramadol_with_sertraline_avoid():
    row = assess(intake(meds=[("sertraline", 50)])).row("tramadol")
    assert row.status == "avoid" and "tramadol-antidepressant" in rules(row)


def test_tramadol_with_maoi_contraindicated():
    assert assess(intake(meds=[("phenelzine", 45)])).row("tramadol").status == "contraindicated"


def test_tramadol_age_75_cap_300_and_crcl_29_cap_200():
    assert assess(intake(age=74)).row("tramadol").adjusted_max_daily_mg == 400
    assert assess(intake(age=75)).row("tramadol").adjusted_max_daily_mg == 300
    assert assess(intake(age=40), crcl=29).row("tramadol").adjusted_max_daily_mg == 200
    assert assess(intake(age=40), crcl=30).row("tramadol").adjusted_max_daily_mg == 400


def test_opioid_with_benzodiazepine_avoid():
    assert assess(intake(meds=[("diazepam", 10)])).row("opioids").status == "avoid"


def test_opioid_mme_50_or_more_caution_with_naloxone():
    report = assess(intake(meds=[("oxycodone", 40)]))  # 40 mg x 1.5 = 60 MME
    assert report.current_daily_mme == 60
    row = report.row("tramadol")
    assert any(r.rule == "opioid-mme-50" and "naloxone" in r.text for r in row.reasons)


def test_opioids_chronic_sciatica_nice_position():
    row = assess(intake(onset_days_ago=120)).row("opioids")
    assert "opioid-nice-chronic" in rules(row)
    assert "opioid-nice-chronic" not in rules(assess(intake(onset_days_ago=30)).row("opioids"))


# --------------------------------------------------------------------------- the table as a whole
def test_one_row_per_seed_medicine_each_with_seed_dose_and_sources():
    report = assess(intake(age=72, sex="female", weight=55, scr=1.4, meds=[("warfarin", 5), ("sertraline", 50)],
                           conditions={"copd": True, "diabetes": True}))
    assert tuple(r.drug for r in report.rows) == ROW_IDS
    for row in report.rows:
        assert row.status in STATUSES
        assert row.seed_dose and row.seed in ("seed1", "seed2") and row.usual_dose_range
        worst = max((STATUSES.index(r.severity) if r.severity != "info" else 0) for r in row.reasons)
        assert row.status == STATUSES[worst]
        for reason in row.reasons:
            assert reason.source.strip(), (row.drug, reason.text)
    json.dumps(report.to_dict())


def test_unrecognised_medicine_is_listed_not_ignored():
    report = assess(intake(meds=[("xyzzy-tablets", 10)]))
    assert report.unrecognised_medicines == ("xyzzy-tablets",)


def test_assessment_after_first_load_reads_no_file_and_repeats_exactly(monkeypatch):
    """After the first load the medicine data is held in memory: assessing again opens no
    file and gives the same result. Speed is measured in benchmarks/bench_assess.py, never
    in a timed test (the CI machine is loaded)."""
    case = intake(age=70, sex="female", weight=60, scr=1.0, meds=[("gabapentin", 900), ("sertraline", 50)])
    first = assess(case)

    def no_files(*args, **kwargs):
        raise AssertionError(f"the assessment opened a file: {args[:1]}")

    monkeypatch.setattr("builtins.open", no_files)
    monkeypatch.setattr(Path, "read_text", no_files)
    monkeypatch.setattr(Path, "read_bytes", no_files)
    assert [assess(case) for _ in range(3)] == [first] * 3


# --------------------------------------------------------------------------- the data loader
def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), target)
    return target


def test_loader_rejects_a_rule_without_a_source(tmp_path):
    folder = _copy_data(tmp_path)
    path = folder / "rules.toml"
    text = path.read_text()
    path.write_text(text.replace('source = ["acg-2009"]\n', "", 1))
    with pytest.raises(MedicineDataError, match="no source"):
        load_medicine_data(str(folder))


def test_loader_rejects_a_dangling_source_id(tmp_path):
    folder = _copy_data(tmp_path)
    path = folder / "classes.toml"
    path.write_text(path.read_text().replace('source = ["boyer-2005"]', 'source = ["no-such-source"]', 1))
    with pytest.raises(MedicineDataError, match="no-such-source"):
        load_medicine_data(str(folder))


def test_shipped_data_loads_and_is_cached():
    assert load_medicine_data() is load_medicine_data()
