"""Current medicines in the FHIR export (red-team A5): a MedicationStatement per medicine,
and the medicine checks' findings as DetectedIssues, validated with fhir.resources.

Expected codes are HL7 v3 ActCode (the value set bound to DetectedIssue.code): DRG "Drug
Interaction Alert", DOSEH "High Dose Alert", COND "Condition Alert"."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.intake import Medicine, Patient
from radiculopathy_desktop.reports import fhir

AS_OF = dt.date(2026, 11, 21)
ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _of(bundle, kind):
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == kind]


def _with(case, medicines, **patient):
    p = dataclasses.replace(case.patient, **patient) if patient else case.patient
    return dataclasses.replace(case, intake=dataclasses.replace(case.intake, medicines=tuple(medicines), patient=p))


def _bundle(case, profile="us"):
    return Bundle.model_validate(fhir.case_bundle(case, AS_OF, profile=profile))


def test_anticoagulant_and_nsaid_give_statements_and_an_interaction_issue(examples):
    case = _with(examples["routine_l5_acute"], [Medicine("eliquis", 10.0), Medicine("ibuprofen", 1200.0)],
                 birth_date=dt.date(1956, 1, 10))
    bundle = _bundle(case)
    statements = _of(bundle, "MedicationStatement")
    assert [s.medicationCodeableConcept.text for s in statements] == ["eliquis", "ibuprofen"]
    assert [s.medicationCodeableConcept.coding[0].code for s in statements] == ["apixaban", "ibuprofen"]
    assert statements[0].dosage[0].text.startswith("10 mg per day")
    assert statements[1].dosage[0].text.startswith("1200 mg per day")
    assert all(s.status == "active" and s.subject.reference == bundle.entry[0].fullUrl for s in statements)
    assert "Ibuprofen: Avoid." in statements[1].note[0].text and "eliquis (anticoagulant)" in statements[1].note[0].text
    issues = _of(bundle, "DetectedIssue")
    (interaction,) = [i for i in issues if i.code.coding[0].code == "DRG"]
    assert (interaction.code.coding[0].system, interaction.code.coding[0].display) == (ACT, "Drug Interaction Alert")
    assert interaction.severity == "high" and "anticoagulant" in interaction.detail
    full = {e.resource.id: e.fullUrl for e in bundle.entry}
    ms = {full[s.id] for s in statements}
    assert {r.reference for r in interaction.implicated} == ms  # both medicines implicated
    # fhir34: the ibuprofen row's "avoid" is the pair's own reason, said by the DRG: no COND says it again
    assert [i for i in issues if i.code.coding[0].code == "COND"] == []


def test_contraindicated_in_late_pregnancy(examples):
    case = _with(examples["routine_l5_acute"], [Medicine("ibuprofen", 1200.0)], pregnancy_weeks=32)
    issues = _of(_bundle(case, "uk"), "DetectedIssue")
    (cond,) = [i for i in issues if i.code.coding[0].code == "COND"]
    assert "CONTRAINDICATED" in cond.detail and cond.severity == "high"


def test_above_the_renal_maximum_is_a_high_dose_alert(examples):
    bundle = _bundle(examples["routine_med_gabapentin_above_renal_max"])
    (dose,) = [i for i in _of(bundle, "DetectedIssue") if i.code.coding[0].code == "DOSEH"]
    assert dose.code.coding[0].display == "High Dose Alert" and "3600 mg/day" in dose.detail


def test_unrecognised_medicine_is_exported_as_typed_and_says_it_was_not_checked(examples):
    bundle = _bundle(examples["routine_med_unrecognised_anticoagulant"])
    statements = _of(bundle, "MedicationStatement")
    first = statements[0]
    assert first.medicationCodeableConcept.text == "apixiban" and not first.medicationCodeableConcept.coding
    assert "Not recognised" in first.note[0].text and "apixaban" in first.note[0].text


def test_no_medicines_no_medication_resources_and_an_ok_medicine_has_no_issue(examples):
    none = _with(examples["routine_l5_acute"], [])
    bundle = _bundle(none)
    assert _of(bundle, "MedicationStatement") == [] and _of(bundle, "DetectedIssue") == []
    ok = _bundle(_with(examples["routine_l5_acute"], [Medicine("ibuprofen", 1200.0)]))
    (statement,) = _of(ok, "MedicationStatement")
    assert _of(ok, "DetectedIssue") == []
    assert statement.note[0].text.startswith("Medicine checks:")


def test_statement_note_names_the_medicine_data_version_not_the_guideline_content(examples):
    """rt13 F10: the note carried the medicine data's version under the label "guideline
    content", beside the Bundle's own (different) guideline content version."""
    import tomllib

    from radiculopathy_desktop.resources import resource_path

    medicine_version = tomllib.loads(resource_path("medicines", "sources.toml").read_text(encoding="utf-8"))["content_version"]
    case = _with(examples["routine_l5_acute"], [Medicine("ibuprofen", 1200)])
    (statement,) = _of(_bundle(case), "MedicationStatement")
    note = statement.note[0].text
    assert f"medicine data {medicine_version}," in note and "guideline content" not in note


