"""Issue 12 §6: the profile decides, and the pathway and the medicine table never disagree.

From NICE NG59 (2020 update, recommendations on pharmacological management of sciatica):
do not offer gabapentinoids, other antiepileptics, oral corticosteroids or benzodiazepines
for sciatica; do not offer opioids for chronic sciatica; do not offer paracetamol alone
(low back pain). Under ``us`` the ACP 2017 / label position stays, and the disagreement is
shown.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.guideline import load_guideline
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.resources import resource_path

from tests.domain.test_medications import VISIT, intake

NOT_OFFERED_UK = ("gabapentin", "pregabalin", "prednisone")


@pytest.mark.parametrize("drug", NOT_OFFERED_UK)
def test_uk_rows_nice_does_not_offer_are_avoid_with_the_source(drug):
    row = assess_medications(intake(scr=0.9), VISIT, profile="uk").row(drug)
    assert row.status == "avoid"
    assert row.status_label == "Avoid: NICE does not offer"
    reason = next(r for r in row.reasons if r.rule == "guideline-do-not-offer")
    assert "NICE NG59" in reason.source and "Do not offer" in reason.text
    assert row.guideline_position["profile"] == "uk"


def test_uk_paracetamol_is_not_offered_alone_for_low_back_pain_not_a_blanket_avoid():
    # NICE NG59: "Do not offer paracetamol alone for managing low back pain"; weak opioids may be
    # considered with or without paracetamol for acute low back pain; the 2020 sciatica update makes no
    # recommendation on paracetamol. So: caution, saying "alone", never "avoid".
    row = assess_medications(intake(scr=0.9), VISIT, profile="uk").row("acetaminophen")
    assert row.status == "caution" and row.status_label == "Caution"
    reason = next(r for r in row.reasons if r.rule == "guideline-do-not-offer")
    text = " ".join(reason.text.split())
    assert reason.severity == "caution" and "paracetamol alone (as the only medicine) for low back pain" in text
    assert "no recommendation on paracetamol for sciatica" in text and "NICE NG59" in reason.source


def test_uk_muscle_relaxant_follows_the_pathway_not_recommended():
    # uk pathway: "NICE does not recommend skeletal muscle relaxants for sciatica" (direction
    # not_recommended): the row takes the same position, not OK (red-team A6)
    row = assess_medications(intake(scr=0.9), VISIT, profile="uk").row("cyclobenzaprine")
    assert row.status == "avoid" and row.status_label == "Avoid: NICE does not recommend"
    assert row.guideline_position["recommendation"] == "muscle_relaxant"
    us = assess_medications(intake(scr=0.9), VISIT, profile="us").row("cyclobenzaprine")
    assert us.guideline_position is None and not us.has_rule("guideline-do-not-offer")


@pytest.mark.parametrize("drug", NOT_OFFERED_UK + ("acetaminophen", "cyclobenzaprine"))
def test_us_rows_keep_the_acp_label_position(drug):
    row = assess_medications(intake(scr=0.9), VISIT, profile="us").row(drug)
    assert row.status != "avoid" and row.guideline_position is None
    assert not row.has_rule("guideline-do-not-offer")


def test_us_shows_the_disagreement_for_gabapentinoids():
    row = assess_medications(intake(scr=0.9), VISIT, profile="us").row("gabapentin")
    assert any("profiles disagree" in r.text and "NICE" in r.text for r in row.reasons)


@pytest.mark.parametrize("onset_days, avoided", [(84, False), (85, True)])  # chronic: more than 12 weeks
def test_uk_opioids_are_not_offered_for_chronic_sciatica_only(onset_days, avoided):
    report = assess_medications(intake(scr=0.9, onset_days_ago=onset_days), VISIT, profile="uk")
    for drug in ("opioids", "tramadol"):
        assert report.row(drug).has_rule("guideline-do-not-offer") is avoided
    assert (report.row("tramadol").status == "avoid") is avoided


def test_uk_nsaid_stays_an_option():
    row = assess_medications(intake(scr=0.9), VISIT, profile="uk").row("ibuprofen")
    assert row.status == "ok" and row.guideline_position is None


def test_uk_acute_weak_opioid_wording_is_for_low_back_pain_not_sciatica():
    rec = next(r for _, r in load_guideline("uk").recommendations() if r.id == "weak_opioid_acute_only")
    assert "low back pain (not sciatica)" in " ".join(rec.text.split())
    epidural = next(r for _, r in load_guideline("uk").recommendations() if r.id == "epidural_steroid_injection")
    assert "acute and severe sciatica" in epidural.text


EXAMPLES = sorted(resource_path("examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_pathway_and_medicine_table_never_disagree(path, profile):
    from radiculopathy_desktop.reports.handouts import doses_from_engine

    case = parse_case(json.loads(path.read_text(encoding="utf-8")))
    as_of = dt.date(2026, 11, 21)
    a = assess_case(case, as_of, profile=profile)
    phase = a.phase.name
    not_offered = {}
    for _, rec in load_guideline(profile).recommendations():
        if rec.direction in ("do_not_offer", "not_recommended") and (rec.phases is None or phase in rec.phases):
            for t in rec.treatments:
                not_offered.setdefault(t, (rec.id, rec.medicine_status or "avoid"))
    doses = doses_from_engine(case, as_of, profile=profile)
    for row in a.medications.rows:
        if row.treatment_code in not_offered:
            rec_id, status = not_offered[row.treatment_code]
            assert row.guideline_position and row.guideline_position["recommendation"] == rec_id
            if status == "avoid":
                assert row.status in ("avoid", "contraindicated")
                # the handout offers no dose for it either; a patient taking it above the maximum
                # gets the sheet that says the dose is too high and how it comes down (rt9 F1); one
                # taking it at a lower dose, the sheet that asks before the next dose (rt11 F3)
                # taking it at a lower dose, the sheet that asks before the next dose (rt11 F3), but
                # a steroid taken now (prescribed for another illness: NICE's "do not offer" is about
                # starting one for sciatica) is kept, "do not stop it suddenly", the AVOID told to
                # the clinician (rt14 F2)
                dose = doses.get(row.treatment_code)
                # since fxh20 (rt21 F1) one taking it ABOVE the maximum gets the ask-first box too,
                # the dose said under it (``over``), never "take no more than X from now on"
                assert (dose is None or dose.above_max
                        or (dose.avoid_box and (dose.taken_now or dose.over or dose.dose_check))
                        or (row.treatment_code == "oral_corticosteroid" and dose.taken_now and dose.avoid
                            and dose.avoid_box is None))
            else:  # the guideline restricts one use (paracetamol alone): at least that status
                assert row.status != "ok" and row.has_rule("guideline-do-not-offer")
        else:
            assert row.guideline_position is None


@pytest.mark.parametrize("med, rule", [("diazepam", "uk-benzodiazepine-not-offered"),
                                       ("Tegretol", "uk-antiepileptic-not-offered"),
                                       ("pregabalin", "uk-antiepileptic-not-offered")])
def test_uk_current_benzodiazepine_or_antiepileptic_is_named_with_nice_withdrawal_advice(med, rule):
    uk = assess_medications(intake(scr=0.9, meds=[(med, None)]), VISIT, profile="uk")
    notes = [n for n in uk.current_notes if n.rule == rule]
    assert notes and "NICE does not offer" in notes[0].text and "withdrawal" in notes[0].text
    assert "NICE" in notes[0].source
    us = assess_medications(intake(scr=0.9, meds=[(med, None)]), VISIT, profile="us")
    assert not us.current_notes
