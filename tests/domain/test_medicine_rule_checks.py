"""Each medicine rule's compiled check (made once when the data is loaded, issue 17) gives
the same verdict as the reference :func:`_applies`, for every rule and a varied cohort of
patients, and every condition of ``_applies`` has a compiled form."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS
from radiculopathy_desktop.domain.medications import (
    _CHECKS, _Rule, _applies, _compile_check, _facts, _row_plans, _rules_to_check, load_medicine_data,
)

_MEDS = ["ibuprofen", "naproxen", "paracetamol", "gabapentin", "pregabalin", "sertraline", "warfarin", "apixaban",
         "clopidogrel", "prednisolone", "tramadol", "oxycodone", "ramipril", "furosemide", "lithium", "metformin",
         "codeine", "morphine 60mg", "diazepam", "co-codamol 30/500", "apixiban"]
_CONDITIONS = list(BOOLEAN_CONDITIONS)


def _intake(rng: random.Random):
    onset = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 200))
    conditions = {c: rng.random() < 0.2 for c in _CONDITIONS}
    if rng.random() < 0.8:
        conditions["serum_creatinine"] = {"value": round(rng.uniform(0.4, 4.0), 2), "unit": "mg/dL"}
    elif rng.random() < 0.5:
        conditions["egfr"] = rng.randint(8, 110)
    conditions["alcohol_use"] = rng.choice(["none", "within_limits", "above_limits", "unknown"])
    sex = rng.choice(["female", "male", "unknown"])
    patient = {"id": "P", "age_years": rng.randint(12, 99), "sex": sex,
               "weight_kg": None if rng.random() < 0.1 else round(rng.uniform(35, 140), 1)}
    if sex == "female" and rng.random() < 0.15:
        patient["pregnancy_weeks"] = rng.randint(4, 40)
    data = {
        "case_id": "C", "patient": patient, "onset_date": onset.isoformat(),
        "visit_date": (onset + dt.timedelta(days=rng.randint(0, 120))).isoformat(),
        "side": "left", "regions": ["posterior_thigh"], "pain": {"leg_nrs": 6, "back_nrs": 3},
        "red_flags": {"fever": rng.choice(["yes", "no", "unknown"]),
                      "history_of_cancer": rng.choice(["yes", "no"]), "bilateral_leg_symptoms": "no"},
        "conditions": conditions,
        "medicines": [{"name": m, "daily_dose_mg": rng.choice([None, 50, 300, 1200, 4000])}
                      for m in rng.sample(_MEDS, rng.randint(0, 5))],
    }
    return parse_case(data).intake


def test_every_condition_of_applies_has_a_compiled_form():
    # _applies reads these rule fields; a new field would need a line in _CHECKS
    condition_fields = {name for name, _ in _CHECKS}
    rule_fields = {f.name for f in dataclasses.fields(_Rule)}
    assert condition_fields <= rule_fields
    assert {"condition", "renal_below", "taking", "red_flag_yes", "profile"} <= condition_fields


def test_compiled_checks_agree_with_applies_for_every_rule_and_patient():
    data = load_medicine_data()
    # keyed as the engine keys them: both wordings of a per-profile rule are checked (src18)
    rules = {r.key: r for rs in data.rules_by_drug.values() for r in rs}
    fresh = {rid: _compile_check(r) for rid, r in rules.items()}  # compiled again, from the rule alone
    rng = random.Random(17)
    agreed_true = 0
    for _ in range(300):
        intake = _intake(rng)
        as_of = intake.visit_date + dt.timedelta(days=rng.randint(0, 90))
        for profile in ("us", "uk"):
            facts = _facts(intake, as_of, None, data, profile)
            for rule in rules.values():
                expected = _applies(rule, facts)
                assert rule.check(facts) is expected, (rule.id, intake)
                assert fresh[rule.key](facts) is expected
                agreed_true += expected
    assert agreed_true > 1000  # the cohort makes many rules apply, not only fail


def test_each_row_plan_is_its_drugs_own_data():
    """The per-drug plan made once per data load (issue 17) holds exactly what the row used
    to read from the drug each time: its rule index, its limit under every profile, its
    default maximum, its renal band edges, and whether it depends on interactions."""
    data = load_medicine_data()
    plans = _row_plans(data)
    assert plans is _row_plans(data)  # made once
    assert [p.drug for p in plans] == list(data.drugs)
    for plan in plans:
        drug = plan.drug
        assert plan.entry is data.rule_index[drug.id]
        for profile in ("us", "uk", "other"):
            expected = drug.profile_max.get(profile, (drug.label_max, drug.label_max_source, drug.label_max_note))
            assert plan.limits.get(profile, plan.label_limit) == expected
        assert plan.default_cap == (None if drug.default_max is None
                                    else (drug.default_max, drug.default_max_reason or ""))
        assert plan.edges == {b.at_least for b in drug.renal_bands}
        assert plan.exclusive_edges == {b.at_least for b in drug.renal_bands if b.exclusive}
        assert plan.interaction_dependent == any(r.meds_needed for r in data.rules_by_drug[drug.id])
        assert plan.opioid == (drug.drug_class == "opioid")
        assert plan.rules == data.rules_by_drug[drug.id]
    assert any(p.limits for p in plans) and any(p.exclusive_edges for p in plans)


def test_the_under_18_reason_and_unrecognised_names_are_worded_once_per_patient():
    data = load_medicine_data()
    rng = random.Random(3)
    seen_minor = seen_unknown = 0
    for _ in range(200):
        intake = _intake(rng)
        as_of = intake.visit_date
        facts = _facts(intake, as_of, None, data, "us")
        age = intake.patient.age_on(as_of)
        if age < 18:
            seen_minor += 1
            assert facts.minor_reason.rule == "under-18" and facts.minor_reason.text.startswith(f"Age {age}:")
        else:
            assert facts.minor_reason is None
        names = [m for m in facts.current if not m.generics]
        assert facts.unrecognised_text == ", ".join(m.not_recognised_text for m in names)
        seen_unknown += bool(names)
    assert seen_minor and seen_unknown


def test_rows_and_reasons_made_from_tuples_have_every_field_in_place():
    """Rows and worded rule reasons are made straight from a tuple (issue 17), which checks
    neither the count nor the order of the values: every field must hold what it names."""
    from radiculopathy_desktop.domain.medications import (
        MME_RULES, SEVERITIES, STATUSES, MedicationRow, Reason, assess_medications,
    )
    data = load_medicine_data()
    # a rule worded for one profile (rules.toml [rule.in_profile.uk]) is its own entry, key "id@uk" (src18)
    rules = {r.key: r for rs in data.rules_by_drug.values() for r in rs}
    for rule in rules.values():
        assert rule.reason_tail == (rule.severity, rule.source, rule.source_ids, rule.id)
    drugs = {d.id: d for d in data.drugs}
    rng = random.Random(23)
    worded = 0
    for _ in range(150):
        intake = _intake(rng)
        for profile in ("us", "uk"):
            report = assess_medications(intake, intake.visit_date, profile=profile)
            for row in report.rows:
                assert type(row) is MedicationRow and len(row) == len(MedicationRow._fields)
                drug = drugs[row.drug]
                label = drug.label if not (row.currently_taking and drug.taken_label) else row.label
                label = data.names_for(profile).text(label)  # uk: "Paracetamol" (uk17)
                assert (row.label, row.drug_class, row.treatment_code, row.seed_source) == (
                    label, drug.drug_class, drug.treatment_code, drug.seed_source)
                if row.currently_taking and drug.taken_label:  # med16: named by what is taken now
                    assert row.label.startswith(drug.taken_label + " (")
                assert row.status in STATUSES and isinstance(row.currently_taking, bool)
                assert isinstance(row.over_max, bool) and isinstance(row.fully_checked, bool)
                assert row.dose_limit_mg is None or isinstance(row.dose_limit_mg, float)
                assert isinstance(row.current_medicines, tuple) and isinstance(row.adjustment_reason, str)
                for reason in row.reasons:
                    assert type(reason) is Reason and len(reason) == len(Reason._fields)
                    assert reason.severity in SEVERITIES and isinstance(reason.text, str)
                    rule = rules.get(f"{reason.rule}@{profile}") or rules.get(reason.rule)
                    if rule is not None:
                        severity = rule.severity
                        if (reason.rule in MME_RULES and row.currently_taking
                                and any(r.severity == "reduce_dose" for r in row.reasons)):
                            severity = "caution"  # the opioid total beside a dose to lower or check (mme21)
                        assert (reason.severity, reason.source, reason.source_ids) == (
                            severity, rule.source, rule.source_ids)
                        worded += rule.static_reason is None
    assert worded > 50  # reasons worded for the patient, not only prebuilt ones


def test_the_rules_checked_for_a_row_are_the_ungated_and_the_gated_by_a_patient_fact_in_file_order():
    """The row checks every rule of its drug that has no gate or whose gate names one of the
    patient's fact tokens, in the rules file's order (bit masks made once per data load,
    issue 17; nothing is remembered per patient): compared with that definition for every
    drug over a varied cohort, every single token, no token and all tokens."""
    data = load_medicine_data()
    plans = _row_plans(data)
    rng = random.Random(17)
    token_sets = [frozenset(), frozenset(t for p in plans for t in p.entry[2])]
    token_sets += [frozenset({t}) for p in plans for t in p.entry[2]]
    for _ in range(300):
        intake = _intake(rng)
        token_sets.append(_facts(intake, intake.visit_date, None, data, rng.choice(["us", "uk"])).active)
    gated_seen = 0
    for active in token_sets:
        for plan in plans:
            expected = [r for r in data.rules_by_drug[plan.drug.id] if not r.triggers or r.triggers & active]
            got = list(_rules_to_check(plan, active))
            assert got == expected, (plan.drug.id, sorted(active))
            gated_seen += sum(1 for r in got if r.triggers)
    assert gated_seen > 500  # gated rules were selected, not only the ungated ones


def test_each_plan_words_its_label_maximum_once_as_a_row_rated_avoid_says_it():
    """Issue 17: what a row rated avoid or contraindicated says of the label maximum is
    worded once per loaded data, per profile, in the row's own words ("the label maximum
    is 2400 mg/day.", whole numbers without a decimal), and the start of that text once per
    status; the limits beside them are the plan's own."""
    from radiculopathy_desktop.domain.medications import _NOT_RECOMMENDED_WORDS, _num
    from radiculopathy_desktop.domain.vocab import MedicineStatus

    for plan in _row_plans(load_medicine_data()):
        for profile in ("us", "uk", "other"):
            label_max, source, note, words = plan.limits_worded.get(profile, plan.label_limit_worded)
            assert (label_max, source, note) == plan.limits.get(profile, plan.label_limit)
            assert words == (f"the label maximum is {_num(label_max)} mg/day." if label_max is not None
                             else "no label maximum applies.")
    for status in (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED):
        assert _NOT_RECOMMENDED_WORDS[status.rank] == f"Not recommended for this patient ({status.value}); "