def test_a_combination_dose_is_exported_with_its_components_and_each_dose_check(examples):
    """G17: co-codamol 30/500 recorded as 6000 mg a day is 12 tablets (codeine 360 mg,
    paracetamol 6000 mg); under uk both are above their maxima (SmPC codeine 240 mg; paracetamol
    4000 mg): the statement says how the dose was read, and each check is a High Dose Alert,
    the paracetamol once (the row's). Without a strength: "check the dose"."""
    bundle = _bundle(_with(examples["routine_l5_acute"], [Medicine("co-codamol 30/500", 6000.0)]), "uk")
    (statement,) = _of(bundle, "MedicationStatement")
    assert statement.dosage[0].text == (
        "6000 mg per day (total daily dose as recorded); co-codamol 30/500 recorded as 6000 mg a day (mg of "
        "paracetamol), read as 12 tablets a day of 30/500 (codeine 360 mg, paracetamol 6000 mg a day)")  # uk names (uk17)
    details = [i.detail for i in _of(bundle, "DetectedIssue") if i.code.coding[0].code == "DOSEH"]
    assert len(details) == 2
    assert details[0].startswith("Paracetamol: taking 6000 mg/day, above")  # the row's alert, uk name
    assert details[1].startswith("Reduce dose: co-codamol 30/500 360 mg/day of codeine")
    bundle = _bundle(_with(examples["routine_l5_acute"], [Medicine("co-codamol", 4000.0)]), "uk")
    (statement,) = _of(bundle, "MedicationStatement")
    assert "check the dose: co-codamol recorded as 4000 mg a day: the name gives no strength" in statement.dosage[0].text
    details = [i.detail for i in _of(bundle, "DetectedIssue") if i.code.coding[0].code == "DOSEH"]
    assert [d[:52] for d in details] == ["Check the dose: co-codamol recorded as 4000 mg a day"]


# ---------------------------------------------------------------- fhir34: each interaction once (tryout33 F8)
def _issues(bundle):
    """(code, detail, implicated medicine names) of each DetectedIssue, the names as recorded."""
    names = {e.fullUrl: e.resource.medicationCodeableConcept.text for e in bundle.entry
             if e.resource.get_resource_type() == "MedicationStatement"}
    return [(i.code.coding[0].code, i.detail, tuple(names[r.reference] for r in i.implicated or ()))
            for i in _of(bundle, "DetectedIssue")]


def _alerts(case, profile="us"):
    from radiculopathy_desktop.domain.medications import assess_medications
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

    return medicine_alerts(assess_medications(case.intake, AS_OF, profile=profile))


def _said_once(case, profile="us"):
    """The export says every alert the text output shows, and each interaction once: one DRG naming every
    medicine of the pair, and no other DetectedIssue quoting the pair's warning on one of its medicines."""
    bundle = _bundle(case, profile)
    issues = _issues(bundle)
    alerts = _alerts(case, profile)
    for alert in alerts:
        if alert.kind == "interaction":
            found = [i for i in issues if i[0] == "DRG" and set(i[2]) == set(alert.medicines)]
            assert len(found) == 1, (alert.text, issues)
            assert alert.reasons[0] in found[0][1]
        else:  # a row's alert or a note's: a COND or a DOSEH on its medicines
            assert any(i[0] in ("COND", "DOSEH") and set(alert.medicines) <= set(i[2]) for i in issues), (alert, issues)
    _every_reason_said(alerts, issues)
    return bundle, issues, alerts


