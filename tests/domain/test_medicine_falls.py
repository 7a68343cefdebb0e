"""AGS Beers 2023, Table 3 (drug-disease interactions), history of falls or fractures.

The source (J Am Geriatr Soc 2023;71:2052-2081): in adults 65 and older with a history
of falls or fractures, antiepileptics, antipsychotics, benzodiazepines, Z-drugs,
antidepressants (TCAs, SSRIs, SNRIs) and opioids "may cause ataxia, impaired
psychomotor function, syncope, additional falls": avoid unless safer alternatives are
not available; antiepileptics except for seizure and mood disorders; opioids except
for severe acute pain (recent fracture, joint replacement). The criteria apply from 65.
"""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS
from tests.domain.test_medications import assess, intake, rules

FALLS = {"falls_history": True}


@pytest.mark.parametrize("age, applies", [(64, False), (65, True), (80, True)])
@pytest.mark.parametrize("drug", ["gabapentin", "pregabalin"])
def test_gabapentinoids_are_avoided_with_falls_from_65(age, applies, drug):
    row = assess(intake(age=age, conditions=FALLS)).row(drug)
    assert ("gabapentinoid-beers-falls" in rules(row)) is applies
    if applies:
        assert row.status == "avoid"
        reason = next(r for r in row.reasons if r.rule == "gabapentinoid-beers-falls")
        assert "safer alternatives are not available" in reason.text and "AGS Beers Criteria" in reason.source


@pytest.mark.parametrize("age, applies", [(64, False), (65, True)])
@pytest.mark.parametrize("drug", ["opioids", "tramadol"])
def test_opioids_are_avoided_with_falls_from_65_except_severe_acute_pain(age, applies, drug):
    row = assess(intake(age=age, conditions=FALLS)).row(drug)
    assert ("opioid-beers-falls" in rules(row)) is applies
    if applies:
        assert row.status == "avoid"
        text = next(r.text for r in row.reasons if r.rule == "opioid-beers-falls")
        assert "severe acute pain" in text


@pytest.mark.parametrize("falls", [False, None])
def test_no_falls_history_or_not_recorded_adds_nothing(falls):
    report = assess(intake(age=80, conditions={"falls_history": falls}))
    for drug in ("gabapentin", "pregabalin", "opioids", "tramadol"):
        assert not {"gabapentinoid-beers-falls", "opioid-beers-falls"} & rules(report.row(drug))
    assert not [n for n in report.current_notes if n.rule == "beers-falls-current"]


@pytest.mark.parametrize("medicine", ["diazepam", "zolpidem", "sertraline", "duloxetine", "amitriptyline",
                                      "carbamazepine", "quetiapine"])
@pytest.mark.parametrize("age, applies", [(64, False), (65, True)])
def test_current_cns_medicines_get_the_falls_note(medicine, age, applies):
    report = assess(intake(age=age, conditions=FALLS, meds=[(medicine, None)]))
    notes = [n for n in report.current_notes if n.rule == "beers-falls-current"]
    assert bool(notes) is applies
    if applies:
        assert notes[0].severity == "avoid" and medicine in notes[0].medicines
        assert "AGS Beers Criteria" in notes[0].source


def test_other_medicines_get_no_falls_note():
    report = assess(intake(age=80, conditions=FALLS, meds=[("atorvastatin", 20), ("ibuprofen", 1200)]))
    assert not [n for n in report.current_notes if n.rule == "beers-falls-current"]


def test_the_case_format_takes_falls_history_true_false_or_null():
    assert "falls_history" in BOOLEAN_CONDITIONS
    base = {"patient": {"id": "f1", "age_years": 70, "sex": "female"}, "onset_date": "2026-02-16",
            "visit_date": "2026-03-02", "side": "left", "regions": ["lateral_leg"],
            "pain": {"leg_nrs": 6, "back_nrs": 3}, "red_flags": {}}
    for value in (True, False, None):
        case = parse_case(json.loads(json.dumps({**base, "conditions": {"falls_history": value}})))
        assert case.intake.conditions.has("falls_history") is value
