"""Imaging advice: not now, now (which study, contrast or not), or after 6 weeks for candidates.

Cases are written from shared/clinical/REFERENCE.md (ACR AC 2021 variants, ACP 2011,
ACP/APS 2007, Choosing Wisely, NICE NG59 1.1.4-1.1.6, the red-flag routes).
"""

from __future__ import annotations

import itertools

import pytest

from radiculopathy_desktop.domain.guideline import PathwayContext, advise_imaging, evaluate_pathway, load_guideline

PROFILES = ("us", "uk")


def ctx(**kw) -> PathwayContext:
    base = dict(phase="acute", days_since_onset=3, days_since_care_start=0)
    base.update(kw)
    for key in ("treatments_tried", "red_flag_categories"):
        if key in base:
            base[key] = frozenset(base[key])
    return PathwayContext(**base)


def persistent(days: int = 49, **kw) -> PathwayContext:
    """Sciatica not improving after ``days`` of conservative care, patient would accept surgery."""
    base = dict(
        phase="subacute" if days + 7 <= 84 else "chronic",
        days_since_onset=days + 7,
        days_since_care_start=days,
        improving=False,
        would_consider_intervention="yes",
        treatments_tried={"advice_self_management", "nsaid", "exercise_therapy"},
    )
    base.update(kw)
    return ctx(**base)


def imaging(profile: str, c: PathwayContext):
    return evaluate_pathway(load_guideline(profile), c).imaging


def source_ids(advice) -> set[str]:
    return {s.source_id for s in advice.sources}


# --- No red flags -------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_day_3_uncomplicated_sciatica_imaging_not_indicated(profile):
    advice = imaging(profile, ctx())
    assert advice.decision == "not_indicated"
    assert advice.study is None and advice.contrast is None
    assert advice.urgency == "routine"
    assert advice.review_after_days == 42
    assert advice.sources


def test_us_early_no_imaging_cites_acr_variants_1_2_and_choosing_wisely():
    advice = imaging("us", ctx())
    sections = {(s.source_id, s.section) for s in advice.sources}
    assert ("acr2021", "Variants 1-2") in sections
    assert "choosingwisely_nass" in source_ids(advice)


def test_uk_early_no_imaging_cites_nice_1_1_4_to_1_1_6():
    advice = imaging("uk", ctx())
    assert any(s.source_id == "nice_ng59" and "1.1.4" in s.section for s in advice.sources)
    assert "non-specialist setting" in advice.reason


@pytest.mark.parametrize("profile", PROFILES)
def test_seven_weeks_persistent_would_accept_surgery_consider_mri_without_contrast(profile):
    advice = imaging(profile, persistent(49))
    assert advice.decision == "consider_after_6_weeks"
    assert "MRI of the lumbar spine without IV contrast" in advice.study
    assert advice.contrast is False
    assert "acr2021" in source_ids(advice)


@pytest.mark.parametrize("profile", PROFILES)
def test_six_week_boundary_day_41_is_not_yet_day_42_is(profile):
    assert imaging(profile, persistent(41)).decision == "not_indicated"
    assert imaging(profile, persistent(42)).decision == "consider_after_6_weeks"


@pytest.mark.parametrize("profile", PROFILES)
def test_no_imaging_when_the_result_would_not_change_management(profile):
    advice = imaging(profile, persistent(70, would_consider_intervention="no"))
    assert advice.decision == "not_indicated"
    assert "would not consider" in advice.reason


@pytest.mark.parametrize(
    "kw,words",
    [
        (dict(improving=True), "Improving"),
        (dict(improving=None), "no follow-up"),
        (dict(would_consider_intervention="unknown"), "ask"),
    ],
)
@pytest.mark.parametrize("profile", PROFILES)
def test_after_6_weeks_mri_needs_persistence_and_a_willing_candidate(profile, kw, words):
    advice = imaging(profile, persistent(56, **kw))
    assert advice.decision == "not_indicated"
    assert words in advice.reason