def _every_reason_said(alerts, issues, where=""):
    """fhirnsaid35 (H-FMT-907, H-FMT-908): every reason a row's or a note's alert shows in the text output is in the
    detail of a COND or DOSEH implicating one of its medicines, in the same words (so with the same figures): the
    "High opioid dose" beside a "Reduce dose" and a product's own lower maximum were in the text and on the sheet
    only."""
    for alert in alerts:
        if alert.kind == "interaction":
            continue
        for reason in alert.reasons:
            assert any(i[0] in ("COND", "DOSEH") and reason in i[1] and set(alert.medicines) & set(i[2])
                       for i in issues), (where, reason, issues)


def test_one_pair_is_one_drug_interaction_alert_naming_both_medicines(examples):
    """tryout33 F8: naproxen 500mg bd with apixaban 5mg bd was a DRG and again a COND on naproxen ("Taking apixaban
    5mg bd (anticoagulant): avoid NSAIDs"); ibuprofen with methotrexate the same. Each is one DRG implicating both
    MedicationStatements, and no COND."""
    for meds in ([Medicine("naproxen 500mg bd", 1000.0), Medicine("apixaban 5mg bd", 10.0)],
                 [Medicine("ibuprofen", 1200.0), Medicine("methotrexate 15 mg weekly")],
                 [Medicine("oxycodone 5mg bd", 10.0), Medicine("diazepam 2mg", 2.0)]):
        bundle, issues, alerts = _said_once(_with(examples["routine_l5_acute"], meds))
        assert [(code, names) for code, _d, names in issues] == [("DRG", tuple(m.name for m in meds))], issues
        assert len(alerts) == 1  # the text output's one alert, the export's one issue
        full = {e.resource.id: e.fullUrl for e in bundle.entry}
        (drg,) = _of(bundle, "DetectedIssue")
        assert {r.reference for r in drg.implicated} == {full[s.id] for s in _of(bundle, "MedicationStatement")}


def test_two_pairs_sharing_a_medicine_are_two_drug_interaction_alerts_and_no_condition_alert(examples):
    """Ibuprofen with lithium and with apixaban: two pairs, each once; the ibuprofen row's two reasons are the pairs'
    own, so no COND repeats them."""
    meds = [Medicine("ibuprofen", 1200.0), Medicine("lithium 400mg", 800.0), Medicine("apixaban 5mg bd", 10.0)]
    _bundle_, issues, alerts = _said_once(_with(examples["routine_l5_acute"], meds))
    assert sorted((code, frozenset(names)) for code, _d, names in issues) == sorted([
        ("DRG", frozenset({"ibuprofen", "apixaban 5mg bd"})), ("DRG", frozenset({"ibuprofen", "lithium 400mg"}))])
    assert sorted(a.kind for a in alerts) == ["interaction", "interaction"]


def test_a_pair_beside_the_medicines_own_reason_keeps_that_reason_once(examples):
    """Ibuprofen at 32 weeks of pregnancy (contraindicated for her: its own reason) with apixaban (the pair): the COND
    says the pregnancy and not the anticoagulant, which the DRG says."""
    meds = [Medicine("ibuprofen", 1200.0), Medicine("apixaban 5mg bd", 10.0)]
    case = _with(examples["routine_l5_acute"], meds, pregnancy_weeks=32)
    _bundle_, issues, _alerts_ = _said_once(case, "uk")
    (cond,) = [i for i in issues if i[0] == "COND"]
    assert "CONTRAINDICATED" in cond[1] and "anticoagulant" not in cond[1] and cond[2] == ("ibuprofen",)
    (drg,) = [i for i in issues if i[0] == "DRG"]
    assert "anticoagulant" in drg[1] and set(drg[2]) == {"ibuprofen", "apixaban 5mg bd"}


