"""Triage safety (issue 12 section 4), written from the primary sources, boundaries included.

* NICE NG234 (2023, replacing CG75 2008): in a person with cancer, radicular pain, any
  limb weakness, sensory loss (and others) are neurological symptoms suggestive of
  metastatic spinal cord compression: an oncological emergency; contact the MSCC team
  immediately; MRI whole spine within 24 hours; a plain radiograph is no substitute.
  Spinal pain suggestive of metastases without neurological symptoms: MRI within 1 week.
* ACP 2011 / ACR Appropriateness Criteria LBP 2021 Variant 7: suspected infection with a
  neurological deficit is an emergency (epidural abscess); "new neurological deficit"
  means any deficit, not only severe weakness.
* GIRFT suspected cauda equina pathway: symptoms in both legs are a cauda equina feature;
  unanswered cauda equina questions are not "no".
* Davies et al. BMJ 2018 (degenerative cervical myelopathy): brisk reflexes, Babinski
  sign and clonus are upper motor neurone signs from the cord, not a lumbar root.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.followup import ReviewStatus, surgical_review
from radiculopathy_desktop.domain.intake import Examination, ValidationError, parse_case
from radiculopathy_desktop.domain.triage import triage, triage_intake

from helpers.red_flags import CES_QUESTIONS as CES
from helpers.red_flags import answered_no as no_flags

VISIT = dt.date(2026, 3, 2)


def case_dict(red=None, side="left", leg=6, regions=("lateral_leg", "dorsum_foot"), exam=None, visits=(),
              decisions=(), age=58) -> dict:
    return {
        "patient": {"id": "T-1", "age_years": age, "sex": "female"},
        "onset_date": (VISIT - dt.timedelta(days=20)).isoformat(), "visit_date": VISIT.isoformat(),
        "side": side, "regions": list(regions), "pain": {"leg_nrs": leg, "back_nrs": 3},
        "red_flags": red if red is not None else no_flags(),
        "examination": exam or {}, "visits": list(visits), "decisions": list(decisions),
    }


def text_of(result) -> str:
    return " ".join([result.headline()] + [a.text for a in result.actions])


# --------------------------------------------------------------------------- MSCC (NG234)
def test_cancer_history_with_radicular_pain_is_the_mscc_emergency():
    r = triage(no_flags(history_of_cancer="yes"), {}, age=58, radicular_pain=True)
    assert r.tier == "emergency"
    assert "MSCC" in r.headline()
    text = text_of(r)
    assert "MSCC coordinator" in text and "immediately" in text
    assert "whole spine" in text and "within 24 hours" in text
    assert "no substitute" in text or "Do not order a plain radiograph" in text
    # the urgent-tier advice (radiograph and ESR, "within 1 week") is not printed beside it
    assert "radiograph and ESR" not in text and "within 1 week" not in text
    assert any(s.key == "nice-ng234" and s.year == 2023 for a in r.actions for s in a.sources)


def test_cancer_history_with_leg_pain_not_recorded_counts_as_radicular_pain():
    """Unknown is never no: a sciatica record without a leg-pain answer is treated as radicular pain."""
    assert triage(no_flags(history_of_cancer="yes"), {}, age=58).tier == "emergency"


@pytest.mark.parametrize("leg, regions, tier", [
    (0, (), "urgent"),            # no leg pain, no region: spinal pain only -> MRI within 1 week
    (1, (), "emergency"),         # the smallest leg pain is radicular pain
    (0, ("posterior_calf",), "emergency"),  # a leg region marked is radicular pain
])
def test_cancer_history_leg_pain_boundary(leg, regions, tier):
    case = parse_case(case_dict(red=no_flags(history_of_cancer="yes"), leg=leg, regions=regions))
    assert triage_intake(case.intake).tier == tier
    assert assess_case(case, VISIT).triage.tier == tier


@pytest.mark.parametrize("exam", [
    {"power": {"ankle_dorsiflexion": 4}},       # any limb weakness, not only MRC 3 or less
    {"sensation": "reduced"},                   # sensory loss
    {"reflexes": {"achilles": "absent"}},
])
def test_cancer_history_with_any_deficit_is_mscc_even_without_leg_pain(exam):
    case = parse_case(case_dict(red=no_flags(history_of_cancer="yes"), leg=0, regions=(), exam=exam))
    r = triage_intake(case.intake)
    assert r.tier == "emergency" and "MSCC" in r.headline()


def test_suspected_malignancy_without_known_cancer_stays_urgent_and_may_use_a_radiograph():
    r = triage(no_flags(unexplained_weight_loss="yes"), {}, age=67, radicular_pain=True)
    assert r.tier == "urgent" and r.headline() == "suspected spinal malignancy"
    assert "radiograph and ESR" in text_of(r)


# --------------------------------------------------------------------------- infection
@pytest.mark.parametrize("exam", [
    Examination(power={"ankle_dorsiflexion": 4}),       # MRC 4/5: previously only <= 3 escalated
    Examination(power={"great_toe_extension": 4}),
    Examination(reflexes={"achilles": "absent"}),       # a lost reflex
    Examination(reflexes={"patellar": "reduced"}),
    Examination(sensation="reduced"),                   # sensory loss
])
@pytest.mark.parametrize("risk", ["fever", "iv_drug_use", "immunosuppression", "recent_bacterial_infection"])
def test_suspected_infection_with_any_new_deficit_is_an_emergency(exam, risk):
    r = triage(no_flags(**{risk: "yes"}), {}, age=40, examination=exam, radicular_pain=True)
    assert r.tier == "emergency"
    assert "epidural abscess" in r.headline()
    assert "neurological deficit:" in " ".join(r.hits[0].reasons)


def test_suspected_infection_without_a_deficit_stays_urgent():
    exam = Examination(power={"ankle_dorsiflexion": 5}, reflexes={"achilles": "normal", "patellar": "normal"},
                       sensation="normal")
    r = triage(no_flags(fever="yes"), {}, age=40, examination=exam)
    assert r.tier == "urgent"
    assert r.headline() == "suspected spinal infection"


# --------------------------------------------------------------------------- both legs
def test_bilateral_side_with_bilateral_symptoms_no_is_an_error_naming_both_fields():
    with pytest.raises(ValidationError) as info:
        parse_case(case_dict(red=no_flags(bilateral_leg_symptoms="no"), side="bilateral"))
    errors = info.value.errors
    assert [e.field for e in errors] == ["red_flags.bilateral_leg_symptoms"]
    assert "side is bilateral" in errors[0].message and "bilateral_leg_symptoms is no" in errors[0].message


def test_bilateral_side_answers_the_question_when_it_was_left_unknown():
    red = no_flags()
    red["bilateral_leg_symptoms"] = "unknown"
    case = parse_case(case_dict(red=red, side="bilateral"))
    assert case.intake.red_flags["bilateral_leg_symptoms"] == "yes"
    assert assess_case(case, VISIT).triage.tier == "emergency"


def test_one_sided_with_bilateral_yes_is_still_an_error():
    with pytest.raises(ValidationError) as info:
        parse_case(case_dict(red=no_flags(bilateral_leg_symptoms="yes"), side="left"))
    assert info.value.errors[0].field == "side"


# --------------------------------------------------------------------------- ask now
@pytest.mark.parametrize("question", CES)
def test_an_unanswered_cauda_equina_question_is_never_no_red_flags(question):
    red = no_flags()
    red[question] = "unknown"
    r = triage(red, {}, age=40)
    assert "no red flags" not in r.headline()
    assert "ask now about" in r.headline()
    assert r.ask_now == (question,)
    assert r.actions[0].text.startswith("Cauda equina syndrome has not been excluded. Ask now")


def test_headline_names_every_unanswered_cauda_equina_question():
    red = no_flags()
    red.update(saddle_anaesthesia="unknown", new_sexual_dysfunction="unknown")
    headline = triage(red, {}, age=40).headline()
    assert "saddle numbness" in headline and "sexual function" in headline
    assert "bladder" not in headline


def test_other_unanswered_questions_are_not_called_no_red_flags_either():
    red = no_flags()
    red["fever"] = "unknown"
    headline = triage(red, {}, age=40).headline()
    assert "no red flags" not in headline and "unanswered" in headline


def test_all_answered_no_says_no_red_flags():
    assert triage(no_flags(), {}, age=40).headline() == "no red flags"


def test_worklist_status_asks_for_the_unanswered_cauda_equina_questions_until_answered():
    red = no_flags()
    red["urinary_retention_or_incontinence"] = "unknown"
    case = parse_case(case_dict(red=red, decisions=[
        {"date": (VISIT + dt.timedelta(days=1)).isoformat(), "kind": "continue_conservative_care",
         "until": (VISIT + dt.timedelta(days=30)).isoformat()}]))
    review = surgical_review(case, VISIT + dt.timedelta(days=2))
    assert review.status == ReviewStatus.ASK_RED_FLAGS  # a decision does not answer the question
    assert "bladder function" in review.reason
    answered = case.with_visit(parse_case(case_dict(red=red, visits=[
        {"date": (VISIT + dt.timedelta(days=3)).isoformat(),
         "red_flags": {"urinary_retention_or_incontinence": "no"}}])).visits[0])
    assert surgical_review(answered, VISIT + dt.timedelta(days=3)).status == ReviewStatus.SNOOZED


# --------------------------------------------------------------------------- UMN signs
@pytest.mark.parametrize("exam, sign", [
    (Examination(reflexes={"patellar": "brisk"}), "patellar reflex brisk"),
    (Examination(plantar="extensor"), "Babinski"),
    (Examination(clonus="present"), "clonus"),
])
def test_upper_motor_neurone_signs_are_not_radiculopathy(exam, sign):
    r = triage(no_flags(), {}, age=50, examination=exam)
    assert r.tier == "urgent"
    assert "not radiculopathy" in r.headline()
    action = r.actions[0].text
    assert "do not manage this as sciatica" in action and "MRI of the cervical and thoracic spine" in action
    assert sign in " ".join(r.hits[0].reasons)


def test_upper_motor_neurone_signs_with_progression_are_an_emergency():
    r = triage(no_flags(progressive_neurological_deficit="yes"), {}, age=50, examination=Examination(clonus="present"))
    assert r.tier == "emergency" and "spinal cord compression" in r.headline()


@pytest.mark.parametrize("exam", [
    Examination(reflexes={"patellar": "normal", "achilles": "reduced"}),
    Examination(plantar="flexor", clonus="absent"),
    Examination(plantar="equivocal"),
])
def test_lower_motor_neurone_or_normal_findings_are_not_flagged_as_umn(exam):
    assert "upper_motor_neurone" not in triage(no_flags(), {}, age=50, examination=exam).categories


# --------------------------------------------------------------------------- visits -> medicines
def test_fever_answered_yes_at_a_follow_up_visit_reaches_the_medicine_rules():
    visit_day = VISIT + dt.timedelta(days=10)
    case = parse_case(case_dict(visits=[{"date": visit_day.isoformat(), "red_flags": {"fever": "yes"}}]))
    before = assess_case(case, VISIT)
    after = assess_case(case, visit_day)
    def prednisone(a):
        return next(r for r in a.medications.rows if r.drug == "prednisone")
    assert not any("fever" in r.text for r in prednisone(before).reasons)
    assert prednisone(after).status != "ok"
    assert any("fever" in r.text for r in prednisone(after).reasons)
    assert after.triage.tier in ("urgent", "emergency")
