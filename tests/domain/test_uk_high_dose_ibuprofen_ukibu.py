"""ukibu (H-MED-542, H-MED-543, H-MED-544): UK cardiovascular advice for high-dose ibuprofen and
dexibuprofen, and aceclofenac's contraindication.

Written from the sources (resources/medicines/sources.toml):
* mhra-ibuprofen-high-dose-2015 (MHRA Drug Safety Update, June 2015, "High-dose ibuprofen
  (>=2400mg/day): small increase in cardiovascular risk"): "avoid use of high-dose ibuprofen (>=2400 mg
  per day) in patients with established: ischaemic heart disease, peripheral arterial disease,
  cerebrovascular disease, congestive heart failure (NYHA II-III), uncontrolled hypertension"; "these
  recommendations also apply to dexibuprofen (a high dose of dexibuprofen is 1200 mg or more per day)";
  "no increase in cardiovascular risk is seen with ibuprofen at doses up to 1200 mg per day". The word
  is AVOID (not contraindicated: only severe heart failure is). So under uk, with cardiovascular disease
  (the intake's MI, stroke, angina, PAD), heart failure or a recent MI recorded: ibuprofen 2400 mg a day
  -> Avoid, 2399 mg -> today's rating (Caution for CV disease); dexibuprofen 1200 -> Avoid, 1199 -> not;
  the daily dose read from the name ("800mg tds", "600mg qds" = 2400; "400mg tds" = 1200); a dose not
  known -> asked (Caution, "the dose decides it"), never silence; no CV condition -> nothing about it.
* mhra-aceclofenac-2014 (MHRA Drug Safety Update 2014, "Aceclofenac (Preservex): updated
  cardiovascular advice in line with diclofenac and COX-2 inhibitors"): "aceclofenac is now
  contraindicated in patients with established ischaemic heart disease, peripheral arterial disease,
  cerebrovascular disease, congestive heart failure (NYHA II-IV)" -> Contraindicated under uk, as
  diclofenac.
* The us profile keeps the FDA class rules (fda-nsaid-cv-2015): nothing of the above is said there.
"""

from __future__ import annotations

import shutil

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import (DOSE_NOT_CHECKED_RULE, MedicineDataError, assess_medications,
                                                      default_data_dir, load_medicine_data)
from radiculopathy_desktop.domain.worklist_marks import _marks_of

from tests.domain.test_medications import VISIT, intake

CV_CONDITIONS = ["cardiovascular_disease", "heart_failure", "recent_myocardial_infarction"]
HIGH = "ibuprofen-high-dose-cv-uk"
UNKNOWN = "ibuprofen-dose-unknown-cv-uk"
# the MHRA's list, as the text must name it
MHRA_LIST = ("ischaemic heart disease", "peripheral arterial disease", "cerebrovascular disease",
             "congestive heart failure (NYHA class II-III)", "uncontrolled hypertension")


def _report(meds, profile="uk", conditions=None):
    """``meds``: (name, recorded daily dose or None) pairs."""
    case = intake(age=60, sex="female", weight=70, meds=list(meds), conditions=conditions)
    return assess_medications(case, VISIT, profile=profile)


def _ibuprofen_rules(report):
    return {r.rule: r.severity for r in report.row("ibuprofen").reasons}


def _notes(report, name):
    return {(n.rule, n.severity) for n in report.current_notes
            if name in n.medicines and n.rule != DOSE_NOT_CHECKED_RULE}


# --------------------------------------------------------------------------- ibuprofen, the threshold
@pytest.mark.parametrize("condition", CV_CONDITIONS)
@pytest.mark.parametrize("name, dose", [
    ("ibuprofen", 2400),                # recorded
    ("ibuprofen", 3200),
    ("ibuprofen 800mg tds", None),     # read from the name: 3 x 800
    ("ibuprofen 600mg qds", None),     # 4 x 600
    ("Brufen 800mg three times daily", None),
])
def test_uk_high_dose_ibuprofen_with_cv_disease_is_avoid(name, dose, condition):
    report = _report([(name, dose)], conditions={condition: True})
    row = report.row("ibuprofen")
    assert _ibuprofen_rules(report).get(HIGH) == "avoid"
    assert row.status == "avoid"  # the row taken now says it, never "Caution" beside an Avoid note
    reason = next(r for r in row.reasons if r.rule == HIGH)
    for words in MHRA_LIST:
        assert words in reason.text
    assert "MHRA Drug Safety Update, June 2015" in reason.source
    assert [a.status for a in medicine_alerts(report) if name in a.medicines] == ["avoid"]
    assert "Avoid" in [m.label for m in _marks_of(report)]
    # not a contraindication: the MHRA says avoid
    assert row.status != "contraindicated"