def test_a_pair_plus_the_medicines_own_dose_alert(examples):
    """tryout33 F8 (T33-IBL): ibuprofen 3600 mg/day (above the 3200 mg label maximum) with lithium: the pair once (DRG),
    the dose once (DOSEH on ibuprofen alone), and no COND repeating "Taking lithium: NSAIDs raise lithium levels"."""
    meds = [Medicine("ibuprofen", 3600.0), Medicine("lithium 400mg", 800.0)]
    _bundle_, issues, _alerts_ = _said_once(_with(examples["routine_l5_acute"], meds))
    assert sorted(code for code, _d, _n in issues) == ["DOSEH", "DRG"]
    (dose,) = [i for i in issues if i[0] == "DOSEH"]
    assert dose[2] == ("ibuprofen",) and "3600 mg/day" in dose[1] and "lithium" not in dose[1].lower()
    assert sum("NSAIDs raise lithium levels" in d for _c, d, _n in issues) == 0  # the row's wording of the pair is not exported
    assert sum("NSAID with lithium" in d for _c, d, _n in issues) == 1


# ---------------------------------------------------------------- fhir34: the High Dose Alert's maximum (tryout33 F8)
def _dose_alerts(case, profile="us"):
    return [i.detail for i in _of(_bundle(case, profile), "DetectedIssue") if i.code.coding[0].code == "DOSEH"]


def test_a_dose_above_the_label_maximum_names_that_maximum_when_a_rating_withholds_the_adjusted_one(examples):
    """tryout33 F8 (T33-IBL): ibuprofen rated avoid (beside lithium) has no adjusted maximum to show, and its High Dose
    Alert read "above this patient's maximum of the maximum." It names the maximum the dose was checked against (the
    label's 3200 mg/day), as the pathway and the worklist's "Reduce dose" do."""
    with_lithium = [Medicine("ibuprofen", 3600.0), Medicine("lithium 400mg", 800.0)]
    (dose,) = _dose_alerts(_with(examples["routine_l5_acute"], with_lithium))
    assert dose.startswith("Ibuprofen: taking 3600 mg/day, above this patient's maximum of 3200 mg/day. ")
    # gabapentin 6000 mg/day under uk (NICE does not offer it for sciatica: no adjusted maximum shown)
    (dose,) = _dose_alerts(_with(examples["routine_l5_acute"], [Medicine("gabapentin", 6000.0)]), "uk")
    assert dose.startswith("Gabapentin: taking 6000 mg/day, above this patient's maximum of 3600 mg/day. ")
    for text in _dose_alerts(_with(examples["routine_l5_acute"], with_lithium)) + [dose]:
        assert "of the maximum" not in text and ". ." not in text and ",." not in text


def test_a_dose_at_the_maximum_has_no_high_dose_alert_and_one_mg_above_has_one(examples):
    """Boundaries of the same check: 3200 mg/day of ibuprofen beside lithium is at the label maximum (no DOSEH);
    3201 is above it, and the alert says both figures."""
    at = [Medicine("ibuprofen", 3200.0), Medicine("lithium 400mg", 800.0)]
    assert _dose_alerts(_with(examples["routine_l5_acute"], at)) == []
    above = [Medicine("ibuprofen", 3201.0), Medicine("lithium 400mg", 800.0)]
    (dose,) = _dose_alerts(_with(examples["routine_l5_acute"], above))
    assert dose.startswith("Ibuprofen: taking 3201 mg/day, above this patient's maximum of 3200 mg/day.")


def test_the_high_dose_words_when_a_figure_is_not_known():
    """The composition itself: no dose or no maximum known leaves the figure out, never "of the maximum"."""
    from types import SimpleNamespace

    from radiculopathy_desktop.reports.fhir_medicines import _above_max

    row = SimpleNamespace(label="Ibuprofen", current_daily_dose_mg=3600.0, adjusted_max_daily_mg=None,
                          dose_limit_mg=None, adjustment_reason="")
    assert _above_max(row) == "Ibuprofen: taking 3600 mg/day, above this patient's maximum."
    row.current_daily_dose_mg, row.adjusted_max_daily_mg = None, 2400.0
    assert _above_max(row) == "Ibuprofen: the dose taken is above this patient's maximum of 2400 mg/day."
    row.current_daily_dose_mg, row.dose_limit_mg, row.adjustment_reason = 3000.0, 3200.0, "CrCl 25 mL/min."
    assert _above_max(row) == "Ibuprofen: taking 3000 mg/day, above this patient's maximum of 2400 mg/day. CrCl 25 mL/min."


