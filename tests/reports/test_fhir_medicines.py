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
    (status,) = [i for i in issues if i.code.coding[0].code == "COND"]
    assert "Ibuprofen" in status.detail and "AVOID" in status.detail
    assert [r.reference for r in status.implicated] == [full[statements[1].id]]


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