@pytest.mark.parametrize("name, dose", [("ibuprofen", 2399), ("ibuprofen", 1200), ("ibuprofen 400mg tds", None),
                                        ("ibuprofen 200mg qds", None), ("ibuprofen 599mg qds", None)])
def test_uk_ibuprofen_below_2400_mg_keeps_todays_rating(name, dose):
    report = _report([(name, dose)], conditions={"cardiovascular_disease": True})
    rules = _ibuprofen_rules(report)
    assert HIGH not in rules and UNKNOWN not in rules
    assert rules["nsaid-cardiovascular"] == "caution"
    assert report.row("ibuprofen").status == "caution"
    assert medicine_alerts(report) == ()


def test_two_ibuprofen_lines_are_added_to_reach_the_high_dose():
    # 1200 + 1200 mg a day: 2400 mg of ibuprofen, whatever the products
    report = _report([("ibuprofen 400mg tds", None), ("Nurofen 400mg tds", None)],
                     conditions={"cardiovascular_disease": True})
    assert _ibuprofen_rules(report).get(HIGH) == "avoid"
    one = _report([("ibuprofen 400mg tds", None), ("Nurofen 200mg tds", None)],  # 1800 mg
                  conditions={"cardiovascular_disease": True})
    assert HIGH not in _ibuprofen_rules(one)


@pytest.mark.parametrize("name", ["ibuprofen", "Brufen 600", "ibuprofen 800mg", "Nurofen"])
def test_uk_ibuprofen_of_unknown_daily_dose_is_asked_about(name):
    # a strength alone is not a daily dose: it decides nothing, and the lower dose is never assumed
    report = _report([(name, None)], conditions={"cardiovascular_disease": True})
    rules = _ibuprofen_rules(report)
    assert rules.get(UNKNOWN) == "caution" and HIGH not in rules
    reason = next(r for r in report.row("ibuprofen").reasons if r.rule == UNKNOWN)
    assert "the dose decides it" in reason.text and "Check the dose and record it" in reason.text
    assert "2400 mg" in reason.text
    assert report.row("ibuprofen").status == "caution"


@pytest.mark.parametrize("value", [False, None])
@pytest.mark.parametrize("name, dose", [("ibuprofen 800mg tds", None), ("ibuprofen", 3200), ("ibuprofen", None),
                                        ("dexibuprofen 400mg tds", None)])
def test_uk_no_cv_condition_recorded_says_nothing_of_it(name, dose, value):
    report = _report([(name, dose)], conditions={c: value for c in CV_CONDITIONS})
    assert not {HIGH, UNKNOWN} & set(_ibuprofen_rules(report))
    assert not {HIGH, UNKNOWN} & {rule for rule, _ in _notes(report, name)}
    assert report.row("ibuprofen").status != "avoid"


@pytest.mark.parametrize("condition", CV_CONDITIONS)
@pytest.mark.parametrize("name, dose", [("ibuprofen 800mg tds", None), ("ibuprofen", 2400), ("ibuprofen", None),
                                        ("dexibuprofen 400mg tds", None)])
def test_us_profile_keeps_the_fda_class_rules(name, dose, condition):
    us = _report([(name, dose)], "us", {condition: True})
    assert not {HIGH, UNKNOWN} & set(_ibuprofen_rules(us))
    assert not {HIGH, UNKNOWN} & {rule for rule, _ in _notes(us, name)}
    assert all("MHRA" not in r.source for r in us.row("ibuprofen").reasons)
    # the same us report as an ibuprofen below the threshold gives
    low = _report([("ibuprofen 400mg tds", None)], "us", {condition: True})
    assert us.row("ibuprofen").status == low.row("ibuprofen").status