def test_an_alert_from_a_note_is_exported_as_a_condition_alert(examples):
    """fhir34 (H-MED-716): an alert the text output shows from a current-medicine note (no row of its own) was only in
    the statement's note: misoprostol at 20 weeks (contraindicated in pregnancy, its label's boxed warning) and
    dexamethasone under uk (NICE does not offer oral corticosteroids for sciatica; never stopped suddenly). Each is a
    COND on its medicine with the alert's words, its action included."""
    preg = _with(examples["routine_l5_acute"], [Medicine("misoprostol 200 micrograms")], pregnancy_weeks=20)
    _b, issues, alerts = _said_once(preg)
    assert [a.kind for a in alerts] == ["note"]
    (cond,) = issues
    assert cond[0] == "COND" and cond[2] == ("misoprostol 200 micrograms",)
    assert cond[1].startswith("CONTRAINDICATED for this patient: Taking misoprostol 200 micrograms") and alerts[0].text in cond[1]
    steroid = _with(examples["routine_l5_acute"], [Medicine("dexamethasone", 4.0)])
    _b, issues, alerts = _said_once(steroid, "uk")
    (cond,) = issues
    assert cond[0] == "COND" and "AVOID for this patient" in cond[1] and "suddenly" in cond[1]
    # boundary: the same medicine under us has no alert, and no issue
    _b, issues, alerts = _said_once(steroid, "us")
    assert alerts == () and issues == []


def test_every_alert_of_a_generated_cohort_is_exported_and_each_pair_once():
    """fhir34: over the assessment benchmark's generated cohort (tests/cli/test_assess_speed_golden.py: 300 patients, 16
    medicines in random combinations and doses, both profiles), every alert the text output shows is in the export
    (an interaction as exactly one DRG naming its medicines; a row's or a note's as a COND or DOSEH on each of its
    medicines), and no COND quotes a reason its pair's DRG already says."""
    import importlib.util
    from pathlib import Path

    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.domain.medications import assess_medications
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts, pair_said

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("bench_assess", root / "benchmarks" / "bench_assess.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counted = {"interaction": 0, "medicine": 0, "folded": 0}
    for d in module.generate(300, seed=17):
        case = parse_case(d)
        for profile in ("us", "uk"):
            report = assess_medications(case.intake, AS_OF, profile=profile)
            bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF, profile=profile))
            issues = _issues(bundle)
            for alert in medicine_alerts(report):
                if alert.kind == "interaction":
                    assert sum(1 for i in issues if i[0] == "DRG" and set(i[2]) == set(alert.medicines)) == 1
                else:
                    covered = {n for i in issues if i[0] in ("COND", "DOSEH") for n in i[2]}
                    assert set(alert.medicines) <= covered, (d["case_id"], profile, alert.text)
                    _every_reason_said([alert], issues, (d["case_id"], profile))
                counted["interaction" if alert.kind == "interaction" else "medicine"] += 1
            for reasons in pair_said(report).values():
                counted["folded"] += 1
                assert not any(i[0] == "COND" and r.text in i[1] for r in reasons for i in issues)
    # the cohort reaches each kind, so the checks above are not empty
    assert min(counted.values()) > 10, counted


