"""The stepped guideline: content checks, the ladder for clinical cases, and the strict loader.

Cases are written from shared/clinical/REFERENCE.md, not from the code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.guideline import (
    STEP_IDS,
    GuidelineError,
    PathwayContext,
    evaluate_pathway,
    load_guideline,
)
from radiculopathy_desktop.domain.vocabulary import TREATMENTS
from radiculopathy_desktop.resources import resource_path

PROFILES = ("us", "uk")
GUIDELINES = resource_path("guidelines")


def ctx(**kw) -> PathwayContext:
    base = dict(phase="acute", days_since_onset=3, days_since_care_start=0)
    base.update(kw)
    if "treatments_tried" in base:
        base["treatments_tried"] = frozenset(base["treatments_tried"])
    if "red_flag_categories" in base:
        base["red_flag_categories"] = frozenset(base["red_flag_categories"])
    return PathwayContext(**base)


def states(result) -> dict[str, str]:
    return {s.id: s.state for s in result.steps}


def rec(guideline, step_id, rec_id):
    return next(r for r in guideline.step(step_id).recommendations if r.id == rec_id)


# --- Content -----------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_both_profiles_load_with_six_steps_in_order(profile):
    g = load_guideline(profile)
    assert g.profile == profile
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", g.content_version)
    assert tuple(s.id for s in g.steps) == STEP_IDS
    assert all(s.recommendations for s in g.steps)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_step_recommendation_position_and_imaging_rule_has_a_source(profile):
    g = load_guideline(profile)
    cited = []
    for step in g.steps:
        cited.append((step.id, step.sources))
        for r in step.recommendations:
            cited.append((f"{step.id}.{r.id}", r.sources))
            for c in r.cautions:
                cited.append((f"{step.id}.{r.id} caution", c.sources))
    for d in g.disagreements:
        for p in d.positions:
            cited.append((f"{d.id}: {p.holder}", p.sources))
    for rule in (*g.red_flag_imaging, *g.routine_imaging):
        cited.append((rule.id, rule.sources))
    for where, sources in cited:
        assert sources, f"{where} has no source"
        for s in sources:
            assert s.section and s.guideline, where
            assert s.year is not None or s.kind == "local_pathway", where


@pytest.mark.parametrize("profile", PROFILES)
def test_treatment_codes_in_content_are_from_the_vocabulary(profile):
    g = load_guideline(profile)
    for step in g.steps:
        assert step.done_when_tried <= TREATMENTS.keys()
        for r in step.recommendations:
            assert set(r.treatments) <= TREATMENTS.keys()


@pytest.mark.parametrize("profile", PROFILES)
def test_unverified_items_say_so_in_their_evidence_note(profile):
    g = load_guideline(profile)
    unverified = [r for _, r in g.recommendations() if not r.verified]
    assert unverified, "REFERENCE.md flags items as unverified; some content must carry that flag"
    for r in unverified:
        assert "[unverified" in r.evidence_note.lower()
    for doc in g.source_documents.values():
        if not doc.verified:
            assert "[unverified" in doc.note.lower()


def test_required_disagreements_are_present_in_both_profiles():
    required = {
        "gabapentinoids",
        "oral_corticosteroids",
        "acetaminophen_first_line",
        "imaging_timing",
        "surgical_window",
        "muscle_relaxants",
    }
    for profile in PROFILES:
        ids = {d.id for d in load_guideline(profile).disagreements}
        assert required <= ids, profile
    for d in load_guideline("us").disagreements:
        assert len(d.positions) >= 2
        # each disagreement sets at least two different sources against each other
        assert len({s.source_id for p in d.positions for s in p.sources}) >= 2


def test_surgical_window_disagreement_traces_6_12_weeks_to_peul_not_acp_aps():
    g = load_guideline("us")
    d = next(d for d in g.disagreements if d.id == "surgical_window")
    by_holder = {p.holder: {s.source_id for s in p.sources} for p in d.positions}
    seed = next(h for h in by_holder if h.startswith("Seed"))
    assert by_holder[seed] == {"seed1"}
    origin = next(h for h in by_holder if "Peul" in h)
    assert "peul2007" in by_holder[origin]
    assert any("nass2012" in ids for ids in by_holder.values())
    assert any("nice_ng59" in ids for ids in by_holder.values())
    texts = " ".join(p.text for p in d.positions)
    assert "no 6-12 week rule" in texts and "no time threshold" in texts.lower()
    assert d in g.step("surgical_opinion").disagreements


def test_uk_never_offers_gabapentinoids_or_oral_steroids_and_shows_the_seed_position():
    g = load_guideline("uk")
    for _, r in g.recommendations():
        if {"gabapentinoid", "oral_corticosteroid"} & set(r.treatments):
            assert r.direction == "do_not_offer", r.id
    for rec_id, topic in (("gabapentinoid", "gabapentinoids"), ("oral_corticosteroid", "oral_corticosteroids")):
        r = rec(g, "medicines", rec_id)
        assert any(s.source_id == "nice_ng59_2020" and s.year == 2020 for s in r.sources)
        (d,) = [d for d in r.disagreements if d.id == topic]
        seed_positions = [p for p in d.positions if any(s.is_seed for s in p.sources)]
        nice_positions = [p for p in d.positions if any(s.source_id == "nice_ng59_2020" for s in p.sources)]
        assert seed_positions and nice_positions
        assert nice_positions[0].stance == "do not offer"


def test_us_shows_gabapentinoids_as_disputed_with_both_positions_not_as_a_recommendation():
    g = load_guideline("us")
    r = rec(g, "medicines", "gabapentinoid")
    assert r.direction == "disputed"
    assert {"seed1", "mathieson2017"} <= {s.source_id for s in r.sources}
    (d,) = r.disagreements
    holders = " / ".join(p.holder for p in d.positions)
    assert "Seed" in holders and "NICE" in holders and "PRECISE" in holders
    assert "[unverified]" in " ".join(p.text for p in d.positions)  # the IASP attribution


def test_prednisone_taper_is_disputed_and_cites_goldberg_numbers():
    g = load_guideline("us")
    r = rec(g, "medicines", "oral_corticosteroid")
    assert r.direction == "disputed"
    assert "60 mg" in r.text and "ODI 6.4" in r.text
    assert "goldberg2015" in {s.source_id for s in r.sources}


def test_acetaminophen_is_not_first_line_in_either_profile():
    us, uk = load_guideline("us"), load_guideline("uk")
    assert rec(us, "medicines", "acetaminophen").direction == "consider"
    assert "not the first-line" in rec(us, "medicines", "acetaminophen").text
    assert rec(uk, "medicines", "acetaminophen").direction == "do_not_offer"
    d = rec(us, "medicines", "acetaminophen").disagreements[0]
    assert d.id == "acetaminophen_first_line"
    assert any(s.source_id == "seed2" for p in d.positions for s in p.sources)


# --- The ladder --------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_day_3_acute_uncomplicated_sciatica_starts_with_self_care(profile):
    result = evaluate_pathway(load_guideline(profile), ctx())
    assert result.current_step_id == "self_care"
    assert result.overridden_by_red_flags is False
    assert states(result)["self_care"] == "current"
    assert states(result)["non_drug"] == "next"
    assert states(result)["surgical_opinion"] == "later"
    assert result.imaging.decision == "not_indicated"
    assert result.profile == profile and result.content_version


def test_us_after_self_care_non_drug_therapy_is_current():
    result = evaluate_pathway(load_guideline("us"), ctx(treatments_tried={"advice_self_management"}))
    assert states(result)["self_care"] == "done"
    assert result.current_step_id == "non_drug"
    assert states(result)["medicines"] == "next"


def test_improving_patient_is_not_stepped_up():
    result = evaluate_pathway(
        load_guideline("us"),
        ctx(days_since_onset=20, days_since_care_start=14, improving=True,
            treatments_tried={"advice_self_management", "stay_active"}),
    )
    assert result.current_step_id == "self_care"
    current = result.current_step
    assert any("continue" in w for w in current.why)
    assert states(result)["non_drug"] == "next"


def test_uk_stratifies_with_start_back():
    g = load_guideline("uk")
    tried = {"advice_self_management"}
    high = evaluate_pathway(g, ctx(start_back_risk="high", treatments_tried=tried))
    assert high.current_step_id == "non_drug"
    low = evaluate_pathway(g, ctx(start_back_risk="low", treatments_tried=tried))
    assert low.current_step_id != "non_drug"
    assert low.step("non_drug").state == "later"
    assert any("STarT Back: low risk" in w for w in low.step("non_drug").why)
    # a low-risk patient who is not improving steps up to non-drug therapy
    stuck = evaluate_pathway(g, ctx(start_back_risk="low", treatments_tried=tried, improving=False))
    assert stuck.current_step_id == "non_drug"


def test_seven_weeks_not_improving_would_accept_surgery_reaches_the_upper_steps():
    tried = {"advice_self_management", "exercise_therapy", "nsaid"}
    result = evaluate_pathway(
        load_guideline("us"),
        ctx(phase="subacute", days_since_onset=56, days_since_care_start=49, improving=False,
            would_consider_intervention="yes", treatments_tried=tried),
    )
    s = states(result)
    assert [s[k] for k in ("self_care", "non_drug", "medicines")] == ["done"] * 3
    # ACP/APS 2007: MRI for persistent radiculopathy only in candidates for surgery or an
    # epidural steroid injection: the MRI comes first, the injection after it (rd13 D13)
    assert result.current_step_id == "imaging"
    assert s["injections"] == "next"
    assert result.step("injections").why[0].startswith("Needs step 4 (Imaging) first")
    assert any(w.startswith("Indicated:") for w in result.step("surgical_opinion").why)
    assert result.imaging.decision == "consider_after_6_weeks"


def test_uk_surgical_opinion_has_no_time_window_but_needs_failed_non_surgical_care():
    g = load_guideline("uk")
    everything_but_surgery = {
        "advice_self_management", "exercise_therapy", "nsaid", "epidural_steroid_injection", "imaging_mri",
    }
    early = evaluate_pathway(
        g, ctx(days_since_care_start=20, days_since_onset=25, improving=False,
               would_consider_intervention="yes", treatments_tried=everything_but_surgery),
    )
    assert early.current_step_id == "surgical_opinion"  # NICE: no time threshold
    untried = evaluate_pathway(
        g, ctx(days_since_care_start=20, days_since_onset=25, improving=False,
               would_consider_intervention="yes", treatments_tried={"imaging_mri"}),
    )
    assert untried.current_step_id != "surgical_opinion"
    assert any("Not yet tried" in w for w in untried.step("surgical_opinion").why)


@pytest.mark.parametrize("profile", PROFILES)
def test_patient_who_would_not_consider_intervention_gets_no_injection_imaging_or_surgery_steps(profile):
    result = evaluate_pathway(
        load_guideline(profile),
        ctx(phase="chronic", days_since_onset=120, days_since_care_start=100, improving=False,
            would_consider_intervention="no"),
    )
    for step_id in ("injections", "imaging", "surgical_opinion"):
        assert result.step(step_id).state == "not_applicable"
        assert any("revisit" in w or "neither" in w for w in result.step(step_id).why)
    assert result.imaging.decision == "not_indicated"


@pytest.mark.parametrize("tier,flags", [("emergency", {"cauda_equina"}), ("urgent", {"malignancy"})])
def test_red_flags_override_the_ladder(tier, flags):
    result = evaluate_pathway(
        load_guideline("us"),
        ctx(tier=tier, red_flag_categories=flags, treatments_tried={"nsaid"}),
    )
    assert result.overridden_by_red_flags is True
    assert result.current_step_id is None
    assert result.resume_step_id == "self_care"
    assert "override every step and every clock" in result.override_message
    assert states(result)["medicines"] == "done"
    assert {v for k, v in states(result).items() if k != "medicines"} == {"not_applicable"}
    assert result.imaging.decision == "indicated_now"


def test_routine_tier_is_not_overridden():
    result = evaluate_pathway(load_guideline("uk"), ctx())
    assert result.overridden_by_red_flags is False
    assert result.override_message == ""


def test_recommendations_follow_the_phase():
    g = load_guideline("us")
    acute = {r.id for r in evaluate_pathway(g, ctx()).step("non_drug").recommendations}
    chronic = {
        r.id
        for r in evaluate_pathway(g, ctx(phase="chronic", days_since_onset=100, days_since_care_start=90))
        .step("non_drug")
        .recommendations
    }
    assert "acute_subacute_options" in acute and "chronic_options" not in acute
    assert "chronic_options" in chronic and "acute_subacute_options" not in chronic


def test_muscle_relaxant_caution_from_age_65_beers():
    g = load_guideline("us")
    old = evaluate_pathway(g, ctx(age=70)).step("medicines")
    young = evaluate_pathway(g, ctx(age=40)).step("medicines")
    relaxant = [c for c in old.cautions if c.recommendation_id == "muscle_relaxant"]
    assert len(relaxant) == 1 and "Beers" in relaxant[0].text
    # issue 18: NSAIDs and opioids carry an older-patient caution too (Beers; seed 2)
    assert {c.recommendation_id for c in old.cautions} == {"nsaid", "muscle_relaxant", "opioid"}
    assert young.cautions == ()
    assert evaluate_pathway(g, ctx(age=65)).step("medicines").cautions


def test_disagreements_reach_the_result_with_sources():
    result = evaluate_pathway(load_guideline("us"), ctx())
    ids = {d.id for d in result.disagreements()}
    assert {"gabapentinoids", "imaging_timing", "surgical_window"} <= ids
    imaging = result.to_dict()["steps"][STEP_IDS.index("imaging")]
    (d,) = [d for d in imaging["disagreements"] if d["id"] == "imaging_timing"]
    assert any(s["source_id"] == "seed2" for p in d["positions"] for s in p["sources"])


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, bool))


@pytest.mark.parametrize("profile", PROFILES)
def test_to_dict_is_plain_json_with_version_and_sources(profile):
    result = evaluate_pathway(
        load_guideline(profile),
        ctx(age=70, tier="urgent", red_flag_categories={"infection", "severe_motor_deficit"}),
    )
    data = result.to_dict()
    assert _plain(data)
    assert json.loads(json.dumps(data)) == data
    assert data["content_version"] == load_guideline(profile).content_version
    assert data["profile"] == profile
    for step in data["steps"]:
        for r in step["recommendations"]:
            assert r["sources"] and all({"guideline", "section", "year"} <= s.keys() for s in r["sources"])
    assert data["imaging"]["sources"]


def test_context_is_checked():
    with pytest.raises(ValueError, match="unknown treatment codes: physio"):
        ctx(treatments_tried={"physio"})
    with pytest.raises(ValueError, match="phase"):
        ctx(phase="hyperacute")
    with pytest.raises(ValueError, match="red-flag"):
        ctx(red_flag_categories={"vascular"})
    with pytest.raises(ValueError, match="days_since_care_start"):
        ctx(days_since_care_start=-1)


def test_loaded_guidelines_are_cached_and_evaluation_reads_nothing(monkeypatch):
    """Loaded once per profile; evaluating the pathway works from the loaded content alone
    (no file is opened, the same result every time). Its speed is measured in
    benchmarks/bench_assess.py, never in a timed test (the CI machine is loaded)."""
    g = load_guideline("us")
    assert load_guideline("us") is g
    c = ctx(phase="subacute", days_since_onset=50, days_since_care_start=45, improving=False,
            would_consider_intervention="yes", age=70, treatments_tried={"advice_self_management", "nsaid"})
    first = evaluate_pathway(g, c)

    def no_files(*args, **kwargs):
        raise AssertionError(f"evaluation opened a file: {args[:1]}")

    monkeypatch.setattr("builtins.open", no_files)
    monkeypatch.setattr(Path, "read_text", no_files)
    monkeypatch.setattr(Path, "read_bytes", no_files)
    assert [evaluate_pathway(g, c) for _ in range(3)] == [first] * 3
    assert load_guideline("us") is g


# --- The loader refuses bad content ---------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "guidelines"
    shutil.copytree(GUIDELINES, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_copied_content_loads(content):
    g = load_guideline("uk", content)
    assert g.content_version == load_guideline("uk").content_version
    assert load_guideline("uk", content.parent) is g  # the resources root is accepted too


def test_rejects_a_recommendation_without_a_source(content):
    edit(content / "uk.toml", 'sources = ["nice_ng59#Pharmacological management: paracetamol"]\n', "")
    with pytest.raises(GuidelineError) as err:
        load_guideline("uk", content)
    msg = str(err.value)
    assert "uk.toml" in msg and "'medicines'" in msg and "'acetaminophen'" in msg and "no source" in msg


def test_rejects_a_step_without_a_source(content):
    edit(content / "us.toml", 'sources = ["nass2012#Interventional treatment: transforaminal epidural steroid injection"]\n', "")
    with pytest.raises(GuidelineError, match=r"us\.toml: step 'injections': has no source"):
        load_guideline("us", content)


def test_rejects_a_dangling_source_reference(content):
    edit(content / "us.toml", '"goldberg2015#Results"', '"goldberg2016#Results"')
    with pytest.raises(GuidelineError, match=r"us\.toml: .*'oral_corticosteroid'.*dangling source reference 'goldberg2016'"):
        load_guideline("us", content)


def test_rejects_a_source_removed_from_the_register(content):
    edit(content / "sources.toml", 'id = "peul2007"', 'id = "peul2007_removed"')
    with pytest.raises(GuidelineError, match="dangling source reference 'peul2007'"):
        load_guideline("us", content)


def test_rejects_a_duplicate_recommendation_id(content):
    edit(content / "uk.toml", 'id = "oral_corticosteroid"', 'id = "gabapentinoid"')
    with pytest.raises(GuidelineError, match=r"uk\.toml: step 'medicines' recommendation 'gabapentinoid': duplicate"):
        load_guideline("uk", content)


def test_rejects_a_duplicate_source_id(content):
    edit(content / "sources.toml", 'id = "acp2011"', 'id = "acp2017"')
    with pytest.raises(GuidelineError, match=r"sources\.toml: source 'acp2017': duplicate source id"):
        load_guideline("us", content)


def test_rejects_a_disagreement_pointing_at_an_unknown_recommendation(content):
    edit(content / "disagreements.toml", 'attaches_to = ["medicines.muscle_relaxant"]',
         'attaches_to = ["medicines.cyclobenzaprine"]')
    with pytest.raises(GuidelineError) as err:
        load_guideline("us", content)
    assert "disagreements.toml" in str(err.value) and "'medicines.cyclobenzaprine'" in str(err.value)


def test_rejects_an_unknown_treatment_code(content):
    edit(content / "us.toml", 'treatments = ["epidural_steroid_injection"]', 'treatments = ["epidural"]')
    with pytest.raises(GuidelineError, match="unknown treatment code 'epidural'"):
        load_guideline("us", content)


def test_rejects_missing_content_version(content):
    manifest = content / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    assert re.search(r'^content_version = ".+"\n', text, re.M), "test setup: no content_version line"
    manifest.write_text(re.sub(r'^content_version = ".+"\n', "", text, flags=re.M), encoding="utf-8")
    with pytest.raises(GuidelineError, match=r"manifest\.toml: missing content_version"):
        load_guideline("us", content)


def test_rejects_an_unknown_profile(content):
    with pytest.raises(GuidelineError, match="unknown profile 'fr'.*uk, us"):
        load_guideline("fr", content)


def test_rejects_misspelt_keys(content):
    edit(content / "us.toml", "evidence_note = \"Relief is short-term", "evidance_note = \"Relief is short-term")
    with pytest.raises(GuidelineError, match="unknown key.*evidance_note"):
        load_guideline("us", content)


def test_rejects_unverified_content_without_a_note(content):
    edit(content / "uk.toml", "[unverified] NICE's own section 1.2 text", "NICE's own section 1.2 text")
    with pytest.raises(GuidelineError, match="'passive_treatments'.*verified = false needs"):
        load_guideline("uk", content)


def test_rejects_steps_out_of_order(content):
    text = (content / "uk.toml").read_text(encoding="utf-8")
    text = text.replace('id = "injections"', 'id = "TMP"').replace('id = "imaging"\ntitle', 'id = "injections"\ntitle')
    text = text.replace('id = "TMP"', 'id = "imaging"')
    (content / "uk.toml").write_text(text, encoding="utf-8")
    with pytest.raises(GuidelineError, match="steps must be exactly"):
        load_guideline("uk", content)


@pytest.mark.parametrize("profile", PROFILES)
def test_guideline_content_exports_as_plain_json_for_review(profile):
    g = load_guideline(profile)
    data = g.to_dict()
    assert _plain(data)
    assert [s["id"] for s in data["steps"]] == list(STEP_IDS)
    assert data["reviewed"] == g.reviewed.isoformat()
    (window,) = [d for d in data["disagreements"] if d["id"] == "surgical_window"]
    assert window["attaches_to"] == ["surgical_opinion"]
    assert data["imaging"]["rules"][-1]["id"] == "persistent_candidate"


def test_guideline_module_imports_no_qt():
    import subprocess
    import sys

    code = (
        "import sys, radiculopathy_desktop.domain.guideline as g; g.load_guideline('uk'); "
        "print(any(m.startswith(('PySide6', 'PyQt')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_rejects_already_taking_without_a_source(content):
    # pathnsaid: what a recommendation says to a patient already on the medicine is cited like the rest
    edit(content / "uk.toml", 'recommend for or against NSAIDs. Do not add a second NSAID.\n"""\n'
         'sources = ["nice_ng59#Pharmacological management of low back pain: NSAIDs", '
         '"nice_ng59_2020#Pharmacological management of sciatica"]\n',
         'recommend for or against NSAIDs. Do not add a second NSAID.\n"""\n')
    with pytest.raises(GuidelineError, match=r"'nsaid' already_taking: .*sources"):
        load_guideline("uk", content)


