"""The medicine rules compiled once per data load (issue 17): one generated function gives
every rule that names no other medicine its reason for the patient, and one generated
function per row gives the row's rule part (reasons, highest rank, caps). Each must give
exactly what the reference loop over the rule objects (``_rule_reasons_loop``) gives, and
whole rows built either way must be equal field by field, on generated patients and on
the shipped examples."""

from __future__ import annotations

import datetime as dt
import json
import random

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (
    Reason, _applies, _assess_row, _compiled_rules, _facts, _format, _row_plans, _rule_reasons_loop,
    _tuple_new, load_medicine_data,
)
from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS, RED_FLAG_QUESTIONS
from radiculopathy_desktop.resources import resource_path

# every class the rules name among them (NSAIDs, anticoagulants, antiplatelets, SSRIs,
# RAAS blockers, diuretics, lithium, opioids, benzodiazepines, gabapentinoids, steroids,
# combination products, gastroprotection: a PPI and an H2-receptor antagonist, med26), a misspelling
# and a name that is not in the list
_MEDS = ["ibuprofen", "naproxen", "paracetamol", "gabapentin", "pregabalin", "sertraline", "warfarin", "apixaban",
         "clopidogrel", "prednisolone", "tramadol", "oxycodone", "ramipril", "furosemide", "lithium", "metformin",
         "codeine", "morphine 60mg", "diazepam", "co-codamol 30/500", "apixiban", "aspirin", "fluoxetine",
         "losartan", "duloxetine", "amitriptyline", "cyclobenzaprine", "methotrexate", "celecoxib", "zolpidem",
         "omeprazole", "famotidine"]


def _intake(rng: random.Random):
    onset = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 200))
    conditions = {c: rng.random() < 0.25 for c in BOOLEAN_CONDITIONS}
    if rng.random() < 0.75:
        conditions["serum_creatinine"] = {"value": round(rng.uniform(0.4, 5.0), 2), "unit": "mg/dL"}
    elif rng.random() < 0.5:
        conditions["egfr"] = rng.randint(5, 110)
    conditions["alcohol_use"] = rng.choice(["none", "within_limits", "above_limits", "unknown"])
    sex = rng.choice(["female", "male", "unknown"])
    patient = {"id": "P", "age_years": rng.randint(12, 99), "sex": sex,
               "weight_kg": None if rng.random() < 0.1 else round(rng.uniform(35, 140), 1)}
    if sex == "female" and rng.random() < 0.2:
        patient["pregnancy_weeks"] = rng.randint(4, 40)
    red_flags = {q: rng.choices(["no", "yes", "unknown"], [0.8, 0.1, 0.1])[0] for q in RED_FLAG_QUESTIONS}
    red_flags["bilateral_leg_symptoms"] = "no"
    data = {
        "case_id": "C", "patient": patient, "onset_date": onset.isoformat(),
        "visit_date": (onset + dt.timedelta(days=rng.randint(0, 120))).isoformat(),
        "side": "left", "regions": ["posterior_thigh"], "pain": {"leg_nrs": 6, "back_nrs": 3},
        "red_flags": red_flags, "conditions": conditions,
        "medicines": [{"name": m, "daily_dose_mg": rng.choice([None, 10, 50, 300, 1200, 4000])}
                      for m in rng.sample(_MEDS, rng.randint(0, 6))],
    }
    return parse_case(data).intake


def _patients():
    """(intake, date, profile): 500 generated patients in both profiles at two dates, and
    every shipped example."""
    rng = random.Random(142)
    for _ in range(500):
        intake = _intake(rng)
        for profile in ("us", "uk"):
            yield intake, intake.visit_date + dt.timedelta(days=rng.choice([0, 30, 120])), profile
    for path in sorted(resource_path("examples").glob("*.json")):
        intake = parse_case(json.loads(path.read_text())).intake
        for profile in ("us", "uk"):
            for as_of in (intake.visit_date, dt.date(2026, 11, 21)):
                if as_of >= intake.visit_date:
                    yield intake, as_of, profile