# ---------------------------------------------------------------- fhirnsaid35: Zaldiar c/6h (GP tryout N7)
def test_zaldiar_above_its_own_maximum_exports_the_product_figure_and_the_opioid_total(examples):
    """GP tryout N7: "Zaldiar 3 comp c/6h" (3 tablets every 6 hours: 12 a day of tramadol 37.5 mg / paracetamol 325 mg,
    tramadol 450 mg a day). Its ficha técnica 4.2 (sources.toml zaldiar-ft) allows 8 tablets a day, 300 mg of tramadol,
    lower than tramadol's own 400 mg (Ultram label). The text alert and the sheet say 300 and "High opioid dose" (90
    MME/day: CDC 2016 rec. 5, tramadol x 0.2 by the CDC 2022 table); the export said "maximum of 400 mg/day" and had no
    issue for the total. Both are now DetectedIssues, the figure read from the same dose check."""
    from radiculopathy_desktop.domain.medications import assess_medications

    case = _with(examples["routine_l5_acute"], [Medicine("Zaldiar 3 comp c/6h")])
    bundle, issues, alerts = _said_once(case)
    report = assess_medications(case.intake, AS_OF, profile="us")
    (product,) = [c for c in report.dose_checks if c.rule == "over-product-max"]
    assert (product.generic, product.daily_mg, product.limit_mg) == ("tramadol", 450.0, 300.0)
    (dose,) = [i for i in issues if i[0] == "DOSEH"]
    assert dose[1].startswith(f"Tramadol: taking 450 mg/day, above this patient's maximum of {product.limit_mg:g} mg/day.")
    assert product.text in dose[1] and "No adjustment: label maximum" not in dose[1]
    (total,) = [i for i in _of(bundle, "DetectedIssue") if i.code.coding[0].code == "COND"]
    assert total.severity == "high" and "HIGH OPIOID DOSE" in total.detail and "90 MME/day" in total.detail
    assert [a.total for a in alerts] == ["High opioid dose: 90 MME/day"]  # what the text alert says beside its label
    # every figure of the text alert is in the export (said once each: the 400 of tramadol alone is the row's own words)
    (alert,) = alerts
    assert all(sum(r in d for _c, d, _n in issues) == 1 for r in alert.reasons)


def test_zaldiar_at_and_one_tablet_above_its_own_maximum(examples):
    """Boundaries of the same label (8 tablets a day): 2 every 6 hours is 8 (300 mg of tramadol, 60 MME/day): no High
    Dose Alert, the total a moderate "Reassess opioid dose"; 3 every 8 hours is 9 (337.5 mg, under tramadol's own 400 but
    above the product's 300): a High Dose Alert in the product's words, and the total (67.5 MME/day), said beside the
    dose to lower, exported as its own moderate Condition Alert."""
    at = _with(examples["routine_l5_acute"], [Medicine("Zaldiar 2 comp c/6h")])
    _b, issues, _a = _said_once(at)
    assert [c for c, _d, _n in issues] == ["COND"] and "REASSESS OPIOID DOSE" in issues[0][1]
    above = _with(examples["routine_l5_acute"], [Medicine("Zaldiar 3 comp c/8h")])
    bundle, issues, alerts = _said_once(above)
    assert sorted(c for c, _d, _n in issues) == ["COND", "DOSEH"]
    (dose,) = [d for c, d, _n in issues if c == "DOSEH"]
    assert "8 tablets a day (tramadol 300 mg" in dose and "337.5" in dose
    (cond,) = [i for i in _of(bundle, "DetectedIssue") if i.code.coding[0].code == "COND"]
    assert cond.severity == "moderate" and "REASSESS OPIOID DOSE" in cond.detail and "67.5 MME/day" in cond.detail
    assert [a.status_label for a in alerts] == ["Reduce dose"] and alerts[0].total == "Reassess opioid dose: 67.5 MME/day"


def test_a_product_beside_another_of_its_ingredient_keeps_the_total_maximum(examples):
    """Zaldiar 10 a day (375 mg) with tramadol 50mg bd (100 mg): the row's 475 mg is above tramadol's 400, the header
    says that maximum (the product's 300 is of its own part, said in its own words after it), and the opioid total
    of both products is one Condition Alert implicating both."""
    meds = [Medicine("Zaldiar 10 comp al dia"), Medicine("tramadol 50mg bd", 100.0)]
    _b, issues, _alerts = _said_once(_with(examples["routine_l5_acute"], meds))
    (dose,) = [d for c, d, _n in issues if c == "DOSEH"]
    assert dose.startswith("Tramadol: taking 475 mg/day, above this patient's maximum of 400 mg/day.")
    assert "8 tablets a day (tramadol 300 mg" in dose
    (total,) = [i for i in issues if i[0] == "COND" and "HIGH OPIOID DOSE" in i[1]]
    assert set(total[2]) == {m.name for m in meds} and "95 MME/day" in total[1]