@pytest.mark.parametrize("profile", PROFILES)
def test_previous_lumbar_surgery_uses_acr_variant_5_with_contrast(profile):
    # ACR 2021 Variant 5 (prior lumbar surgery, new or progressing symptoms): MRI without and with
    # IV contrast is usually appropriate (checked against ACR's variant list and summary).
    advice = imaging(profile, persistent(60, prior_lumbar_surgery=True))
    assert advice.decision == "consider_after_6_weeks"
    assert advice.contrast is True and "without and with IV contrast" in advice.study
    assert any(s.source_id == "acr2021" and s.section == "Variant 5" for s in advice.sources)
    assert advice.verified is True and "prior lumbar surgery" in advice.evidence_note


def test_age_over_50_adds_a_note_not_a_different_decision():
    at_50 = imaging("us", ctx(age=50))
    at_51 = imaging("us", ctx(age=51))
    assert at_50.notes == ()
    assert [n.id for n in at_51.notes] == ["age_over_50"]
    assert at_51.decision == at_50.decision == "not_indicated"


# --- Red flags: image now, whatever the clock ------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_cauda_equina_emergency_mri_on_day_1(profile):
    advice = imaging(profile, ctx(days_since_onset=1, tier="emergency", red_flag_categories={"cauda_equina"}))
    assert advice.decision == "indicated_now"
    assert advice.urgency == "emergency"
    assert advice.study.startswith("Emergency MRI")
    assert advice.review_after_days is None


def test_uk_cauda_equina_route_names_the_4_hour_standard():
    advice = imaging("uk", ctx(tier="emergency", red_flag_categories={"cauda_equina"}))
    assert "within 4 hours" in advice.reason and "24/7 MRI" in advice.study
    assert "girft_sbns_bass_ces" in source_ids(advice)


@pytest.mark.parametrize("profile", PROFILES)
def test_history_of_cancer_with_weight_loss_mri_with_and_without_contrast(profile):
    # triage turns history of cancer + unexplained weight loss into the malignancy category, urgent
    advice = imaging(profile, ctx(tier="urgent", red_flag_categories={"malignancy"}, age=62))
    assert advice.decision == "indicated_now"
    if profile == "us":
        assert advice.study == "MRI of the lumbar spine without and with IV contrast"
    else:
        # NICE QS56 statement 2 (aligned with NG234): suspected spinal metastases -> whole spine
        assert advice.study.startswith("MRI without and with IV contrast")
        assert "whole spine when cancer is known" in advice.study
    assert advice.contrast is True
    assert any(s.source_id == "acr2021" and s.section == "Variant 7" for s in advice.sources)


def test_us_malignancy_route_also_shows_the_acp_2011_radiograph_and_esr_option():
    advice = imaging("us", ctx(tier="urgent", red_flag_categories={"malignancy"}))
    assert "radiographs plus ESR" in advice.reason
    assert "acp2011" in source_ids(advice)


def test_uk_malignancy_with_neurological_signs_is_an_emergency_within_24_hours():
    advice = imaging("uk", ctx(tier="emergency", red_flag_categories={"malignancy", "progressive_deficit"}))
    assert advice.rule_id == "malignancy_with_neurological_signs"
    assert advice.urgency == "emergency" and "24 hours" in advice.reason
    # NICE QS56 statement 3 (September 2023, aligned with NG234): whole-spine MRI within 24 hours
    assert "whole spine" in advice.study
    assert advice.verified is True
    assert any(s.source_id == "nice_qs56" and s.section == "Quality statement 3" for s in advice.sources)
    # QS56 statement 2: spinal pain suggestive of metastases, no neurological signs -> within 1 week
    pain_only = imaging("uk", ctx(tier="urgent", red_flag_categories={"malignancy"}))
    assert pain_only.rule_id == "malignancy" and "1 week" in pain_only.reason
    assert "whole spine" in pain_only.reason and "whole spine" in pain_only.study
    assert pain_only.verified is True
    assert any(s.source_id == "nice_qs56" and s.section == "Quality statement 2" for s in pain_only.sources)


