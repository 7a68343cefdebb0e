"""The uk profile's injections step follows NICE NG59's epidural recommendation (path14):

    "Consider epidural injections of local anaesthetic and steroid in people with acute and
    severe sciatica." (NICE NG59, invasive treatments: spinal injections; the wording as quoted
    by the Academy of Medical Royal Colleges' Evidence-Based Interventions guidance, "should be
    considered in patients who have acute and severe lumbar radiculopathy"; NICE's own page
    could not be read in full, so the data marks it [unverified].)

NICE does not define "acute" in weeks; the app reads it as before 12 weeks, its acute and
subacute phases (ACP 2017: chronic is more than 12 weeks, ``domain.phase``). In the chronic
phase the step is not offered by this guideline and says so with its source; the us profile
(NASS 2012, persistent radicular pain) is unchanged. Boundaries: day 84 since onset (12 weeks,
still subacute) and day 85 (chronic).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.guideline import PathwayContext, evaluate_pathway, load_guideline
from radiculopathy_desktop.domain.phase import phase_name

CONSERVATIVE = frozenset({"advice_self_management", "stay_active", "exercise_therapy", "nsaid", "imaging_mri"})


def _pathway(profile: str, days_since_onset: int, **kw):
    base = dict(phase=phase_name(days_since_onset), days_since_onset=days_since_onset,
                days_since_care_start=days_since_onset - 7, improving=False, would_consider_intervention="yes",
                treatments_tried=CONSERVATIVE)
    base.update(kw)
    return evaluate_pathway(load_guideline(profile), PathwayContext(**base))


@pytest.mark.parametrize("days", [20, 83, 84])
def test_uk_epidural_is_considered_before_12_weeks(days):
    r = _pathway("uk", days)
    step = r.step("injections")
    assert phase_name(days) in ("acute", "subacute")
    assert step.state == "current" and r.current_step_id == "injections"
    assert "epidural_steroid_injection" in [rec.id for rec in step.recommendations]
    assert "epidural_chronic_not_offered" not in [rec.id for rec in step.recommendations]


@pytest.mark.parametrize("days", [85, 86, 200])
def test_uk_epidural_is_not_offered_in_the_chronic_phase_and_the_step_says_why(days):
    r = _pathway("uk", days)
    step = r.step("injections")
    assert phase_name(days) == "chronic"
    assert step.state == "not_applicable"
    assert any(w.startswith("Phase is chronic; this applies to acute or subacute only") for w in step.why)
    reason = next(w for w in step.why if w.startswith("Not offered by this guideline"))
    assert "only in people with acute and severe sciatica" in reason and "NICE NG59" in reason
    # not "the patient would not consider an injection": they would
    assert not any("would not consider" in w for w in step.why)
    ids = [rec.id for rec in step.recommendations]
    assert "epidural_steroid_injection" not in ids and "epidural_chronic_not_offered" in ids
    (chronic,) = [rec for rec in step.recommendations if rec.id == "epidural_chronic_not_offered"]
    assert chronic.direction == "not_recommended" and not chronic.direction.offers
    assert [s.source_id for s in chronic.sources] == ["nice_ng59"]
    # the pathway moves on to the surgical opinion, not to an injection NICE does not recommend
    assert r.current_step_id == "surgical_opinion"


def test_uk_chronic_and_would_not_consider_gives_both_reasons():
    step = _pathway("uk", 90, would_consider_intervention="no").step("injections")
    assert step.state == "not_applicable"
    assert any(w.startswith("Not offered by this guideline") for w in step.why)
    assert "The patient would not consider an injection or surgery; revisit if that changes." in step.why


def test_uk_subacute_would_not_consider_gives_only_that_reason():
    step = _pathway("uk", 60, would_consider_intervention="no").step("injections")
    assert step.state == "not_applicable"
    assert step.why[-1] == "The patient would not consider an injection or surgery; revisit if that changes."
    assert not any(w.startswith("Not offered by this guideline") for w in step.why)


def test_us_profile_still_offers_the_injection_for_persistent_pain_in_the_chronic_phase():
    """NASS 2012 (us): a transforaminal epidural steroid injection is an option for persistent
    radicular pain; nothing about the acute phase: the us step is unchanged."""
    step = _pathway("us", 120).step("injections")
    assert step.state == "current"
    assert "epidural_steroid_injection" in [rec.id for rec in step.recommendations]


def test_a_reason_table_must_word_every_condition(tmp_path):
    """The loader refuses a ``reason_if_not`` table that leaves a condition unworded."""
    from radiculopathy_desktop.domain.guideline import GuidelineError

    import shutil
    from pathlib import Path

    import radiculopathy_desktop.resources as res

    folder = tmp_path / "guidelines"
    shutil.copytree(Path(res.resource_path("guidelines")), folder)
    uk = folder / "uk.toml"
    text = uk.read_text(encoding="utf-8")
    broken = text.replace('would_consider_intervention = "The patient would not consider an injection or surgery; '
                          'revisit if that changes."\n', "", 1)
    assert broken != text
    uk.write_text(broken, encoding="utf-8")
    with pytest.raises(GuidelineError, match="would_consider_intervention"):
        load_guideline("uk", folder)