def test_each_rows_compiled_rules_give_what_the_loop_over_its_rules_gives():
    data = load_medicine_data()
    compiled = _compiled_rules(data)
    assert compiled is _compiled_rules(data)  # made once per loaded data
    plans = _row_plans(data)
    fired: set[tuple[str, str]] = set()
    group_skips = 0
    for intake, as_of, profile in _patients():
        facts = _facts(intake, as_of, None, data, profile)
        facts.patient_reasons = compiled.patient(facts)
        reference = _facts(intake, as_of, None, data, profile)  # its own per-patient wording
        for plan, rule_reasons in zip(plans, compiled.rows):
            got = rule_reasons(facts)
            expected = _rule_reasons_loop(plan, reference)
            assert got == expected, (plan.drug.id, intake, as_of, profile)
            fired.update((plan.drug.id, r.rule) for r in got[0])
            said = {r.rule for r in got[0]}
            in_group = [r for r in plan.rules if r.group is not None and not r.meds_needed
                        and facts.patient_reasons[compiled.numbers[r.id]] is not None]
            group_skips += any(r.id not in said for r in in_group)  # applies, but its group already fired
    pairs = {(drug, rule.id) for drug, rules in data.rules_by_drug.items() for rule in rules}
    # the cohort makes almost every rule of every row apply somewhere, so the comparison covers them
    assert len(fired & pairs) >= 0.9 * len(pairs), sorted(pairs - fired)
    assert group_skips > 20  # a later rule of a group that already fired is skipped, both ways


def test_whole_rows_built_with_the_compiled_rules_equal_the_reference_rows_field_by_field():
    data = load_medicine_data()
    compiled = _compiled_rules(data)
    plans = _row_plans(data)
    for n, (intake, as_of, profile) in enumerate(_patients()):
        if n % 3:
            continue
        facts = _facts(intake, as_of, None, data, profile)
        facts.patient_reasons = compiled.patient(facts)
        reference = _facts(intake, as_of, None, data, profile)
        for plan, rule_reasons in zip(plans, compiled.rows):
            row = _assess_row(plan, facts, rule_reasons)
            expected = _assess_row(plan, reference)
            for name in type(row)._fields:
                assert getattr(row, name) == getattr(expected, name), (plan.drug.id, name, intake, as_of)


def test_each_patient_level_reason_is_the_rules_own_when_it_applies_and_none_otherwise():
    """A rule naming no other medicine is checked once per patient: its reason when the
    reference :func:`_applies` holds and its gate (a necessary fact token) is among the
    patient's facts, else None, worded with the patient's values."""
    data = load_medicine_data()
    compiled = _compiled_rules(data)
    # keyed as the engine caches them: a profile's own wording of a rule is its own entry (src18)
    rules = {r.key: r for rs in data.rules_by_drug.values() for r in rs if not r.meds_needed}
    assert set(compiled.numbers) == set(rules)
    applied = 0
    for intake, as_of, profile in _patients():
        facts = _facts(intake, as_of, None, data, profile)
        got = compiled.patient(facts)
        assert len(got) == len(rules)
        for rule_id, number in compiled.numbers.items():
            rule = rules[rule_id]
            holds = _applies(rule, facts) and (not rule.triggers or bool(rule.triggers & facts.active))
            if holds:
                applied += 1
                expected = rule.static_reason or _tuple_new(Reason, (_format(rule, facts, []), *rule.reason_tail))
                assert got[number] == expected and type(got[number]) is Reason
            else:
                assert got[number] is None, (rule_id, intake)
    assert applied > 2000


def test_the_generated_source_holds_no_value_of_the_data():
    """The generated text is fixed code, local names and numbers: rule texts, tokens, caps
    and ids are bound as names (a text with a quote or brace could not change the code)."""
    compiled = _compiled_rules(load_medicine_data())
    assert "'" not in compiled.source and '"' not in compiled.source
    for rule in (r for rs in load_medicine_data().rules_by_drug.values() for r in rs):
        assert rule.text not in compiled.source
    assert compiled.source.count("def row_") == len(_row_plans(load_medicine_data()))


def test_the_generated_functions_test_each_rules_conditions_in_place_without_a_call_per_rule():
    """Each rule's conditions are written into the generated functions (what ``rule.check``
    tests, from :func:`_check_expression`), not called once per rule and patient (issue 17:
    27 fewer Python calls per assessment); the agreement tests above show the verdicts are
    the reference's. A rule that always applies has no condition at all."""
    from radiculopathy_desktop.domain.medications import _check_expression

    data = load_medicine_data()
    compiled = _compiled_rules(data)
    assert ".check(" not in compiled.source
    rules = [r for rs in data.rules_by_drug.values() for r in rs]
    for rule in rules:
        assert (_check_expression(rule) == "") is rule.always
    written = [_check_expression(r, "X") for r in rules if not r.always]
    assert written and not any("v_" in w for w in written) and any("X_" in w for w in written)