# --------------------------------------------------------------------------- dexibuprofen
@pytest.mark.parametrize("condition", CV_CONDITIONS)
@pytest.mark.parametrize("name, dose", [("dexibuprofen", 1200), ("dexibuprofen 400mg tds", None),
                                        ("Seractil 300mg qds", None)])
def test_uk_dexibuprofen_1200_mg_a_day_is_avoid(name, dose, condition):
    report = _report([(name, dose)], conditions={condition: True})
    notes = _notes(report, name)
    assert (HIGH, "avoid") in notes
    # its "lowest dose for the shortest time" class caution is replaced, never said beside the Avoid
    assert ("nsaid-cardiovascular", "caution") not in notes
    assert "avoid" in [a.status for a in medicine_alerts(report) if name in a.medicines]


@pytest.mark.parametrize("name, dose", [("dexibuprofen", 1199), ("dexibuprofen 400mg bd", None),
                                        ("Seractil 300mg tds", None)])
def test_uk_dexibuprofen_below_1200_mg_keeps_the_class_rating(name, dose):
    report = _report([(name, dose)], conditions={"cardiovascular_disease": True})
    assert _notes(report, name) == {("nsaid-cardiovascular", "caution")}


def test_uk_dexibuprofen_of_unknown_dose_is_asked_about():
    report = _report([("dexibuprofen", None)], conditions={"cardiovascular_disease": True})
    assert (UNKNOWN, "caution") in _notes(report, "dexibuprofen")


# --------------------------------------------------------------------------- aceclofenac
@pytest.mark.parametrize("condition", CV_CONDITIONS)
@pytest.mark.parametrize("name", ["aceclofenac 100mg bd", "aceclofenac", "Preservex 100mg"])
def test_uk_aceclofenac_is_contraindicated_in_established_cv_disease(name, condition):
    report = _report([(name, None)], conditions={condition: True})
    notes = _notes(report, name)
    assert notes == {("nsaid-cv-contraindicated-uk", "contraindicated")}
    note = next(n for n in report.current_notes if n.rule == "nsaid-cv-contraindicated-uk")
    assert "aceclofenac" in note.text and "NYHA class II-IV" in note.text
    assert "Aceclofenac (Preservex): updated cardiovascular advice" in note.source
    assert [a.status for a in medicine_alerts(report) if name in a.medicines] == ["contraindicated"]
    assert "Contraindicated" in [m.label for m in _marks_of(report)]


@pytest.mark.parametrize("condition, rule, severity", [("cardiovascular_disease", "nsaid-cardiovascular", "caution"),
                                                       ("heart_failure", "nsaid-heart-failure", "avoid")])
def test_us_aceclofenac_keeps_the_fda_class_rules(condition, rule, severity):
    report = _report([("aceclofenac 100mg bd", None)], "us", {condition: True})
    assert _notes(report, "aceclofenac 100mg bd") == {(rule, severity)}


def test_uk_aceclofenac_without_cv_condition_is_not_contraindicated():
    report = _report([("aceclofenac 100mg bd", None)], conditions={c: False for c in CV_CONDITIONS})
    assert not _notes(report, "aceclofenac 100mg bd")


# --------------------------------------------------------------------------- the data, checked at load
@pytest.mark.parametrize("old, new, message", [
    # a daily bound is "above" or "at least", never both and never neither
    ('at_least_mg_a_day = 2400\n', 'at_least_mg_a_day = 2400\nabove_mg_a_day = 2400\n', "one of them"),
    ('at_least_mg_a_day = 2400\n', '', "one of them"),
    ('at_least_mg_a_day = 2400\n', 'at_least_mg_a_day = 0\n', "above 0 mg"),
    # a per-dose bound needs its "low below" partner (aspirin's pair)
    ('at_least_mg_a_day = 2400\n', 'at_least_mg_a_day = 2400\nabove_mg_a_dose = 800\n', "go together"),
    # on_row is for a medicine a row counts
    ('id = "ibuprofen-high-dose-cv-uk"\non_row = true\n',
     'id = "ibuprofen-high-dose-cv-uk"\non_row = true\nwithout_row = true\n', "on_row is for medicines"),
])
def test_loader_rejects_a_malformed_dose_bound(tmp_path, old, new, message):
    folder = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), folder)
    path = folder / "rules.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(MedicineDataError, match=message):
        load_medicine_data(str(folder))
