"""The stepped pathway's order and step states against the guideline text (rd13 D13).

Sources quoted in the tests:

* ACP/APS 2007 (Chou et al., Ann Intern Med 2007;147:478-491), Recommendation 4: "Patients with
  persistent low back pain and signs or symptoms of radiculopathy or spinal stenosis should
  undergo MRI or CT only if positive results would potentially lead to surgery or epidural
  steroid injection for suspected radiculopathy."
* NICE NG59 1.1.4: "Do not routinely offer imaging in a non-specialist setting for people with
  low back pain with or without sciatica." 1.1.5: "Explain ... that if they are being referred
  for specialist opinion, they may not need imaging." 1.1.6: "Consider imaging in specialist
  settings of care ... only if the result is likely to change management."
* NICE NG59 epidurals: "Consider epidural injections of local anaesthetic and steroid in people
  with acute and severe sciatica." Research recommendation NG59/4: "Caudal epidural injection can
  be done without imaging" (a transforaminal one needs imaging).
* NICE NG59 spinal decompression: "Consider spinal decompression for people with sciatica when
  non-surgical treatment has not improved pain or function and their radiological findings are
  consistent with sciatic symptoms."
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.guideline import (
    STEP_IDS, GuidelineError, PathwayContext, evaluate_pathway, load_guideline,
)
from radiculopathy_desktop.domain.intake import parse_case
from tests.domain.test_guideline import content  # noqa: F401  (the copied-content fixture)

CONSERVATIVE = {"advice_self_management", "stay_active", "exercise_therapy", "nsaid"}


def ctx(**kw) -> PathwayContext:
    base = dict(phase="subacute", days_since_onset=70, days_since_care_start=63, improving=False,
                would_consider_intervention="yes", treatments_tried=frozenset(CONSERVATIVE))
    base.update(kw)
    base["treatments_tried"] = frozenset(base["treatments_tried"])
    return PathwayContext(**base)


def states(result) -> dict[str, str]:
    return {s.id: s.state for s in result.steps}


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_imaging_is_listed_before_injections_and_surgery(profile):
    g = load_guideline(profile)
    assert [s.id for s in g.steps] == list(STEP_IDS)
    assert STEP_IDS.index("imaging") < STEP_IDS.index("injections") < STEP_IDS.index("surgical_opinion")
    assert [s.order for s in g.steps] == [1, 2, 3, 4, 5, 6]


# --- us: ACP/APS 2007 Recommendation 4: MRI before the injection or surgery ---------------------


def test_us_candidate_at_week_9_not_imaged_gets_the_mri_first_then_the_injection():
    """rd13 D13's case: persistent radiculopathy, 63 days, not improving, would consider an
    injection, no MRI: the MRI is the step now; the injection is next and says it needs the MRI."""
    r = evaluate_pathway(load_guideline("us"), ctx())
    assert r.current_step_id == "imaging"
    s = states(r)
    assert s["injections"] == "next" and s["surgical_opinion"] == "later"
    inj = r.step("injections")
    assert inj.why[0].startswith("Needs step 4 (Imaging) first: MRI of the lumbar spine showing a lesion that "
                                 "matches the symptoms")
    assert "candidates for surgery or an epidural steroid injection" in inj.why[0]
    assert r.step("surgical_opinion").why[0].startswith("Needs step 4 (Imaging) first")
    # the prerequisite is cited to the guideline that sets it
    pre = load_guideline("us").step("injections").needs_first
    assert pre.blocks and [x.label for x in pre.sources][0] == "ACP/APS 2007, Recommendation 4"


def test_us_mri_done_opens_the_injection_and_asks_for_a_matching_lesion():
    r = evaluate_pathway(load_guideline("us"), ctx(treatments_tried=CONSERVATIVE | {"imaging_mri"}))
    assert r.current_step_id == "injections"
    assert states(r)["imaging"] == "done"
    assert any(w == "Imaging done: check that the MRI shows a lesion matching the symptoms and their level "
                    "before an injection." for w in r.step("injections").why)
    assert not any(w.startswith("Needs step") for w in r.step("injections").why)


def test_us_surgery_after_mri_and_injection():
    r = evaluate_pathway(load_guideline("us"),
                         ctx(treatments_tried=CONSERVATIVE | {"imaging_mri", "epidural_steroid_injection"}))
    assert r.current_step_id == "surgical_opinion"
    assert any("MRI shows a lesion matching the symptoms before discussing surgery" in w
               for w in r.step("surgical_opinion").why)


@pytest.mark.parametrize("days,imaging_state", [(41, "next"), (42, "current")])
def test_us_before_6_weeks_no_injection_without_mri_and_mri_not_yet_indicated(days, imaging_state):
    """ACR / Choosing Wisely: no advanced imaging in the first 6 weeks without red flags; the
    injection, which needs the MRI, is therefore not current either (boundary: day 41 / day 42)."""
    r = evaluate_pathway(load_guideline("us"), ctx(days_since_care_start=days))
    s = states(r)
    assert s["imaging"] == imaging_state
    assert s["injections"] != "current"
    if days == 41:
        assert r.current_step_id == "medicines"  # continue the step already tried, and review
        assert any("continue this step" in w for w in r.step("medicines").why)


def test_us_intervention_not_asked_mri_not_indicated_so_no_injection_yet():
    """ACP/APS 2007: MRI only if it would potentially lead to surgery or an injection; when the
    patient has not said whether they would consider one, neither the MRI nor the injection is now."""
    r = evaluate_pathway(load_guideline("us"), ctx(would_consider_intervention="unknown"))
    s = states(r)
    assert s["imaging"] in ("next", "later") and s["injections"] in ("next", "later")
    assert r.current_step_id == "medicines"
    assert r.step("injections").why[0].startswith("Needs step 4 (Imaging) first")


def test_us_chronic_phase_is_still_blocked_without_mri():
    r = evaluate_pathway(load_guideline("us"), ctx(phase="chronic", days_since_onset=200, days_since_care_start=150))
    assert r.current_step_id == "imaging" and states(r)["injections"] == "next"


def test_improving_patient_steps_to_neither_mri_nor_injection():
    for profile in ("us", "uk"):
        r = evaluate_pathway(load_guideline(profile), ctx(improving=True))
        s = states(r)
        assert s["imaging"] != "current" and s["injections"] != "current"


# --- uk: NICE NG59 ------------------------------------------------------------------------------


def test_uk_acute_severe_sciatica_epidural_needs_no_imaging_first():
    """NICE: 'Consider epidural injections ... in people with acute and severe sciatica'; a caudal
    epidural 'can be done without imaging' (NG59/4): within 6 weeks, not settling, the injection
    is current although no imaging is done, and imaging (not indicated yet) is later."""
    r = evaluate_pathway(load_guideline("uk"), ctx(phase="acute", days_since_onset=20, days_since_care_start=14))
    assert r.current_step_id == "injections"
    assert states(r)["imaging"] == "later"
    assert not any(w.startswith("Needs step") for w in r.step("injections").why)
    assert load_guideline("uk").step("injections").needs_first is None


def test_uk_not_settling_after_6_weeks_imaging_is_listed_and_due_first():
    r = evaluate_pathway(load_guideline("uk"), ctx())
    assert r.current_step_id == "imaging"
    assert states(r)["injections"] == "next"


def test_uk_surgical_referral_is_not_held_back_for_imaging_but_says_what_decompression_needs():
    """NICE 1.1.5: someone referred for a specialist opinion 'may not need imaging'; decompression
    needs 'radiological findings ... consistent with sciatic symptoms'."""
    tried = CONSERVATIVE | {"epidural_steroid_injection"}
    r = evaluate_pathway(load_guideline("uk"), ctx(phase="acute", days_since_onset=25, days_since_care_start=20,
                                                    treatments_tried=tried))
    assert r.current_step_id == "surgical_opinion"
    why = r.step("surgical_opinion").why
    assert any(w.startswith("Not done yet: imaging.") and "consistent with the sciatic symptoms" in w for w in why)
    imaged = evaluate_pathway(load_guideline("uk"), ctx(treatments_tried=tried | {"imaging_mri"}))
    assert imaged.current_step_id == "surgical_opinion"
    assert any(w.startswith("Imaging done: check that the imaging findings are consistent") for w in
               imaged.step("surgical_opinion").why)


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_would_not_consider_intervention_no_imaging_injection_or_surgery(profile):
    r = evaluate_pathway(load_guideline(profile), ctx(would_consider_intervention="no"))
    s = states(r)
    assert {s["imaging"], s["injections"], s["surgical_opinion"]} == {"not_applicable"}
    assert not any(w.startswith("Needs step") for w in r.step("injections").why)


# --- medicines step: "review", not "done", when a medicine taken now has an alert ---------------


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_medicine_with_an_alert_makes_the_medicines_step_review_naming_it(profile):
    r = evaluate_pathway(load_guideline(profile), ctx(
        treatments_current=frozenset({"gabapentinoid"}),
        treatments_tried=CONSERVATIVE | {"gabapentinoid"},
        treatments_to_review=(("gabapentinoid", "gabapentin: reduce dose"),)))
    med = r.step("medicines")
    assert med.state == "review"
    assert med.why[0] == "Review: gabapentin: reduce dose (see the medicine alerts)"
    # boundary: the same patient without the alert: done
    ok = evaluate_pathway(load_guideline(profile), ctx(treatments_current=frozenset({"gabapentinoid"}),
                                                       treatments_tried=CONSERVATIVE | {"gabapentinoid"}))
    assert ok.step("medicines").state == "done"


def test_an_alert_on_a_medicine_of_no_step_changes_no_step():
    r = evaluate_pathway(load_guideline("us"), ctx(treatments_to_review=(("epidural_steroid_injection", "x: avoid"),)))
    assert states(r)["medicines"] == "done"


def test_review_stays_visible_under_red_flags():
    r = evaluate_pathway(load_guideline("us"), ctx(
        tier="urgent", red_flag_categories=frozenset({"malignancy"}),
        treatments_to_review=(("nsaid", "ibuprofen: avoid (with apixaban)"),)))
    assert r.step("medicines").state == "review"


def test_review_words_are_checked():
    with pytest.raises(ValueError, match="treatments_to_review"):
        ctx(treatments_to_review=(("not_a_code", "x"),))
    with pytest.raises(ValueError, match="treatments_to_review"):
        ctx(treatments_to_review=(("nsaid", ""),))


# --- the loader ---------------------------------------------------------------------------------


def test_a_prerequisite_must_be_an_earlier_step(content):  # noqa: F811
    path = content / "us.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('[step.needs_first]\nstep = "imaging"', '[step.needs_first]\nstep = "surgical_opinion"', 1),
                    encoding="utf-8")
    with pytest.raises(GuidelineError, match="needs_first.*step must be a step before this one"):
        load_guideline("us", content)


def test_a_prerequisite_needs_a_source(content):  # noqa: F811
    path = content / "us.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('sources = ["acpaps2007#Recommendation 4", "acr2021#Variant 3"]\n\n[[step.entry]]',
                                 '\n[[step.entry]]', 1), encoding="utf-8")
    with pytest.raises(GuidelineError, match="needs_first"):
        load_guideline("us", content)


# --- the whole assessment: the rd13 example --------------------------------------------------------


def test_rd13_s1_example_shows_review_mri_now_then_injection():
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    case = parse_case(json.loads((root / "resources/examples/routine_s1_follow_up_due.json").read_text()))
    a = assess_case(case, dt.date(2026, 11, 30), profile="us").to_dict()
    s = {x["id"]: x for x in a["pathway"]["steps"]}
    assert [x["id"] for x in a["pathway"]["steps"]][3:] == ["imaging", "injections", "surgical_opinion"]
    assert s["medicines"]["state"] == "review"
    assert s["medicines"]["why"][0] == "Review: gabapentin: reduce dose (see the medicine alerts)"
    assert a["pathway"]["current_step_id"] == "imaging"
    assert s["injections"]["state"] == "next"
    assert a["medicine_alerts"][0]["status"] == "reduce_dose"