def test_the_generated_whole_rows_equal_the_reference_rows_field_by_field():
    """The medicine table is made by one generated function per row (the rule part, then the
    rest of ``_assess_row`` with what is constant for the drug decided when the data loads):
    every row equals the reference ``_assess_row`` over the rule loop, field by field and in
    type, on every generated patient and shipped example, in both profiles."""
    from radiculopathy_desktop.domain.medications import MedicationRow

    data = load_medicine_data()
    compiled = _compiled_rules(data)
    plans = _row_plans(data)
    assert len(compiled.whole_rows) == len(plans)
    taking = renal = minor = unrecognised = 0
    for intake, as_of, profile in _patients():
        facts = _facts(intake, as_of, None, data, profile)
        facts.patient_reasons = compiled.patient(facts)
        reference = _facts(intake, as_of, None, data, profile)
        rows = compiled.table(facts)
        assert len(rows) == len(plans)
        for row, whole_row, plan in zip(rows, compiled.whole_rows, plans):
            expected = _assess_row(plan, reference)
            assert type(row) is MedicationRow and len(row) == len(MedicationRow._fields)
            for name in MedicationRow._fields:
                assert getattr(row, name) == getattr(expected, name), (plan.drug.id, name, intake, as_of, profile)
            assert whole_row(facts) == expected
            taking += row.currently_taking
            renal += any(r.rule.startswith("renal-") for r in row.reasons)
            minor += row.adjustment_reason.startswith("Withheld")
            unrecognised += not row.fully_checked
    # every branch of the row's own part is walked many times
    assert min(taking, renal, minor, unrecognised) > 50, (taking, renal, minor, unrecognised)


def test_the_generated_whole_rows_hold_no_value_of_the_data_and_decide_the_drugs_branches_once():
    compiled = _compiled_rules(load_medicine_data())
    plans = _row_plans(load_medicine_data())
    for j, plan in enumerate(plans):
        body = compiled.source.split(f"def whole_row_{j}(f):")[1].split("\ndef ")[0]
        # a drug without a renal table has no renal step; one without a taken label no label step
        assert ("_renal_part" in body) is bool(plan.drug.renal_bands)
        assert ("_taken_label_words" in body) is bool(plan.drug.taken_label)
        assert ("f.unrecognised" in body) is plan.interaction_dependent
    assert "'" not in compiled.source and '"' not in compiled.source


def test_only_a_rule_about_pregnancy_is_worded_through_format_the_others_through_format_text():
    """``_format`` differs from ``_format_text`` only for a rule with a pregnancy condition (past
    the plausible end it asks rather than says "pregnant"), so the generated functions call
    ``_format_text`` directly for every other rule (issue 17: one Python call fewer per reason);
    the agreement tests above show the words are the reference's."""
    data = load_medicine_data()
    compiled = _compiled_rules(data)
    pregnancy = [r for rs in data.rules_by_drug.values() for r in rs
                 if r.pregnant or r.pregnancy_weeks_at_least is not None or r.pregnancy_weeks_below is not None]
    assert pregnancy and "_format(" in compiled.source and "_format_text(" in compiled.source
    names = {}
    for line in compiled.source.splitlines():
        for fn in ("_format(", "_format_text("):
            if fn in line:
                names.setdefault(line.split(fn)[1].split(",")[0], set()).add(fn)
    pregnancy_ids = {r.id for r in pregnancy}
    bound_rules = _bound_rules(compiled)  # each worded rule's bound name (R0, R1...) -> the rule
    assert len(names) > 20
    for name, used in names.items():
        rule = bound_rules[name]
        assert used == ({"_format("} if rule.id in pregnancy_ids else {"_format_text("}), (rule.id, used)


def _bound_rules(compiled):
    """The generated functions' bound rule names (R0, R1...) -> their rule objects."""
    fn = compiled.patient
    return {k: v for k, v in fn.__globals__.items() if k[:1] == "R" and k[1:].isdigit()}