@pytest.mark.parametrize("profile", PROFILES)
def test_infection_mri_with_contrast_and_emergency_when_triaged_so(profile):
    urgent = imaging(profile, ctx(tier="urgent", red_flag_categories={"infection"}))
    assert urgent.contrast is True and urgent.urgency == "urgent"
    assert "blood cultures" in urgent.reason
    septic = imaging(profile, ctx(tier="emergency", red_flag_categories={"infection"}))
    assert septic.urgency == "emergency"  # infection with deficit or sepsis is an emergency
    assert septic.study == urgent.study


@pytest.mark.parametrize("profile", PROFILES)
def test_fracture_radiograph_ct_or_mri_per_acr_variant_6(profile):
    advice = imaging(profile, ctx(tier="urgent", red_flag_categories={"fracture"}, age=78))
    assert advice.decision == "indicated_now"
    assert "Radiographs" in advice.study and "CT" in advice.study and "MRI" in advice.study
    assert any(s.source_id == "acr2021" and s.section == "Variant 6" for s in advice.sources)


@pytest.mark.parametrize("flag", ["severe_motor_deficit", "progressive_deficit"])
@pytest.mark.parametrize("profile", PROFILES)
def test_motor_deficit_same_day_mri(profile, flag):
    advice = imaging(profile, ctx(tier="urgent", red_flag_categories={flag}))
    assert advice.decision == "indicated_now"
    assert advice.urgency == "urgent"
    assert "MRI" in advice.study and "same-day" in advice.reason


def test_cauda_equina_takes_precedence_and_other_suspicions_are_listed():
    advice = imaging("us", ctx(tier="emergency", red_flag_categories={"infection", "cauda_equina"}))
    assert advice.rule_id == "cauda_equina"
    assert any(a.startswith("infection") and "contrast" in a for a in advice.also_suspected)


def test_urgent_tier_without_a_category_still_images_now():
    advice = imaging("us", ctx(tier="urgent"))
    assert advice.decision == "indicated_now"
    assert advice.rule_id == "red_flag_unspecified"


# --- Consistency ------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_imaging_step_opens_exactly_when_imaging_advice_says_consider(profile):
    """The ladder's imaging step and the imaging advice must never contradict each other."""
    g = load_guideline(profile)
    grid = itertools.product(
        (0, 20, 41, 42, 60, 100),
        (True, False, None),
        ("yes", "no", "unknown"),
        (None, False),
    )
    checked = 0
    for days, improving, willing, prior in grid:
        c = ctx(
            phase="acute" if days < 28 else ("subacute" if days < 84 else "chronic"),
            days_since_onset=days + 3,
            days_since_care_start=days,
            improving=improving,
            would_consider_intervention=willing,
            prior_lumbar_surgery=prior,
            treatments_tried={"advice_self_management", "exercise_therapy", "nsaid", "epidural_steroid_injection"},
        )
        result = evaluate_pathway(g, c)
        step_open = result.step("imaging").state == "current"
        assert step_open == (result.imaging.decision == "consider_after_6_weeks"), (days, improving, willing)
        checked += 1
    assert checked == 6 * 3 * 3 * 2


@pytest.mark.parametrize("profile", PROFILES)
def test_advise_imaging_matches_the_pathway_result(profile):
    g = load_guideline(profile)
    c = persistent(50)
    assert advise_imaging(g, c) == evaluate_pathway(g, c).imaging


@pytest.mark.parametrize("profile", PROFILES)
def test_no_second_mri_advised_once_one_has_been_done(profile):
    tried = {"advice_self_management", "nsaid", "exercise_therapy", "imaging_mri"}
    advice = imaging(profile, persistent(60, treatments_tried=tried))
    assert advice.decision == "not_indicated" and advice.rule_id == "already_imaged"
    # red flags still override: a new cauda equina picture is imaged again at once
    urgent = imaging(profile, persistent(60, treatments_tried=tried, tier="emergency",
                                         red_flag_categories={"cauda_equina"}))
    assert urgent.decision == "indicated_now"