def test_rejects_already_taking_on_a_recommendation_without_treatments(content):
    edit(content / "uk.toml", 'id = "alternative_diagnoses"\ndirection = "recommend"\n',
         'id = "alternative_diagnoses"\ndirection = "recommend"\n'
         'already_taking = { text = "review it", sources = ["nice_ng59#Assessment"] }\n')
    with pytest.raises(GuidelineError, match=r"'alternative_diagnoses' already_taking: only a recommendation with treatments"):
        load_guideline("uk", content)


def test_every_medicine_recommendation_says_what_it_becomes_for_a_patient_already_taking_one():
    # a medicine class the patient takes is never offered again as if it were not (both profiles)
    from radiculopathy_desktop.domain.medications import load_medicine_data
    medicine_codes = {d.treatment_code for d in load_medicine_data().drugs if d.treatment_code}
    for profile in ("uk", "us"):
        for step in load_guideline(profile).steps:
            for rec in step.recommendations:
                if set(rec.treatments) & medicine_codes:
                    assert rec.already_taking is not None, (profile, step.id, rec.id)
                    assert rec.already_taking.sources
                if rec.already_taking:  # a class named as well is a drug class of the medicine data
                    assert set(rec.already_taking.classes) <= set(load_medicine_data().class_labels), rec.id
