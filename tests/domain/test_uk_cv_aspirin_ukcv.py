"""ukcv (H-MED-469, H-MED-470, H-MED-471): UK cardiovascular contraindications of diclofenac and the
COX-2 inhibitors, aspirin at analgesic doses as an NSAID, an antiplatelet with an anticoagulant.

Written from the sources (resources/medicines/sources.toml):
* mhra-diclofenac-2013 (MHRA Drug Safety Update, June 2013): systemic diclofenac is contraindicated in
  established ischaemic heart disease, peripheral arterial disease, cerebrovascular disease and
  congestive heart failure (NYHA II-IV); etoricoxib-smpc-uk / celecoxib-smpc-uk, section 4.3: the same
  for the COX-2 inhibitors. Under uk: cardiovascular disease, heart failure or a recent MI recorded ->
  Contraindicated; not recorded (false or null) -> nothing about the heart. Another NSAID (meloxicam)
  and the ibuprofen row keep the class's Caution. The us profile keeps the FDA's class rules (the US
  labels contraindicate them only in the setting of CABG surgery): Caution for CV disease, Avoid for
  heart failure, citing the FDA, never the MHRA.
* aspirin-uk-smpc / aspirin-fda-low-dose: analgesic aspirin is 300-900 mg every four hours (UK) or
  325-650 mg (US), low-dose (antiplatelet) aspirin 75-325 mg a day; the FDA 2020 NSAID pregnancy
  advice exempts low-dose aspirin. Boundaries: 75 mg od, 300 mg od, 325 mg od -> antiplatelet only;
  300 mg bd (600 mg a day), 600 mg qds, 900 mg qds, 400 mg a dose -> an NSAID; "aspirin 300mg" with no
  frequency or "aspirin" -> the dose decides it (asked, at no more than Caution).
* apixaban-label / apixaban-smpc-uk: antiplatelet agents with apixaban increase the risk of bleeding
  (use with caution) -> Caution; aspirin at an analgesic dose with an anticoagulant is the NSAID
  interaction (Avoid, as ibuprofen with one).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import DOSE_NOT_CHECKED_RULE, assess_medications
from radiculopathy_desktop.domain.worklist_marks import _marks_of

from tests.domain.test_medications import VISIT, intake

CV_NAMES = ["diclofenac 50mg tds", "Voltarol", "Voltarol 50mg", "Arthrotec", "celecoxib", "celecoxib 200mg",
            "etoricoxib 90mg", "Arcoxia 60mg"]
CV_CONDITIONS = ["cardiovascular_disease", "heart_failure", "recent_myocardial_infarction"]
HEART_RULES = {"nsaid-cardiovascular", "nsaid-heart-failure", "nsaid-recent-mi"}


def _report(meds, profile="us", conditions=None, pregnancy=None, crcl=None, age=60):
    case = intake(age=age, sex="female", weight=70, meds=[(m, None) for m in meds], conditions=conditions,
                  pregnancy=pregnancy)
    return assess_medications(case, VISIT, creatinine_clearance_override=crcl, profile=profile)


def _notes(report, name):
    """The notes about this medicine's rating for the patient: nsaiddose's "dose not checked" line (a
    name typed without a daily dose, or etoricoxib, whose maximum is not held) is about its dose, and is
    tested there."""
    return {(n.rule, n.severity) for n in report.current_notes
            if name in n.medicines and n.rule != DOSE_NOT_CHECKED_RULE}


# --------------------------------------------------------------------------- UK CV contraindication
@pytest.mark.parametrize("name", CV_NAMES)
@pytest.mark.parametrize("condition", CV_CONDITIONS)
def test_uk_diclofenac_and_coxibs_are_contraindicated_in_established_cv_disease(name, condition):
    report = _report([name], "uk", {condition: True})
    notes = _notes(report, name)
    assert ("nsaid-cv-contraindicated-uk", "contraindicated") in notes
    # the class's CV caution, HF and recent-MI avoid are replaced, never said beside it
    assert not {rule for rule, _ in notes} & HEART_RULES
    note = next(n for n in report.current_notes if n.rule == "nsaid-cv-contraindicated-uk")
    assert "NYHA class II-IV" in note.text and "peripheral arterial disease" in note.text
    assert "MHRA Drug Safety Update, June 2013" in note.source and "FDA" not in note.source
    alerts = [a for a in medicine_alerts(report) if name in a.medicines]
    assert [a.status for a in alerts] == ["contraindicated"]
    assert "Stop it and choose another option" in alerts[0].text
    assert "Contraindicated" in [m.label for m in _marks_of(report)]


def test_uk_contraindication_names_every_condition_recorded():
    report = _report(["diclofenac 50mg tds"], "uk", {"cardiovascular_disease": True, "heart_failure": True})
    [note] = [n for n in report.current_notes if n.rule == "nsaid-cv-contraindicated-uk"]
    assert note.text.startswith("Taking diclofenac 50mg tds: Cardiovascular disease (MI, stroke, angina, PAD), "
                                "heart failure recorded:")


@pytest.mark.parametrize("value", [False, None])
@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "celecoxib"])
def test_uk_no_cv_disease_recorded_gives_no_heart_note(name, value):
    report = _report([name], "uk", {c: value for c in CV_CONDITIONS})
    assert not {rule for rule, _ in _notes(report, name)} & (HEART_RULES | {"nsaid-cv-contraindicated-uk"})
    assert medicine_alerts(report) == ()


@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "celecoxib", "etoricoxib 90mg"])
@pytest.mark.parametrize("condition, rule, severity", [
    ("cardiovascular_disease", "nsaid-cardiovascular", "caution"),
    ("heart_failure", "nsaid-heart-failure", "avoid"),
    ("recent_myocardial_infarction", "nsaid-recent-mi", "avoid"),
])
def test_us_profile_keeps_the_fda_class_rules(name, condition, rule, severity):
    report = _report([name], "us", {condition: True})
    notes = [n for n in report.current_notes if name in n.medicines and n.rule != DOSE_NOT_CHECKED_RULE]
    assert [(n.rule, n.severity) for n in notes] == [(rule, severity)]
    assert "MHRA" not in notes[0].source


@pytest.mark.parametrize("condition, rule", [("cardiovascular_disease", "nsaid-cardiovascular"),
                                             ("heart_failure", "nsaid-heart-failure")])
def test_uk_other_nsaids_keep_the_class_rating(condition, rule):
    # meloxicam is not named by the MHRA 2013 advice nor a COX-2 inhibitor: the class rule stands
    report = _report(["diclofenac 50mg tds", "meloxicam 15mg"], "uk", {condition: True})
    assert _notes(report, "meloxicam 15mg") == {(rule, "avoid" if "failure" in rule else "caution")}
    assert _notes(report, "diclofenac 50mg tds") == {("nsaid-cv-contraindicated-uk", "contraindicated")}
    # the ibuprofen row, which the tool suggests, keeps its own rule
    assert rule in {r.rule for r in report.row("ibuprofen").reasons}
    assert report.row("ibuprofen").status != "contraindicated"


def test_topical_diclofenac_is_not_rated_as_a_systemic_nsaid():
    # the MHRA advice does not apply to topical gel or cream; a gel is left to the clinician
    report = _report(["Voltarol gel"], "uk", {"cardiovascular_disease": True})
    assert not [n for n in report.current_notes if n.rule == "nsaid-cv-contraindicated-uk"]


# --------------------------------------------------------------------------- aspirin, analgesic dose
ANALGESIC = ["aspirin 300mg bd", "aspirin 600mg qds", "aspirin 900mg qds", "aspirin 400mg", "co-codaprin 8/400 2 tablets qds"]
LOW = ["aspirin 75mg od", "aspirin 75mg", "aspirin 81mg", "aspirin 300mg od", "aspirin 325mg od", "Nu-Seals 75"]
UNKNOWN = ["aspirin 300mg", "aspirin", "aspirin 325mg"]


@pytest.mark.parametrize("profile, weeks, rule, severity", [
    ("us", 20, "nsaid-pregnancy-20", "avoid"),
    ("us", 30, "nsaid-pregnancy-30", "contraindicated"),
    ("uk", 28, "nsaid-pregnancy-28-uk", "contraindicated"),
    ("uk", 31, "nsaid-pregnancy-30", "contraindicated"),
])
@pytest.mark.parametrize("name", ANALGESIC)
def test_analgesic_dose_aspirin_gets_the_nsaid_pregnancy_band(name, profile, weeks, rule, severity):
    report = _report([name], profile, pregnancy=weeks, age=30)
    assert (rule, severity) in _notes(report, name)
    assert ("aspirin-analgesic-dose", "info") in _notes(report, name)
    assert [a.status for a in medicine_alerts(report) if name in a.medicines] == [severity]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("name", LOW)
def test_low_dose_aspirin_is_an_antiplatelet_only(name, profile):
    # the FDA 2020 advice exempts low-dose aspirin; 325 mg a day is the top of the low-dose range
    report = _report([name], profile, {"gi_bleed_or_ulcer": True, "heart_failure": True}, pregnancy=31, crcl=25,
                     age=30)
    assert _notes(report, name) == set()
    assert medicine_alerts(report) == ()


@pytest.mark.parametrize("condition, crcl, rule, severity", [
    ("gi_bleed_or_ulcer", None, "nsaid-gi-bleed", "avoid"),
    ("heart_failure", None, "nsaid-heart-failure", "avoid"),
    (None, 29, "nsaid-renal-below-30", "avoid"),
    (None, 30, "nsaid-renal-below-60", "caution"),
])
@pytest.mark.parametrize("name", ["aspirin 600mg qds", "aspirin 900mg qds"])
def test_analgesic_dose_aspirin_gets_the_nsaid_patient_rules(name, condition, crcl, rule, severity):
    report = _report([name], "uk", {condition: True} if condition else None, crcl=crcl)
    assert (rule, severity) in _notes(report, name)


def test_analgesic_dose_aspirin_is_not_given_the_nsaids_heart_attack_warning():
    # the FDA 2015 communication is about non-aspirin NSAIDs; aspirin protects against MI and stroke
    for profile in ("us", "uk"):
        report = _report(["aspirin 900mg qds"], profile, {"cardiovascular_disease": True,
                                                           "recent_myocardial_infarction": True})
        assert _notes(report, "aspirin 900mg qds") == {("aspirin-analgesic-dose", "info")}


@pytest.mark.parametrize("name", UNKNOWN)
def test_aspirin_of_unknown_dose_is_asked_about_never_guessed(name):
    report = _report([name], "us", {"gi_bleed_or_ulcer": True}, pregnancy=31, age=30)
    notes = [n for n in report.current_notes if name in n.medicines]
    assert {n.rule for n in notes} == {"aspirin-dose-unknown/nsaid-gi-bleed", "aspirin-dose-unknown/nsaid-pregnancy-30"}
    for n in notes:
        assert n.severity == "caution"
        assert "the dose decides it" in n.text and "Check the dose" in n.text
        assert "more than 325 mg a day" in n.text
    # with nothing an NSAID rule speaks of, nothing is said
    assert _report([name], "us").current_notes == ()


def test_ibuprofen_row_counts_analgesic_aspirin_as_a_second_nsaid():
    report = _report(["aspirin 900mg qds"], "us")
    assert "nsaid-duplicate" in {r.rule for r in report.row("ibuprofen").reasons}
    low = _report(["aspirin 75mg od"], "us")
    assert "nsaid-duplicate" not in {r.rule for r in low.row("ibuprofen").reasons}
    assert "nsaid-antiplatelet" in {r.rule for r in low.row("ibuprofen").reasons}
    both = _report(["aspirin 900mg qds", "ibuprofen 400mg tds"], "us")
    assert "ix-two-nsaids" in {i.rule for i in both.interactions}


# --------------------------------------------------------------------------- antiplatelet + anticoagulant
ANTICOAGULANTS = ["apixaban 5mg bd", "warfarin 3mg od", "rivaroxaban 20mg od", "edoxaban 60mg od",
                  "dabigatran 150mg bd"]


@pytest.mark.parametrize("anticoagulant", ANTICOAGULANTS)
@pytest.mark.parametrize("profile, source", [("us", "ELIQUIS (apixaban) US prescribing information"),
                                             ("uk", "Eliquis (apixaban), UK")])
def test_low_dose_aspirin_with_an_anticoagulant_is_a_caution(anticoagulant, profile, source):
    report = _report(["aspirin 75mg od", anticoagulant], profile)
    rules = {(i.rule, i.severity) for i in report.interactions}
    assert rules == {("ix-antiplatelet-anticoagulant", "caution")}
    inter = report.interactions[0]
    assert source in inter.source
    assert ("US prescribing" in inter.source) == (profile == "us")


@pytest.mark.parametrize("anticoagulant", ANTICOAGULANTS)
def test_analgesic_dose_aspirin_with_an_anticoagulant_is_avoid_as_any_nsaid(anticoagulant):
    report = _report(["aspirin 600mg qds", anticoagulant], "uk")
    assert ("ix-nsaid-anticoagulant", "avoid") in {(i.rule, i.severity) for i in report.interactions}
    assert "avoid" in [a.status for a in medicine_alerts(report)]


def test_clopidogrel_with_warfarin_and_unknown_aspirin_with_apixaban():
    assert {i.rule for i in _report(["clopidogrel 75mg od", "warfarin 3mg od"]).interactions} == {
        "ix-antiplatelet-anticoagulant"}
    report = _report(["aspirin", "apixaban 5mg bd"])
    [inter] = report.interactions
    assert inter.severity == "caution" and "analgesic doses (more than 325 mg a day)" in inter.text


def test_stored_marks_are_derived_again_once():
    """A stored case of a uk patient with cardiovascular disease on diclofenac, or on aspirin 900 mg qds
    at 31 weeks, was saved with no Contraindicated mark: the one-time rewrite runs again (14)."""
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    assert DOSE_ALERTS_VERSION >= 14
